"""A re-run reads only the files that changed: unchanged ones (same size and modification
time, indexed whole by the same chunker and model) are skipped without being parsed."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import Settings
from index.ingest import pipeline
from index.ingest.pipeline import delete_documents, reindex
from index.store.collection import Collection
from tests.fixtures.corpus import make_text, write_markdown
from tests.fixtures.store_checks import assert_in_step

HOUR_AGO = time.time() - 3600


def age(folder: Path) -> None:
    """Date every file an hour back (a freshly written file is not trusted to be final)."""
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, (HOUR_AGO, HOUR_AGO))


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The doc ids of the files each run handed to the parsing worker."""
    runs: list[list[str]] = []
    real: Callable[..., Any] = pipeline._load_all

    def spy(run: Any, sources: list[Any], *args: Any, **kwargs: Any) -> Any:
        runs.append(sorted(s.doc_id for s in sources))
        return real(run, sources, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_load_all", spy)
    return runs


def index(folder: Path, settings: Settings, **kw: Any) -> Any:
    return reindex([folder], settings, show_progress=False, **kw)


def test_an_unchanged_corpus_is_not_read_again(
    small_corpus: Path, settings: Settings, loaded: list[list[str]]
) -> None:
    age(small_corpus)
    first = index(small_corpus, settings)
    second = index(small_corpus, settings)
    assert loaded[1] == [] and len(loaded[0]) == 5
    assert (second.unchanged, second.added, second.updated, second.embedded) == (5, 0, 0, 0)
    assert (second.documents, second.chunks) == (first.documents, first.chunks)
    assert_in_step(settings)


def test_only_the_changed_file_is_read_and_pruning_still_sees_the_rest(
    small_corpus: Path, settings: Settings, loaded: list[list[str]]
) -> None:
    age(small_corpus)
    index(small_corpus, settings)
    edited = small_corpus / "doc-001.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA new closing line.\n", "utf-8")
    os.utime(edited, (HOUR_AGO + 60, HOUR_AGO + 60))
    (small_corpus / "doc-004.md").unlink()
    report = index(small_corpus, settings, prune=True)
    assert loaded[1] == ["doc-001.md"]
    assert (report.updated, report.unchanged, report.removed) == (1, 3, 1)
    assert "doc-004.md" not in assert_in_step(settings).manifest.documents()


def test_a_deleted_document_makes_its_file_read_again(
    small_corpus: Path, settings: Settings, loaded: list[list[str]]
) -> None:
    age(small_corpus)
    index(small_corpus, settings)
    assert delete_documents(["doc-002.md"], settings) == 1
    report = index(small_corpus, settings)
    assert loaded[1] == ["doc-002.md"] and (report.added, report.unchanged) == (1, 4)


def test_a_file_written_just_now_or_partly_bad_is_read_every_time(
    tmp_path: Path, settings: Settings, loaded: list[list[str]]
) -> None:
    folder = tmp_path / "corpus"
    write_markdown(folder, "old.md", "Old", make_text(1))
    age(folder)
    write_markdown(folder, "fresh.md", "Fresh", make_text(2))  # modified a moment ago
    records = folder / "feed.jsonl"
    records.write_text('{"doc_id": "r1", "title": "R", "text": "BYD opened a plant."}\nnot json\n')
    os.utime(records, (HOUR_AGO, HOUR_AGO))
    index(folder, settings)
    index(folder, settings)
    assert loaded[1] == ["feed.jsonl", "fresh.md"]  # old.md was skipped
    recorded = Collection.open_for_write(settings).manifest.files()
    assert [Path(o).name for o in recorded] == ["old.md"]


def test_another_chunker_reads_everything_again(
    small_corpus: Path, settings: Settings, loaded: list[list[str]]
) -> None:
    age(small_corpus)
    index(small_corpus, settings)
    report = index(small_corpus, settings.replace(chunk_overlap_tokens=16))
    assert len(loaded[1]) == 5 and report.updated == 5
