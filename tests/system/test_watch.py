"""``evchat watch DIR --prune`` as a process: files copied in, edited, moved, deleted and
written slowly while it watches; the index ends equal to a clean build of the folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant import Settings
from index.ingest.pipeline import reindex
from index.store.manifest import Manifest
from tests.fixtures.corpus import make_text, write_corpus, write_markdown
from tests.fixtures.processes import log_tail


def _state(home: Path) -> tuple[dict[str, str], set[str]]:
    """(doc id → content hash, chunk ids) of a home's collection, read from its manifest
    only (no second Chroma client on a store another process writes)."""
    [path] = home.glob("collections/*/manifest.sqlite") or [None]
    if path is None:
        return {}, set()
    manifest = Manifest(path)
    docs = {d.doc_id: d.content_hash for d in manifest.documents().values()}
    return docs, manifest.chunk_ids()


def _wait_for(check: Callable[[], bool], what: str, log: Path, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; watcher log:\n{log_tail(log)}")
        time.sleep(0.25)


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """A running ``evchat watch`` over ``tmp/docs`` (3 documents); yields (docs, home, log)."""
    docs, home, log = tmp_path / "docs", tmp_path / "home", tmp_path / "watch.log"
    write_corpus(docs, 3)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVCHAT_")}
    env |= {"EVCHAT_HOME": str(home), "EVCHAT_WATCH_DEBOUNCE_MS": "300",
            "EVCHAT_WATCH_SETTLE_S": "1.5"}  # fmt: skip
    command = [sys.executable, "-m", "assistant.cli", "watch", str(docs), "--prune"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_for(lambda: "watching for changes" in log.read_text(), "the first run", log, 180)
        yield docs, home, log
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _clean_build(docs: Path, tmp: Path) -> tuple[dict[str, str], set[str]]:
    home = tmp / "clean"
    report = reindex([docs], Settings(home=home), show_progress=False)
    assert not report.failed, report.failed
    return _state(home)


def test_the_index_follows_the_folder(watcher: tuple[Path, Path, Path], tmp_path: Path) -> None:
    docs, home, log = watcher
    assert set(_state(home)[0]) == {"doc-000.md", "doc-001.md", "doc-002.md"}
    staged = tmp_path / "staged"
    for path in write_corpus(staged, 2, seed=7):
        shutil.copy(path, docs / f"new-{path.name}")  # copied in
    write_markdown(docs, "doc-000.md", "Edited note", make_text(500))  # edited
    (docs / "doc-001.md").unlink()  # deleted
    (docs / "sub").mkdir()
    (docs / "doc-002.md").rename(docs / "sub" / "doc-002.md")  # moved
    slow = docs / "slow.md"  # written in pieces, 0.1 s apart: must not be indexed half
    body = "---\ntitle: 'Slow copy'\ndate: 2024-07-01\n---\n\n" + make_text(600, paragraphs=6)
    with slow.open("w", encoding="utf-8") as fh:
        for i in range(0, len(body), 200):
            fh.write(body[i : i + 200])
            fh.flush()
            time.sleep(0.1)
            if "slow.md" in _state(home)[0]:
                pytest.fail("slow.md was indexed while it was still being written")
    expected = _clean_build(docs, tmp_path)
    _wait_for(lambda: _state(home) == expected, "the index to match a clean build", log)
    assert set(expected[0]) == {
        "doc-000.md", "new-doc-000.md", "new-doc-001.md", "sub/doc-002.md", "slow.md",
    }  # fmt: skip
