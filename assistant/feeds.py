"""Feeds in the public API: ``Assistant.feeds`` (add, remove, list, sync) and the
background :class:`FeedScheduler` the web app runs every ``EVCHAT_FEEDS_INTERVAL_MIN``.

The work is done by :mod:`index.sources.feeds`; this facade hands the Assistant's
embedder to it (so the model is loaded once) and makes the Assistant reopen its
collection after a sync. Syncs take the collection's write lock, never a read lock, so
questions are answered while a sync runs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.sources.feeds import FeedSources
from index.sources.reader import FeedFailure, FeedSyncReport
from index.sources.registry import FeedInfo

if TYPE_CHECKING:
    from assistant.assistant import Assistant

__all__ = ["FeedFailure", "FeedInfo", "FeedScheduler", "FeedSyncReport", "Feeds", "SyncStatus"]


class Feeds:
    """The feeds the Assistant's collection follows."""

    def __init__(self, assistant: Assistant) -> None:
        self._bot = assistant
        self._sources = FeedSources(assistant.settings, assistant.collection_name)
        self._sync_lock = threading.Lock()

    def add(self, url: str, name: str | None = None) -> FeedInfo:
        """Follow a feed; its articles are indexed by the next :meth:`sync`."""
        return self._sources.add(url, name)

    def remove(self, url: str, keep_documents: bool = False) -> int:
        """Stop following a feed; its articles are deleted unless ``keep_documents``.
        Returns how many articles were deleted."""
        removed = self._sources.remove(url, keep_documents)
        self._bot.forget_collection()
        return removed

    def list(self) -> list[FeedInfo]:
        """The followed feeds with their last sync time and status."""
        return self._sources.list()

    def sync(self, on_progress: Callable[[int, int, str], None] | None = None) -> FeedSyncReport:
        """Read every feed and index new and changed articles (one sync at a time)."""
        with self._sync_lock:
            report = self._sources.sync(on_progress, embedder=self._bot.embedder)
        self._bot.forget_collection()
        return report


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
