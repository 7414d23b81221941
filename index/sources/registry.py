"""The feed registry: which feeds a collection follows and what each sync saw (SQLite).

One SQLite file per collection under ``EVCHAT_HOME/feeds/``. Every change is one
transaction, and a sync records a feed's validators (ETag, Last-Modified) and its entries
only after their articles are indexed, so a killed sync is simply done again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass
from pathlib import Path

from index.errors import BadInputError, StoreUnavailableError
from index.store import sqlite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, name TEXT, added_at REAL NOT NULL, etag TEXT, last_modified TEXT,
    last_sync REAL, status TEXT NOT NULL DEFAULT 'never synced', error TEXT,
    entries INTEGER NOT NULL DEFAULT 0, title TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    feed_url TEXT NOT NULL, url TEXT NOT NULL, fingerprint TEXT NOT NULL,
    page_etag TEXT, page_last_modified TEXT, summary_only INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (feed_url, url)
);
"""


@dataclass(frozen=True)
class FeedInfo:
    """A followed feed and how its last sync went."""

    url: str
    name: str | None  # the name given with --name; else the feed's own title names it
    title: str | None
    added_at: float
    last_sync: float | None
    status: str  # "never synced", "ok", "not modified", "failed"
    error: str | None
    entries: int
    etag: str | None = None
    last_modified: str | None = None

    @property
    def display_name(self) -> str:
        """The name shown and used as the articles' source."""
        return self.name or self.title or self.url

    def to_dict(self) -> dict[str, object]:
        """JSON form for ``evchat feeds list --json``."""
        return {
            "url": self.url,
            "name": self.display_name,
            "added_at": self.added_at,
            "last_sync": self.last_sync,
            "status": self.status,
            "error": self.error,
            "entries": self.entries,
        }


@dataclass(frozen=True)
class EntryState:
    """What the last sync recorded of one entry."""

    url: str
    fingerprint: str
    page_etag: str | None
    page_last_modified: str | None
    summary_only: bool


class FeedRegistry:
    """The followed feeds of one collection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as db:
                db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailableError(f"Cannot open the feed registry {path} ({exc}).") from exc

    @classmethod
    def for_collection(cls, home: Path, collection: str) -> FeedRegistry:
        """The registry of ``collection`` under ``home``."""
        return cls(home / "feeds" / f"{collection}.sqlite")

    def _connect(self) -> sqlite3.Connection:
        return sqlite.connect(self.path)

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.write(self._connect, f"the feed registry {self.path}")

    def _rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with closing(self._connect()) as db:
            return db.execute(sql, args).fetchall()

    def add(self, url: str, name: str | None = None) -> FeedInfo:
        """Follow ``url``; ``BadInputError`` if it is already followed."""
        with self._tx() as db:
            if db.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone():
                raise BadInputError(f"The feed {url} is already followed.")
            db.execute(
                "INSERT INTO feeds (url, name, added_at) VALUES (?, ?, ?)", (url, name, time.time())
            )
        return self.get(url)

    def remove(self, url: str) -> None:
        """Stop following ``url``; ``BadInputError`` if it is not followed."""
        with self._tx() as db:
            if not db.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone():
                raise BadInputError(f"No feed {url} is followed; see `evchat feeds list`.")
            db.execute("DELETE FROM entries WHERE feed_url = ?", (url,))
            db.execute("DELETE FROM feeds WHERE url = ?", (url,))

    def get(self, url: str) -> FeedInfo:
        """The feed ``url``; ``BadInputError`` if it is not followed."""
        for feed in self.feeds():
            if feed.url == url:
                return feed
        raise BadInputError(f"No feed {url} is followed; see `evchat feeds list`.")

    def feeds(self) -> list[FeedInfo]:
        """Every followed feed, in the order they were added."""
        rows = self._rows(
            "SELECT url, name, title, added_at, last_sync, status, error, entries, etag, "
            "last_modified FROM feeds ORDER BY added_at, url"
        )
        return [FeedInfo(*r) for r in rows]  # type: ignore[arg-type]

    def entries(self, feed_url: str) -> dict[str, EntryState]:
        """The entries the last syncs recorded for a feed, by article URL."""
        rows = self._rows(
            "SELECT url, fingerprint, page_etag, page_last_modified, summary_only FROM entries "
            "WHERE feed_url = ?",
            (feed_url,),
        )
        return {
            str(url): EntryState(str(url), str(mark), etag, modified, bool(summary))  # type: ignore[arg-type]
            for url, mark, etag, modified, summary in rows
        }

    def record_sync(
        self,
        feed: FeedInfo,
        *,
        status: str,
        error: str | None = None,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        entries: Sequence[EntryState] = (),
    ) -> None:
        """Record a sync's outcome for ``feed``: validators and entries only on success."""
        with self._tx() as db:
            if status == "failed":
                db.execute(
                    "UPDATE feeds SET last_sync = ?, status = ?, error = ? WHERE url = ?",
                    (time.time(), status, error, feed.url),
                )
                return
            db.executemany(
                "INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?,?)",
                [(feed.url, e.url, e.fingerprint, e.page_etag, e.page_last_modified,
                  int(e.summary_only)) for e in entries],
            )  # fmt: skip
            count = db.execute("SELECT count(*) FROM entries WHERE feed_url = ?", (feed.url,))
            db.execute(
                "UPDATE feeds SET last_sync = ?, status = ?, error = ?, entries = ?, "
                "title = coalesce(?, title), etag = ?, last_modified = ? WHERE url = ?",
                (time.time(), status, error, count.fetchone()[0], title, etag, last_modified,
                 feed.url),
            )  # fmt: skip
