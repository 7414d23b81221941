"""The folder watcher's rounds, driven by hand (``step``) so that timing plays no part:
files wait until they settle, a file that fails to load is tried again, deletions prune."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from watchfiles import Change

from assistant.settings import Settings
from index.embed.factory import ArrayEmbedder, make_embedder
from index.errors import BadInputError
from index.sources.watch import FolderWatcher
from index.store.collection import Collection
from tests.fixtures.corpus import write_corpus


@pytest.fixture(scope="module")
def minilm() -> ArrayEmbedder:
    """The real embedding model, loaded once for the module."""
    return make_embedder(Settings())


def _watcher(tmp_path: Path, minilm: ArrayEmbedder, settle: float = 0.0) -> FolderWatcher:
    settings = Settings(home=tmp_path / "home", watch_settle_s=settle)
    return FolderWatcher([tmp_path / "docs"], settings, prune=True, embedder=minilm)


def _doc_ids(w: FolderWatcher) -> set[str]:
    return set(Collection.open_for_write(w.settings).manifest.documents())


def test_a_changed_file_waits_until_it_stops_changing(
    tmp_path: Path, minilm: ArrayEmbedder
) -> None:
    (tmp_path / "docs").mkdir()
    w = _watcher(tmp_path, minilm, settle=0.3)
    [path] = write_corpus(tmp_path / "docs", 1)
    w.note([(Change.added, str(path))])
    assert w.step().indexed == []  # too fresh
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\nMore text arrives while the copy is under way.\n")
    assert w.step().indexed == []  # changed since: wait again
    time.sleep(0.35)
    assert w.step().indexed == [str(path)]
    assert _doc_ids(w) == {"doc-000.md"}


def test_a_file_that_fails_to_load_is_tried_again_before_it_is_reported(
    tmp_path: Path, minilm: ArrayEmbedder
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    half = docs / "records.json"
    record = {"doc_id": "r1", "title": "Charging", "text": "Ionity opened 40 new sites."}
    half.write_text(json.dumps(record)[:20], encoding="utf-8")  # a copy cut short
    w = _watcher(tmp_path, minilm)
    w.note([(Change.added, str(half))])
    first = w.step()
    assert first.failed == [] and first.indexed == [] and first.waiting == 1
    half.write_text(json.dumps(record), encoding="utf-8")  # the copy completes
    w.note([(Change.modified, str(half))])
    assert w.step().indexed == [str(half)]
    assert _doc_ids(w) == {"r1"}


def test_a_file_that_keeps_failing_is_reported_once(tmp_path: Path, minilm: ArrayEmbedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    bad = docs / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a PDF")
    w = _watcher(tmp_path, minilm)
    w.note([(Change.added, str(bad))])
    rounds = [w.step() for _ in range(3)]
    assert [len(r.failed) for r in rounds] == [0, 0, 1]
    assert rounds[-1].failed[0].path == str(bad) and rounds[-1].waiting == 0


def test_deleted_files_and_folders_are_pruned(tmp_path: Path, minilm: ArrayEmbedder) -> None:
    docs = tmp_path / "docs"
    write_corpus(docs / "a", 2)
    write_corpus(docs / "b", 2, seed=1)
    w = _watcher(tmp_path, minilm)
    w.note([(Change.added, str(docs / "a")), (Change.added, str(docs / "b"))])
    assert len(w.step().indexed) == 4
    (docs / "a" / "doc-000.md").unlink()
    for f in (docs / "b").iterdir():
        f.unlink()
    (docs / "b").rmdir()
    gone = w.note(
        [(Change.deleted, str(docs / "a" / "doc-000.md")), (Change.deleted, str(docs / "b"))]
    )
    batch = w.step(gone)
    assert sorted(batch.removed) == ["a/doc-000.md", "b/doc-000.md", "b/doc-001.md"]
    assert _doc_ids(w) == {"a/doc-001.md"}


def test_hidden_and_unsupported_files_are_ignored(tmp_path: Path, minilm: ArrayEmbedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / ".draft.md").write_text("# Draft\n\nNot yet.", encoding="utf-8")
    (docs / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    w = _watcher(tmp_path, minilm)
    w.note([(Change.added, str(docs / ".draft.md")), (Change.added, str(docs / "photo.jpg"))])
    assert w.waiting == {}


def test_watching_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="not a folder"):
        FolderWatcher([tmp_path / "nowhere"], Settings(home=tmp_path / "home"))
