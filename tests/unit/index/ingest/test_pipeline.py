"""reindex(): incremental, pruning, failure-tolerant, and Chroma/manifest/BM25 always in step."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant.settings import Settings
from index.embed.minilm import MODEL_ID
from index.errors import ModelMismatchError
from index.ingest.loaders import discover, load
from index.ingest.pipeline import reindex
from index.store.chroma import ActivePointers
from index.store.collection import Collection
from index.types import IndexReport
from tests.fixtures.corpus import make_text, write_markdown
from tests.fixtures.hostile import write_docx_bomb, write_surrogate_jsonl
from tests.fixtures.store_checks import assert_in_step
from tests.paths import REPO

SAMPLE_PDF = REPO / "samples" / "2024-12-10-battery-pack-prices-report.pdf"
SAMPLE_HTML = REPO / "samples" / "2024-05-14-us-tariffs-chinese-evs.html"
METADATA_KEYS = {
    "doc_id",
    "source",
    "title",
    "published_at",
    "page",
    "start",
    "end",
    "chunk_index",
    "content_hash",
    "embedding_model",
}


def run(paths: list[Path], settings: Settings, **kw: object) -> IndexReport:
    return reindex(paths, settings, show_progress=False, **kw)  # type: ignore[arg-type]


def chunk_ids_by_doc(col: Collection) -> dict[str, set[str]]:
    return {doc_id: col.manifest.chunk_ids(doc_id) for doc_id in col.manifest.documents()}


def test_first_run_adds_every_document(small_corpus: Path, settings: Settings) -> None:
    report = run([small_corpus], settings)
    assert (report.added, report.updated, report.unchanged, report.removed) == (5, 0, 0, 0)
    assert report.failed == []
    assert report.documents == 5
    assert report.chunks == report.embedded >= 10  # a few chunks per document
    col = assert_in_step(settings)
    assert set(col.manifest.documents()) == {f"doc-{i:03d}.md" for i in range(5)}
    assert ActivePointers(settings.store.home).read() == {"evchat": "evchat--minilm"}
    assert all(r.model_id == MODEL_ID for r in col.manifest.documents().values())


def test_progress_is_reported_per_file(small_corpus: Path, settings: Settings) -> None:
    calls: list[tuple[int, int, str]] = []
    run([small_corpus], settings, on_progress=lambda d, t, m: calls.append((d, t, m)))
    assert calls == [(i + 1, 5, f"doc-{i:03d}.md") for i in range(5)]


def test_rerun_on_unchanged_corpus_embeds_nothing(small_corpus: Path, settings: Settings) -> None:
    first = run([small_corpus], settings)
    ids_before = assert_in_step(settings).store.existing_ids()
    generation = Collection.open_for_write(settings).manifest.generation()

    second = run([small_corpus], settings)
    assert second.embedded == 0
    assert second.unchanged == 5
    assert (second.added, second.updated, second.removed) == (0, 0, 0)
    assert (second.documents, second.chunks) == (first.documents, first.chunks)
    col = assert_in_step(settings)
    assert col.store.existing_ids() == ids_before
    assert col.manifest.generation() == generation  # nothing was rewritten


def test_editing_one_document_replaces_only_its_chunks(
    small_corpus: Path, settings: Settings
) -> None:
    run([small_corpus], settings)
    before = chunk_ids_by_doc(assert_in_step(settings))
    edited = small_corpus / "doc-002.md"
    write_markdown(small_corpus, edited.name, "Rewritten note", make_text(999, 3, 5))

    report = run([small_corpus], settings)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 4)
    col = assert_in_step(settings)
    after = chunk_ids_by_doc(col)
    assert report.embedded == len(after["doc-002.md"]) > 0
    assert not before["doc-002.md"] & col.store.existing_ids()  # old chunks gone from Chroma
    assert not before["doc-002.md"] & col.manifest.chunk_ids()  # ... and from the manifest
    assert {d: ids for d, ids in after.items() if d != "doc-002.md"} == {
        d: ids for d, ids in before.items() if d != "doc-002.md"
    }
    got = col.store.collection.get(ids=sorted(after["doc-002.md"]), include=["metadatas"])
    assert {m["title"] for m in got["metadatas"]} == {"Rewritten note"}


def test_prune_removes_documents_whose_files_are_gone(
    small_corpus: Path, settings: Settings
) -> None:
    run([small_corpus], settings)
    gone = Collection.open_for_write(settings).manifest.chunk_ids("doc-004.md")
    assert gone
    (small_corpus / "doc-004.md").unlink()

    report = run([small_corpus], settings, prune=True)
    assert report.removed == 1
    assert (report.documents, report.unchanged, report.embedded) == (4, 4, 0)
    col = assert_in_step(settings)
    assert "doc-004.md" not in col.manifest.documents()
    assert not gone & col.store.existing_ids()
    assert not gone & set(col.bm25().chunk_ids)


def test_without_prune_documents_of_deleted_files_are_kept(
    small_corpus: Path, settings: Settings
) -> None:
    first = run([small_corpus], settings)
    (small_corpus / "doc-004.md").unlink()
    report = run([small_corpus], settings)
    assert report.removed == 0
    assert (report.documents, report.chunks) == (5, first.chunks)
    col = assert_in_step(settings)
    assert col.manifest.chunk_ids("doc-004.md") <= col.store.existing_ids()


def test_prune_only_touches_documents_from_the_given_folders(
    tmp_path: Path, settings: Settings
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_markdown(a, "one.md", "One", make_text(1))
    write_markdown(b, "two.md", "Two", make_text(2))
    run([a], settings)
    run([b], settings)
    report = run([b], settings, prune=True)
    assert report.removed == 0
    assert set(assert_in_step(settings).manifest.documents()) == {"one.md", "two.md"}


def test_a_corrupt_file_is_reported_while_the_rest_is_indexed(
    small_corpus: Path, settings: Settings
) -> None:
    broken_pdf = small_corpus / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf\x00\xff")
    (small_corpus / "empty.md").write_text("")

    report = run([small_corpus], settings)
    assert report.added == 5
    failed = {Path(f.path).name: f.error for f in report.failed}
    assert set(failed) == {"broken.pdf", "empty.md"}
    assert "damaged" in failed["broken.pdf"]
    assert "empty" in failed["empty.md"]
    col = assert_in_step(settings)
    assert set(col.manifest.documents()) == {f"doc-{i:03d}.md" for i in range(5)}


def test_a_file_that_turns_corrupt_is_not_pruned(small_corpus: Path, settings: Settings) -> None:
    run([small_corpus], settings)
    kept = Collection.open_for_write(settings).manifest.chunk_ids("doc-001.md")
    (small_corpus / "doc-001.md").write_bytes(b"\x00\x01\x02binary\x00" * 50)

    report = run([small_corpus], settings, prune=True)
    assert [Path(f.path).name for f in report.failed] == ["doc-001.md"]
    assert report.removed == 0 and report.documents == 5
    assert kept == assert_in_step(settings).manifest.chunk_ids("doc-001.md")


def test_stored_chunks_are_document_slices_with_full_metadata(
    small_corpus: Path, settings: Settings
) -> None:
    shutil.copy(SAMPLE_PDF, small_corpus / SAMPLE_PDF.name)
    shutil.copy(SAMPLE_HTML, small_corpus / SAMPLE_HTML.name)
    report = run([small_corpus], settings)
    assert report.added == 7 and not report.failed

    sources, _ = discover([small_corpus])
    docs = {d.doc_id: d for s in sources for d in load(s, 10**8)}
    col = assert_in_step(settings)
    got = col.store.collection.get(include=["documents", "metadatas"])
    assert len(got["ids"]) == report.chunks
    pages_seen: set[int] = set()
    for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
        assert set(meta) >= METADATA_KEYS, cid
        doc = docs[meta["doc_id"]]
        assert text == doc.text[meta["start"] : meta["end"]]
        assert meta["title"] == doc.title
        assert meta["source"] == doc.source
        assert meta["published_at"] == (doc.published_at or "")
        assert meta["embedding_model"] == MODEL_ID
        assert meta["content_hash"] == hashlib.sha256(text.encode()).hexdigest()[:16]
        assert meta["page"] == (doc.page_at(meta["start"]) or 0)
        if doc.pages:
            pages_seen.add(meta["page"])
        assert cid in col.manifest.chunk_ids(doc.doc_id)
    assert pages_seen == {1, 2}  # the two-page PDF's chunks carry their page numbers

    for doc_id, doc in docs.items():
        rows = [r for r in col.manifest.all_chunks() if r.doc_id == doc_id]
        indexes = sorted(m["chunk_index"] for m in got["metadatas"] if m["doc_id"] == doc_id)
        assert indexes == list(range(len(rows)))
        assert all(r.text == doc.text[r.start : r.end] for r in rows)
    md = next(m for m in got["metadatas"] if m["doc_id"] == "doc-000.md")
    assert (md["source"], md["published_at"], md["url"]) == (
        "Test Wire",
        "2024-01-01",
        "https://example.org/notes/0",
    )


def test_two_collection_names_are_kept_separate(small_corpus: Path, settings: Settings) -> None:
    run([small_corpus], settings, collection="alpha")
    run([small_corpus], settings, collection="beta")
    (small_corpus / "doc-000.md").unlink()
    write_markdown(small_corpus, "doc-001.md", "Changed in alpha only", make_text(77))
    report = run([small_corpus], settings, collection="alpha", prune=True)
    assert (report.removed, report.updated) == (1, 1)

    alpha = assert_in_step(settings, "alpha")
    beta = assert_in_step(settings, "beta")
    assert (alpha.physical, beta.physical) == ("alpha--minilm", "beta--minilm")
    assert alpha.folder != beta.folder
    assert len(alpha.manifest.documents()) == 4
    assert len(beta.manifest.documents()) == 5
    assert beta.manifest.chunk_ids("doc-001.md").isdisjoint(alpha.manifest.chunk_ids("doc-001.md"))
    assert ActivePointers(settings.store.home).read() == {
        "alpha": "alpha--minilm",
        "beta": "beta--minilm",
    }


def test_a_collection_built_with_another_embedding_model_is_refused(
    small_corpus: Path, settings: Settings
) -> None:
    client = chromadb.PersistentClient(
        path=str(settings.store.home / "chroma"),
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    client.create_collection("evchat--minilm", metadata={"embedding_model": "other"})
    with pytest.raises(ModelMismatchError, match="other") as excinfo:
        run([small_corpus], settings)
    assert "evchat--minilm" in str(excinfo.value)
    assert client.get_collection("evchat--minilm").count() == 0


def test_reading_a_name_that_points_at_another_models_collection_is_refused(
    small_corpus: Path, settings: Settings
) -> None:
    run([small_corpus], settings)
    ActivePointers(settings.store.home).set("evchat", "evchat--oai3s")
    with pytest.raises(ModelMismatchError, match="evchat index"):
        Collection.open_for_read(settings)


def test_a_stopped_run_keeps_what_it_loaded_prunes_nothing_and_the_next_run_continues(
    small_corpus: Path, settings: Settings
) -> None:
    run([small_corpus], settings)
    for i in range(5, 9):
        write_markdown(small_corpus, f"doc-{i:03d}.md", f"Doc {i}", make_text(i))
    (small_corpus / "doc-000.md").unlink()  # gone: a complete run with prune removes it
    loaded: list[str] = []
    report = run(
        [small_corpus],
        settings,
        prune=True,
        on_progress=lambda done, total, name: loaded.append(name),
        stop=lambda: len(loaded) >= 5,  # "Ctrl-C" after the first new document
    )
    assert report.interrupted and report.to_dict()["interrupted"] is True
    assert (report.added, report.unchanged, report.removed) == (1, 4, 0)
    col = assert_in_step(settings)  # what was loaded is written and in step
    assert set(col.manifest.documents()) == {f"doc-{i:03d}.md" for i in range(6)}
    assert col.manifest.get_meta("dirty") is None

    rest = run([small_corpus], settings, prune=True)
    assert not rest.interrupted
    assert (rest.added, rest.unchanged, rest.removed) == (3, 5, 1)
    assert set(assert_in_step(settings).manifest.documents()) == {
        f"doc-{i:03d}.md" for i in range(1, 9)
    }


def test_hostile_files_cost_one_line_each_and_the_rest_is_indexed(
    small_corpus: Path, settings: Settings
) -> None:
    write_surrogate_jsonl(small_corpus / "lone.jsonl")
    write_docx_bomb(small_corpus / "bomb.docx", 3 * 1024 * 1024)
    strict = settings.replace(max_unpacked_mb=1)
    report = run([small_corpus], strict)
    [failed] = report.failed
    assert Path(failed.path).name == "bomb.docx"
    assert failed.error.startswith("the Word file expands to 3.")
    col = assert_in_step(strict)
    docs = col.manifest.documents()
    assert docs["lone-\ufffd-surrogate"].title == "Sodium cells \ufffd arrive"
    assert report.added == 5 + 2
