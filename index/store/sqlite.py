"""The one way evchat's SQLite files are written: WAL, and each change one ``BEGIN
IMMEDIATE`` transaction that is rolled back on any error (the manifest, the feed
registry and the conversation history all use it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from index.errors import StoreUnavailableError


def connect(path: Path, timeout_s: float = 30.0) -> sqlite3.Connection:
    """A connection in autocommit mode with WAL on (transactions are explicit)."""
    db = sqlite3.connect(path, timeout=timeout_s, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` when the block raises."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@contextmanager
def write(
    connect: Callable[[], sqlite3.Connection], what: str, consequence: str = ""
) -> Iterator[sqlite3.Connection]:
    """A fresh connection from ``connect`` in one :func:`transaction`. A SQLite failure
    (locked, disk full, read-only) becomes one sentence, ``StoreUnavailableError("Cannot
    write <what> (<SQLite's message>); <consequence>.")``."""
    try:
        with closing(connect()) as db, transaction(db):
            yield db
    except sqlite3.OperationalError as exc:
        tail = f"; {consequence}" if consequence else ""
        raise StoreUnavailableError(f"Cannot write {what} ({exc}){tail}.") from exc
