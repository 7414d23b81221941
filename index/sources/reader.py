"""Reading one feed: the feed itself (conditional GET, feedparser), then the article page
of each entry that is new or changed since the last sync (trafilatura), falling back to
the entry's own text when the page cannot be had. Nothing here writes: the sync indexes
what a read returns and records it in the registry afterwards.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from index.ingest.text_clean import clean_text
from index.sources.article import entry_text, extract_article
from index.sources.http import Fetched, FetchError, PoliteClient
from index.sources.registry import EntryState, FeedInfo, FeedRegistry
from index.types import LoadedDocument

_FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class FeedFailure:
    """A feed or article that could not be read, with a one-sentence reason."""

    url: str
    error: str


@dataclass
class FeedSyncReport:
    """What one sync did: entries new / updated / unchanged, failures, chunks embedded.

    ``summaries`` lists the entries indexed from the feed's own text because their page
    could not be fetched.
    """

    feeds: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[FeedFailure] = field(default_factory=list)
    summaries: list[FeedFailure] = field(default_factory=list)
    embedded: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """The JSON shape printed by ``evchat feeds sync --json``."""
        return {
            "feeds": self.feeds,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": [{"url": f.url, "error": f.error} for f in self.failed],
            "summaries": [{"url": f.url, "error": f.error} for f in self.summaries],
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class FeedRead:
    """One feed's outcome before its articles are indexed."""

    feed: FeedInfo
    status: str  # "ok", "not modified", "failed"
    fetched: Fetched | None = None
    title: str | None = None
    error: str | None = None
    entries: list[EntryState] = field(default_factory=list)
    articles: list[tuple[LoadedDocument, str]] = field(default_factory=list)  # (doc, origin)
    skipped: int = 0  # entries unchanged since the last sync (not fetched again)
    failures: int = 0  # entries whose page could not be had (summary or old copy kept)

    @property
    def note(self) -> str | None:
        """What the feed's status line adds about its entries, if anything went wrong."""
        return f"{self.failures} article page(s) not fetched" if self.failures else None


class FeedReader:
    """Reads feeds for one sync; failures and summary fallbacks go into ``report``."""

    def __init__(
        self,
        client: PoliteClient,
        registry: FeedRegistry,
        indexed: set[str],
        report: FeedSyncReport,
    ) -> None:
        self.client = client
        self.registry = registry
        self.indexed = indexed  # doc ids (article URLs) in the index now
        self.report = report

    def read(self, feed: FeedInfo) -> FeedRead:
        """Fetch and parse ``feed``, then the pages of its new and changed entries."""
        import feedparser

        known = self.registry.entries(feed.url)
        # While an entry is indexed from its summary only, read the whole feed each time,
        # so that its page is tried again.
        conditional = not any(e.summary_only for e in known.values())
        try:
            fetched = self.client.get(
                feed.url,
                feed.etag if conditional else None,
                feed.last_modified if conditional else None,
                _FEED_ACCEPT,
            )
        except FetchError as exc:
            return self._failed(feed, f"feed not read: {exc}")
        if fetched.not_modified:
            return FeedRead(feed, "not modified", fetched, skipped=feed.entries)
        parsed = feedparser.parse(
            fetched.body, response_headers={"content-type": fetched.content_type}
        )
        if not parsed.entries and (parsed.bozo or not parsed.version):
            return self._failed(feed, f"not a valid RSS or Atom feed ({_bozo_reason(parsed)})")
        title = " ".join((parsed.feed.get("title") or "").split()) or None
        read = FeedRead(feed, "ok", fetched, title=title)
        source = feed.name or title or urlsplit(feed.url).hostname or feed.url
        for entry in parsed.entries:
            self._read_entry(read, entry, source, known)
        return read

    def _failed(self, feed: FeedInfo, reason: str) -> FeedRead:
        self.report.failed.append(FeedFailure(feed.url, reason))
        return FeedRead(feed, "failed", error=reason)

    def _read_entry(
        self, read: FeedRead, entry: Any, source: str, known: dict[str, EntryState]
    ) -> None:
        url = entry_link(entry, read.feed.url)
        if url is None:
            title = " ".join(str(entry.get("title") or "(untitled)").split())[:80]
            self.report.failed.append(FeedFailure(read.feed.url, f"entry {title!r} has no link"))
            read.failures += 1
            return
        mark = fingerprint(entry)
        before = known.get(url)
        is_indexed = url in self.indexed
        if before and before.fingerprint == mark and is_indexed and not before.summary_only:
            read.skipped += 1
            read.entries.append(before)
            return
        use_validators = before is not None and is_indexed and not before.summary_only
        try:
            page = self.client.get(
                url,
                before.page_etag if before and use_validators else None,
                before.page_last_modified if before and use_validators else None,
                _PAGE_ACCEPT,
            )
        except FetchError as exc:
            self._page_failed(read, entry, url, mark, source, str(exc), is_indexed)
            return
        if page.not_modified and before is not None:
            read.skipped += 1
            read.entries.append(
                EntryState(url, mark, before.page_etag, before.page_last_modified, False)
            )
            return
        doc = article_document(entry, url, source, page)
        if doc is None:
            self._page_failed(read, entry, url, mark, source, "no readable text", is_indexed)
            return
        read.articles.append((doc, read.feed.url))
        read.entries.append(EntryState(url, mark, page.etag, page.last_modified, False))

    def _page_failed(
        self,
        read: FeedRead,
        entry: Any,
        url: str,
        mark: str,
        source: str,
        why: str,
        is_indexed: bool,
    ) -> None:
        """A page that cannot be had: keep what is indexed, else index the entry's text."""
        read.failures += 1
        if is_indexed:
            self.report.failed.append(
                FeedFailure(url, f"page not fetched ({why}); the indexed copy is kept")
            )
            return
        doc = summary_document(entry, url, source)
        if doc is None:
            self.report.failed.append(
                FeedFailure(url, f"page not fetched ({why}) and the feed gives no text for it")
            )
            return
        self.report.summaries.append(
            FeedFailure(url, f"page not fetched ({why}); indexed the feed's summary instead")
        )
        read.articles.append((doc, read.feed.url))
        read.entries.append(EntryState(url, mark, None, None, True))


def article_document(entry: Any, url: str, source: str, page: Fetched) -> LoadedDocument | None:
    """The entry's article from its fetched page, or None when the page has no text."""
    article = extract_article(page.body, page.charset)
    if article is None:
        return None
    return LoadedDocument(
        doc_id=url,
        text=article.text,
        title=_entry_title(entry) or article.title or url,
        source=source,
        published_at=entry_date(entry) or article.published_at,
        url=url,
        date_from=(
            "feed entry" if entry_date(entry) else "page metadata" if article.published_at else None
        ),
    )


def summary_document(entry: Any, url: str, source: str) -> LoadedDocument | None:
    """The entry's article from the feed's own content or summary, or None if it has none."""
    text = clean_text(entry_text(entry))
    if not text:
        return None
    return LoadedDocument(
        doc_id=url,
        text=text,
        title=_entry_title(entry) or url,
        source=source,
        published_at=entry_date(entry),
        url=url,
        extra={"indexed_from": "feed summary"},
        date_from="feed entry" if entry_date(entry) else None,
    )


def _entry_title(entry: Any) -> str | None:
    return " ".join(str(entry.get("title") or "").split()) or None


def _bozo_reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "no feed element found"
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:120]


def _raw(entry: Any, key: str) -> Any:
    """``entry[key]`` without feedparser's deprecated mapping of "updated" to "published"."""
    return dict.get(entry, key)


def entry_date(entry: Any) -> str | None:
    """The entry's publication date (else its update date) as YYYY-MM-DD, in UTC."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = _raw(entry, key)
        if value:
            stamp = calendar.timegm(value)
            return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date().isoformat()
    return None


def entry_link(entry: Any, feed_url: str) -> str | None:
    """The entry's article URL (absolute, without fragment), or None."""
    link = entry.get("link") or ""
    if not link:
        ident = entry.get("id") or ""
        link = ident if ident.startswith(("http://", "https://")) else ""
    if not link:
        return None
    absolute = urldefrag(urljoin(feed_url, link.strip())).url
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def fingerprint(entry: Any) -> str:
    """A hash of what the feed says about the entry: a change means fetch the page again."""
    keys = ("id", "link", "title", "published", "updated", "summary")
    data = {k: str(_raw(entry, k) or "") for k in keys}
    data["content"] = json.dumps([c.get("value", "") for c in entry.get("content") or []])
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
