"""The manifest rebuilds a document's text from its chunks (every offset exact) and streams
its chunks in document order from one snapshot."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from index.ingest.pipeline import reindex
from index.store.collection import Collection
from index.store.manifest import Manifest, ManifestEntry
from index.types import Chunk, LoadedDocument
from tests.fixtures.indexed import load_documents


def test_document_text_is_rebuilt_from_the_chunks(small_corpus: Path, settings: Settings) -> None:
    reindex([small_corpus], settings, show_progress=False)
    manifest = Collection.open_for_read(settings).manifest
    originals = load_documents(small_corpus)
    for row in manifest.all_chunks():
        text = manifest.document_text(row.doc_id)
        assert text is not None and text[row.start : row.end] == row.text
    for doc_id, doc in originals.items():
        rebuilt = manifest.document_text(doc_id)
        assert rebuilt is not None and len(manifest.chunk_ids(doc_id)) > 1
        assert " ".join(rebuilt.split()) == " ".join(doc.text.split())
        assert rebuilt.count("\n\n") == doc.text.count("\n\n")  # paragraphs kept
    assert manifest.document_text("missing.md") is None


def _entry(doc_id: str, texts: list[str]) -> ManifestEntry:
    doc = LoadedDocument(doc_id=doc_id, text="\n\n".join(texts), title="t", source="s")
    chunks = [Chunk(f"{doc_id}#{i}", doc_id, i, t, 0, len(t), None, t) for i, t in enumerate(texts)]
    return ManifestEntry(doc, "o", "h", "v", "m", chunks)


def test_iter_chunks_streams_one_snapshot_in_document_order(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.sqlite")
    manifest.put_documents([_entry(f"d{i:03d}", [f"a{i}", f"b{i}", f"c{i}"]) for i in (5, 1, 3)])
    rows = manifest.iter_chunks()
    first = next(rows)
    # A write that commits while the rows are being read is not seen by them.
    manifest.put_documents([_entry("d000", ["new"])])
    manifest.delete_documents(["d005"])
    seen = [first, *rows]
    assert [r.chunk_id for r in seen] == [f"d{i:03d}#{j}" for i in (1, 3, 5) for j in range(3)]
    assert [r.text for r in seen[:3]] == ["a1", "b1", "c1"]
    assert next(manifest.iter_chunks()).chunk_id == "d000#0"
    assert list(manifest.iter_chunks()) == manifest.all_chunks()


def test_where_the_date_came_from_is_kept_and_old_manifests_gain_the_column(
    tmp_path: Path,
) -> None:
    import sqlite3

    path = tmp_path / "manifest.sqlite"
    with sqlite3.connect(path) as db:  # a manifest written before date_from existed
        db.execute(
            "CREATE TABLE documents (doc_id TEXT PRIMARY KEY, origin TEXT NOT NULL, "
            "content_hash TEXT NOT NULL, chunker_version TEXT NOT NULL, model_id TEXT NOT NULL, "
            "title TEXT NOT NULL, source TEXT NOT NULL, published_at TEXT, url TEXT, "
            "n_chunks INTEGER NOT NULL, indexed_at REAL NOT NULL)"
        )
        db.execute(
            "INSERT INTO documents VALUES ('old.md','o','h','c','m','Old','s',NULL,NULL,0,1)"
        )
    manifest = Manifest(path)
    assert manifest.documents()["old.md"].date_from is None
    doc = LoadedDocument(
        "new.txt", "Text.", "New", "s", published_at="2026-10-15", date_from="'Published' line"
    )
    manifest.put_documents([ManifestEntry(doc, "new.txt", "h", "c", "m", [])])
    assert Manifest(path).documents()["new.txt"].date_from == "'Published' line"
