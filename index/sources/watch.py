"""Watched folders: files created, changed, moved or deleted under a folder are re-indexed
within seconds (watchfiles), with the crash safety of ``evchat index``.

The watcher first brings the index in step with the folders (one ordinary ``reindex``),
then waits for changes. watchfiles debounces them (``EVCHAT_WATCH_DEBOUNCE_MS``); a changed
file is indexed only once its size and modification time have stayed the same for
``EVCHAT_WATCH_SETTLE_S``, so a file still being written waits instead of being indexed
half, and a file that fails to load is tried again a few times (a copy may still be
under way) before its failure is reported. Changed files are indexed by ``reindex`` with
``only=`` (their doc ids stay relative to the watched folder, as in a full run); with
``prune``, deleted and moved-away files are deleted from the index.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.embed.factory import ArrayEmbedder
from index.errors import BadInputError
from index.ingest.pipeline import delete_documents, reindex
from index.ingest.source import SUPPORTED_EXTENSIONS
from index.settings import IndexSettings
from index.store.collection import Collection
from index.types import FailedFile, IndexReport

_RETRIES = 3  # loads tried again for a file that failed right after it changed
_WAKE_MS = 400  # how often the watcher looks at files still settling


@dataclass
class WatchBatch:
    """What one round of the watcher did: the files indexed, the documents removed, the
    failures (after retries) and the files still waiting to settle."""

    indexed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    waiting: int = 0
    report: IndexReport | None = None
    initial: bool = False


@dataclass
class _Waiting:
    root: Path
    stat: tuple[int, int] | None
    since: float
    attempts: int = 0


class FolderWatcher:
    """Keeps the index in step with some folders until ``stop_event`` is set."""

    def __init__(
        self,
        folders: Sequence[str | Path],
        settings: IndexSettings,
        *,
        collection: str | None = None,
        prune: bool = False,
        embedder: ArrayEmbedder | None = None,
        on_batch: Callable[[WatchBatch], None] | None = None,
    ) -> None:
        self.roots = check_folders(folders)
        self.settings = settings
        self.collection = collection
        self.prune = prune
        self.embedder = embedder
        self.on_batch = on_batch or (lambda _batch: None)
        self.waiting: dict[Path, _Waiting] = {}

    def run(self, stop_event: threading.Event | None = None) -> None:
        """Index the folders, then follow their changes (blocks until ``stop_event``)."""
        import watchfiles

        stop = stop_event or threading.Event()
        report = reindex(
            self.roots, self.settings, collection=self.collection, prune=self.prune,
            show_progress=False, embedder=self.embedder,
        )  # fmt: skip
        self.on_batch(WatchBatch(report=report, failed=list(report.failed), initial=True))
        for changes in watchfiles.watch(
            *self.roots,
            debounce=self.settings.sources.watch_debounce_ms,
            rust_timeout=_WAKE_MS,
            yield_on_timeout=True,
            stop_event=stop,
            raise_interrupt=False,
        ):
            deleted = self.note(changes)
            batch = self.step(deleted)
            if batch.indexed or batch.removed or batch.failed:
                self.on_batch(batch)
            if stop.is_set():
                return

    def note(self, changes: Iterable[tuple[Any, str]]) -> list[Path]:
        """Put changed files in the waiting room; return the paths that are gone."""
        deleted: list[Path] = []
        now = time.monotonic()
        for _change, raw in changes:
            path = Path(raw)
            root = self._root_of(path)
            if root is None:
                continue
            if not path.exists():
                self.waiting.pop(path, None)
                deleted.append(path)
                continue
            for file in _files_under(path):
                if _indexable(file, root):
                    self.waiting[file] = _Waiting(root, _stat(file), now)
        return deleted

    def step(self, deleted: Sequence[Path] = ()) -> WatchBatch:
        """Index the files that have settled, remove the deleted ones (with prune)."""
        batch = WatchBatch()
        if deleted and self.prune:
            batch.removed = self._remove(deleted)
        ready = self._settled()
        by_root: dict[Path, list[Path]] = {}
        for path in ready:
            by_root.setdefault(self.waiting[path].root, []).append(path)
        for root, paths in by_root.items():
            report = reindex(
                [root], self.settings, collection=self.collection, show_progress=False,
                embedder=self.embedder, only=paths,
            )  # fmt: skip
            batch.report = report
            self._after_load(paths, report, batch)
        batch.waiting = len(self.waiting)
        return batch

    def _settled(self) -> list[Path]:
        settle = self.settings.sources.watch_settle_s
        now = time.monotonic()
        ready = []
        for path, wait in list(self.waiting.items()):
            current = _stat(path)
            if current is None:  # gone before it settled
                del self.waiting[path]
            elif current != wait.stat:
                wait.stat, wait.since = current, now
            elif now - wait.since >= settle:
                ready.append(path)
        return ready

    def _after_load(self, paths: list[Path], report: IndexReport, batch: WatchBatch) -> None:
        for path in paths:
            wait = self.waiting[path]
            failure = _failure_of(path, wait.root, report.failed)
            if failure is not None and wait.attempts + 1 < _RETRIES:
                wait.attempts += 1
                wait.since = time.monotonic()  # try again once it has settled once more
                continue
            del self.waiting[path]
            if failure is not None:
                batch.failed.append(failure)
            else:
                batch.indexed.append(str(path))

    def _remove(self, deleted: Sequence[Path]) -> list[str]:
        col = Collection.open_for_write(self.settings, self.collection)
        gone = [
            rec.doc_id
            for rec in col.manifest.documents().values()
            if any(_within(Path(rec.origin), path) for path in deleted)
            and not Path(rec.origin).exists()
        ]
        delete_documents(gone, self.settings, collection=self.collection)
        return gone

    def _root_of(self, path: Path) -> Path | None:
        for root in self.roots:  # the first root that holds it, as a full run's discovery
            if _within(path, root):
                return root
        return None


def check_folders(folders: Sequence[str | Path]) -> list[Path]:
    """The folders resolved; ``BadInputError`` for one that is missing or not a folder."""
    if not folders:
        raise BadInputError("Name at least one folder to watch.")
    roots = []
    for folder in folders:
        path = Path(folder).expanduser().resolve()
        if not path.is_dir():
            raise BadInputError(f"Cannot watch {folder}: not a folder.")
        roots.append(path)
    return roots


def _files_under(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found = []
    for dirpath, _dirs, files in os.walk(path):
        found += [Path(dirpath, name) for name in files]
    return found


def _failure_of(path: Path, root: Path, failed: Sequence[FailedFile]) -> FailedFile | None:
    """The failure reported for ``path``: the whole file, or a record of it ("doc:line")."""
    record_prefix = path.relative_to(root).as_posix() + ":"
    for failure in failed:
        if os.path.abspath(failure.path) == os.path.abspath(path):
            return failure
        if failure.path.startswith(record_prefix):
            return failure
    return None


def _indexable(path: Path, root: Path) -> bool:
    """What a full run's discovery would pick up: supported types, nothing hidden."""
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return not hidden and path.suffix.lower() in SUPPORTED_EXTENSIONS


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _within(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)
