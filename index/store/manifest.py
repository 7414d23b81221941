"""The manifest: per document its content hash, chunker, model and chunks (SQLite).

It is the write path's memory of what is indexed, and the source the BM25 index is built
from. One SQLite file per physical collection; every change is one transaction, so a
killed process leaves either the old or the new state of a document, never half.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass
from pathlib import Path

from index.store import sqlite
from index.types import Chunk, LoadedDocument

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, origin TEXT NOT NULL, content_hash TEXT NOT NULL,
    chunker_version TEXT NOT NULL, model_id TEXT NOT NULL, title TEXT NOT NULL,
    source TEXT NOT NULL, published_at TEXT, url TEXT, n_chunks INTEGER NOT NULL,
    indexed_at REAL NOT NULL, date_from TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, idx INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, page INTEGER
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    origin TEXT PRIMARY KEY, file_doc_id TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, version TEXT NOT NULL, doc_ids TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class FileRecord:
    """A source file whose every document was indexed as it was at ``size``/``mtime_ns``
    by the loader and chunker ``version``: a run may skip reading it while it stays so."""

    origin: str
    file_doc_id: str
    size: int
    mtime_ns: int
    version: str
    doc_ids: tuple[str, ...]


@dataclass(frozen=True)
class DocumentRecord:
    """What the manifest knows of one indexed document."""

    doc_id: str
    origin: str
    content_hash: str
    chunker_version: str
    model_id: str
    title: str
    source: str
    published_at: str | None
    url: str | None
    n_chunks: int
    indexed_at: float
    date_from: str | None = None  # where published_at was read (LoadedDocument.date_from)


@dataclass(frozen=True)
class ManifestEntry:
    """A document to record, with its chunks and how they were made."""

    doc: LoadedDocument
    origin: str
    content_hash: str
    chunker_version: str
    model_id: str
    chunks: Sequence[Chunk]


@dataclass(frozen=True)
class ChunkRow:
    """A stored chunk as the BM25 index and the read path need it."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    page: int | None


class Manifest:
    """SQLite-backed record of indexed documents and their chunks."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.executescript(_SCHEMA)
            columns = {str(r[1]) for r in db.execute("PRAGMA table_info(documents)")}
            if "date_from" not in columns:  # a manifest written before the column existed
                db.execute("ALTER TABLE documents ADD COLUMN date_from TEXT")
                db.commit()
        # Reads reuse one connection per thread: opening one costs about 0.5 ms, and the
        # read path asks for the generation several times per question.
        self._readers = threading.local()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite.connect(self.path)
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.write(self._connect, f"the manifest {self.path}", "the index is unchanged")

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[tuple[object, ...]]:
        db: sqlite3.Connection | None = getattr(self._readers, "db", None)
        if db is None:
            # Autocommit: every SELECT is its own transaction and sees the latest commit.
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._readers.db = db
        return db.execute(sql, args).fetchall()

    # --- documents -------------------------------------------------------------------
    def documents(self) -> dict[str, DocumentRecord]:
        """Every indexed document by id."""
        rows = self._query(
            "SELECT doc_id, origin, content_hash, chunker_version, model_id, title, source, "
            "published_at, url, n_chunks, indexed_at, date_from FROM documents"
        )
        return {str(r[0]): DocumentRecord(*r) for r in rows}  # type: ignore[arg-type]

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        """Chunk ids of one document, or of all documents."""
        if doc_id is None:
            return {str(r[0]) for r in self._query("SELECT chunk_id FROM chunks")}
        rows = self._query("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))
        return {str(r[0]) for r in rows}

    def all_chunks(self) -> list[ChunkRow]:
        """Every chunk, ordered by document and position."""
        return list(self.iter_chunks())

    def iter_chunks(self) -> Iterator[ChunkRow]:
        """Every chunk, ordered by document and position, one row at a time (the BM25 corpus).

        One SELECT on a connection of its own, so the rows are one consistent snapshot
        (SQLite's WAL keeps it while the statement runs, whatever commits meanwhile) and
        only the row being read is in memory: at a million chunks the list of every
        ``ChunkRow`` alone is over a gigabyte.
        """
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            rows = db.execute(
                'SELECT chunk_id, doc_id, text, start, "end", page FROM chunks ORDER BY doc_id, idx'
            )
            for r in rows:
                yield ChunkRow(*r)

    def document_text(self, doc_id: str) -> str | None:
        """The document's text rebuilt from its chunks (None when it is not indexed).

        Chunks are verbatim slices of the text at their offsets, so every chunk, and every
        citation offset into it, is exact; only the whitespace the chunker trimmed between
        two chunks comes back as spaces (a paragraph break when there were two or more).
        """
        rows = self._query(
            'SELECT text, start, "end" FROM chunks WHERE doc_id = ? ORDER BY idx', (doc_id,)
        )
        if not rows:
            return None
        size = max(int(str(end)) for _t, _s, end in rows)
        buf = [" "] * size
        covered = [False] * size
        for text, start, _end in rows:
            s, piece = int(str(start)), str(text)
            buf[s : s + len(piece)] = piece
            covered[s : s + len(piece)] = [True] * len(piece)
        for i in range(1, size - 1):  # a gap of two or more characters was a paragraph break
            if covered[i - 1] and not covered[i] and not covered[i + 1]:
                buf[i : i + 2] = ["\n", "\n"]
        return "".join(buf)

    def put_documents(self, entries: Sequence[ManifestEntry]) -> None:
        """Record each document with exactly its chunks, all in one transaction."""
        now = time.time()
        with self._tx() as db:
            for e in entries:
                d = e.doc
                db.execute("DELETE FROM chunks WHERE doc_id = ?", (d.doc_id,))
                db.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (d.doc_id, e.origin, e.content_hash, e.chunker_version, e.model_id,
                     d.title, d.source, d.published_at, d.url, len(e.chunks), now,
                     d.date_from),
                )  # fmt: skip
                db.executemany(
                    "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?)",
                    [(c.chunk_id, c.doc_id, c.index, c.text, c.start, c.end, c.page)
                     for c in e.chunks],
                )  # fmt: skip
            self._bump(db)

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        """Forget documents and their chunks (and the files they came from: the next run
        reads those again)."""
        ids = list(doc_ids)
        if not ids:
            return
        with self._tx() as db:
            db.executemany(
                "DELETE FROM files WHERE origin IN (SELECT origin FROM documents WHERE doc_id = ?)",
                [(d,) for d in ids],
            )
            db.executemany("DELETE FROM chunks WHERE doc_id = ?", [(d,) for d in ids])
            db.executemany("DELETE FROM documents WHERE doc_id = ?", [(d,) for d in ids])
            self._bump(db)

    # --- files read whole ------------------------------------------------------------
    def files(self) -> dict[str, FileRecord]:
        """The files recorded as indexed whole, by origin."""
        rows = self._query(
            "SELECT origin, file_doc_id, size, mtime_ns, version, doc_ids FROM files"
        )
        return {
            str(r[0]): FileRecord(
                str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4]),  # type: ignore[call-overload]
                tuple(json.loads(str(r[5]))),
            )
            for r in rows
        }  # fmt: skip

    def put_files(self, records: Sequence[FileRecord]) -> None:
        """Record files whose documents are all written (call after they are)."""
        if not records:
            return
        with self._tx() as db:
            db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)",
                [(f.origin, f.file_doc_id, f.size, f.mtime_ns, f.version, json.dumps(f.doc_ids))
                 for f in records],
            )  # fmt: skip

    # --- bookkeeping -----------------------------------------------------------------
    def generation(self) -> int:
        """A counter bumped by every change; the BM25 index records the one it was built at."""
        return int(self.get_meta("generation") or 0)

    def _bump(self, db: sqlite3.Connection) -> None:
        row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        db.execute(
            "INSERT OR REPLACE INTO meta VALUES ('generation', ?)",
            (str(int(row[0]) + 1 if row else 1),),
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('last_indexed', ?)", (str(time.time()),))

    def get_meta(self, key: str) -> str | None:
        """A bookkeeping value, or None."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Set (or with None, clear) a bookkeeping value."""
        with self._tx() as db:
            if value is None:
                db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def counts(self) -> tuple[int, int]:
        """(documents, chunks)."""
        d = self._query("SELECT count(*) FROM documents")[0][0]
        c = self._query("SELECT count(*) FROM chunks")[0][0]
        return int(d), int(c)  # type: ignore[call-overload]
