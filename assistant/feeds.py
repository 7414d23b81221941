"""Feeds in the public API: ``Assistant.feeds`` (add, remove, list, sync).

The work is done by :mod:`index.sources.feeds`; this facade hands the Assistant's
embedder to it (so the model is loaded once) and makes the Assistant reopen its
collection after a sync. Syncs take the collection's write lock, never a read lock, so
questions are answered while a sync runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from index.sources.feeds import FeedSources
from index.sources.reader import FeedFailure, FeedSyncReport
from index.sources.registry import FeedInfo

if TYPE_CHECKING:
    from assistant.assistant import Assistant

__all__ = ["FeedFailure", "FeedInfo", "FeedSyncReport", "Feeds"]


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
