"""The manifest rebuilds a document's text from its chunks, every offset exact."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from index.ingest.pipeline import reindex
from index.store.collection import Collection
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
