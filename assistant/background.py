"""Work the web app runs in the background: the feed schedule, a watched folder, the warm-up.

:class:`FeedScheduler` syncs the feeds every ``EVCHAT_FEEDS_INTERVAL_MIN`` minutes (and on
demand); :class:`WatchThread` runs :meth:`Assistant.watch` on a folder until stopped. Both
run in daemon threads and write through the collection's write lock only, so questions are
answered while they work; their ``status()`` is what the page shows.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.feeds import Feeds, FeedSyncReport
from index.sources.watch import WatchBatch, check_folders

if TYPE_CHECKING:
    from assistant.assistant import Assistant


@dataclass(frozen=True)
class SyncStatus:
    """What the scheduler is doing: ``running`` with a progress ``message``, the time of the
    last finished sync and its report (or the error that stopped it)."""

    running: bool
    message: str
    last_finished: float | None
    last_report: FeedSyncReport | None
    last_error: str | None
    next_run: float | None


class FeedScheduler:
    """Syncs the feeds every ``interval_min`` minutes in a daemon thread (0: never);
    :meth:`run_now` starts a sync at once. Chats are not blocked: the sync runs beside them."""

    def __init__(self, feeds: Feeds, interval_min: float) -> None:
        """``interval_min`` 0 means syncs run only when asked for."""
        self.feeds = feeds
        self.interval_s = interval_min * 60
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state_lock = threading.Lock()
        self._running = False
        self._message = "idle"
        self._finished: float | None = None
        self._report: FeedSyncReport | None = None
        self._error: str | None = None
        self._next: float | None = None

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="evchat-feeds", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end after the current sync."""
        self._stop.set()
        self._wake.set()

    def run_now(self) -> None:
        """Start a sync now (or right after the one running)."""
        self.start()
        self._wake.set()

    def status(self) -> SyncStatus:
        """A snapshot of the scheduler's state."""
        with self._state_lock:
            return SyncStatus(
                self._running, self._message, self._finished, self._report, self._error, self._next
            )

    def _loop(self) -> None:
        first = True
        while not self._stop.is_set():
            wait = None if not self.interval_s else (0.0 if first else self.interval_s)
            first = False
            with self._state_lock:
                self._next = None if wait is None else time.time() + wait
            self._wake.wait(wait)
            self._wake.clear()
            if self._stop.is_set():
                return
            self._sync_once()

    def _sync_once(self) -> None:
        with self._state_lock:
            self._running, self._message = True, "starting"

        def on_progress(done: int, total: int, message: str) -> None:
            with self._state_lock:
                self._message = f"{message} ({done}/{total})" if total else message

        report, error = None, None
        try:
            report = self.feeds.sync(on_progress)
        except Exception as exc:  # a store or disk error: shown, and the next sync retries
            error = str(exc) or type(exc).__name__
        with self._state_lock:
            self._running, self._message = False, "idle"
            self._finished, self._report, self._error = time.time(), report, error


@dataclass(frozen=True)
class WatchStatus:
    """Whether a folder is watched, and what the watcher last did."""

    folder: str | None
    running: bool
    message: str


class WatchThread:
    """Watches one folder (with prune) in a daemon thread; start and stop at will."""

    def __init__(self, assistant: Assistant) -> None:
        self.bot = assistant
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._folder: str | None = None
        self._message = "not watching"

    def start(self, folder: str, prune: bool = True) -> None:
        """Watch ``folder`` (instead of the one watched before); ``BadInputError`` if it is
        not a folder."""
        [root] = check_folders([folder])
        self.stop()
        stop = threading.Event()
        with self._lock:
            self._stop, self._folder = stop, str(root)
            self._message = "indexing the folder"
        self._thread = threading.Thread(
            target=self._run, args=(root, prune, stop), name="evchat-watch", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (waits for the round under way)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
        self._thread = None
        with self._lock:
            self._folder, self._message = None, "not watching"

    def status(self) -> WatchStatus:
        """A snapshot for the page."""
        with self._lock:
            running = self._thread is not None and self._thread.is_alive()
            return WatchStatus(self._folder, running, self._message)

    def _run(self, root: Path, prune: bool, stop: threading.Event) -> None:
        try:
            self.bot.watch([root], prune=prune, stop_event=stop, on_batch=self._on_batch)
        except Exception as exc:  # shown on the page; the watcher can be started again
            with self._lock:
                self._message = f"stopped: {exc}"

    def _on_batch(self, batch: WatchBatch) -> None:
        stamp = time.strftime("%H:%M:%S")
        done = f"{len(batch.indexed)} indexed, {len(batch.removed)} removed"
        if batch.initial and batch.report is not None:
            r = batch.report
            done = f"{r.added} added, {r.updated} updated, {r.removed} removed"
        failed = f", {len(batch.failed)} failed" if batch.failed else ""
        with self._lock:
            self._message = f"watching; last change at {stamp}: {done}{failed}"


def warm_up_in_background(assistant: Assistant) -> threading.Thread:
    """Run :meth:`Assistant.warm_up` in a daemon thread (the web app and the MCP server
    start it before they serve, so the first question does not wait for the indexes)."""
    thread = threading.Thread(target=assistant.warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread
