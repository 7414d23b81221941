"""RSS/Atom feeds: follow, unfollow and sync, each entry's article indexed with its date.

A sync reads every followed feed with a conditional GET (a 304 costs nothing more),
parses it with feedparser (RSS 0.9x/1.0/2.0, Atom), and for each entry that is new or
changed since the last sync fetches the article page and extracts its text with
trafilatura (:mod:`index.sources.reader`); when the page cannot be fetched the entry's own
content or summary is indexed instead, and the report says so. Articles keep their title,
URL, source (the feed's name) and ``published_at`` (the entry's date, else the page's),
so as-of and date filters work on them. The articles go through
:func:`index.ingest.pipeline.index_documents` (doc id = the article URL): one already
indexed with the same text embeds nothing, a changed one replaces its chunks. Only then
does the registry record the feed's validators and entries, so a killed sync is done again
by the next one. A failure is one line in the report; what was indexed before stays.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from index.embed.factory import ArrayEmbedder
from index.errors import BadInputError
from index.ingest.pipeline import delete_documents, index_documents
from index.settings import IndexSettings
from index.sources.http import PoliteClient
from index.sources.reader import FeedFailure, FeedRead, FeedReader, FeedSyncReport
from index.sources.registry import FeedInfo, FeedRegistry
from index.store.chroma import check_collection_name
from index.store.collection import Collection
from index.types import LoadedDocument

ProgressFn = Callable[[int, int, str], None]  # (feeds done, feeds total, message)

__all__ = ["FeedFailure", "FeedInfo", "FeedSources", "FeedSyncReport", "check_feed_url"]


def check_feed_url(url: str) -> str:
    """``url`` stripped, or ``BadInputError`` unless it is an absolute http(s) URL."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInputError(f"A feed address must start with http:// or https:// (got {url!r}).")
    return url


class FeedSources:
    """The feeds followed by one collection: add, remove, list and sync."""

    def __init__(self, settings: IndexSettings, collection: str | None = None) -> None:
        self.settings = settings
        self.collection = check_collection_name(collection or settings.store.collection)
        self.registry = FeedRegistry.for_collection(settings.store.home, self.collection)

    def add(self, url: str, name: str | None = None) -> FeedInfo:
        """Follow a feed (its articles are indexed by the next sync)."""
        return self.registry.add(check_feed_url(url), (name or "").strip() or None)

    def remove(self, url: str, keep_documents: bool = False) -> int:
        """Stop following a feed and, unless ``keep_documents``, delete its articles from
        the index; returns how many articles were deleted."""
        url = check_feed_url(url)
        self.registry.get(url)
        removed = 0
        if not keep_documents:
            col = Collection.open_for_write(self.settings, self.collection)
            ids = [r.doc_id for r in col.manifest.documents().values() if r.origin == url]
            removed = delete_documents(ids, self.settings, collection=self.collection)
        self.registry.remove(url)
        return removed

    def list(self) -> list[FeedInfo]:
        """The followed feeds with their last sync's outcome."""
        return self.registry.feeds()

    def sync(
        self, on_progress: ProgressFn | None = None, embedder: ArrayEmbedder | None = None
    ) -> FeedSyncReport:
        """Read every feed, index new and changed articles, then record what was seen."""
        started = time.monotonic()
        report = FeedSyncReport()
        feeds = self.registry.feeds()
        report.feeds = len(feeds)
        if not feeds:
            return report
        reads: list[FeedRead] = []
        with PoliteClient(self.settings.sources) as client:
            reader = FeedReader(client, self.registry, self._indexed_ids(), report)
            for i, feed in enumerate(feeds):
                if on_progress:
                    on_progress(i, len(feeds), f"Reading {feed.display_name}")
                reads.append(reader.read(feed))
        articles = _unique(a for r in reads for a in r.articles)
        if articles:
            if on_progress:
                on_progress(len(feeds), len(feeds), f"Indexing {len(articles)} articles")
            result = index_documents(
                articles, self.settings, collection=self.collection, embedder=embedder
            )
            report.new += result.added
            report.updated += result.updated
            report.unchanged += result.unchanged
            report.embedded += result.embedded
            report.failed += [FeedFailure(f.path, f.error) for f in result.failed]
        for read in reads:
            report.unchanged += read.skipped
            self._record(read)
        report.seconds = time.monotonic() - started
        return report

    def _indexed_ids(self) -> set[str]:
        col = Collection.open_for_write(self.settings, self.collection)
        return set(col.manifest.documents())

    def _record(self, read: FeedRead) -> None:
        if read.status == "failed":
            self.registry.record_sync(read.feed, status="failed", error=read.error)
            return
        fresh = read.fetched if read.fetched and not read.fetched.not_modified else None
        self.registry.record_sync(
            read.feed,
            status=read.status,
            error=read.note,
            title=read.title,
            etag=fresh.etag if fresh else read.feed.etag,
            last_modified=fresh.last_modified if fresh else read.feed.last_modified,
            entries=read.entries,
        )


def _unique(articles: Iterable[tuple[LoadedDocument, str]]) -> list[tuple[LoadedDocument, str]]:
    """(article, origin) pairs, each article URL once (two feeds may carry one article)."""
    seen: dict[str, tuple[LoadedDocument, str]] = {}
    for doc, origin in articles:
        seen.setdefault(doc.doc_id, (doc, origin))
    return list(seen.values())
