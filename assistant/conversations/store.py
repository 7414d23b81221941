"""The conversation history: one SQLite file (WAL) under ``EVCHAT_HOME``, a row per turn.

Saving a turn is one transaction (the conversation's row, created with its first turn,
and the turn), so a process killed while saving loses at most that turn and never leaves
half of one. Every read and write names the user, and a user only ever sees or changes
their own conversations. A history file that cannot be used (corrupt, locked by another
program, on a read-only disk) raises :class:`HistoryUnavailableError`, whose message is
one line; answering does not depend on it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from assistant.conversations.records import (
    ConversationInfo,
    Feedback,
    Turn,
    answer_from_json,
    answer_to_json,
)
from assistant.errors import BadInputError, HistoryUnavailableError
from assistant.types import Answer
from index.store import sqlite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, user TEXT NOT NULL, collection TEXT NOT NULL, title TEXT NOT NULL,
    created_at REAL NOT NULL, updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_user ON conversations(user, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL, position INTEGER NOT NULL,
    question TEXT NOT NULL, standalone_question TEXT NOT NULL, as_of TEXT,
    options TEXT NOT NULL, answer TEXT NOT NULL, short_answer TEXT,
    citations TEXT NOT NULL, refused INTEGER NOT NULL, answerer TEXT NOT NULL,
    collection TEXT NOT NULL, created_at REAL NOT NULL, record TEXT NOT NULL,
    verdict TEXT, wrong_citations TEXT, right_answer TEXT, feedback_at REAL,
    UNIQUE (conversation_id, position)
);
"""
_TURN_COLUMNS = (
    "id, position, question, as_of, options, collection, created_at, record, "
    "verdict, wrong_citations, right_answer, feedback_at"
)
_INFO_COLUMNS = (
    "c.id, c.title, c.user, c.collection, c.created_at, c.updated_at, "
    "(SELECT count(*) FROM turns t WHERE t.conversation_id = c.id)"
)
TITLE_CHARS = 80


def title_for(question: str) -> str:
    """A conversation's title from its first question: one line, at most 80 characters."""
    line = " ".join(question.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


class ConversationStore:
    """The SQLite file of conversations and turns (see the module docstring)."""

    def __init__(self, path: Path, timeout_s: float = 5.0) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self._ready = False

    # --- connections -----------------------------------------------------------------
    @contextmanager
    def _db(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection (one transaction when ``write``); SQLite errors become one line."""
        try:
            if not self._ready:
                self._create()
            with closing(sqlite3.connect(self.path, self.timeout_s, isolation_level=None)) as db:
                if write:
                    with sqlite.transaction(db):
                        yield db
                else:
                    yield db
        except sqlite3.Error as exc:
            raise HistoryUnavailableError(self._reason(exc)) from exc
        except OSError as exc:
            raise HistoryUnavailableError(
                f"The conversation history {self.path} cannot be opened ({exc.strerror or exc})."
            ) from exc

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, self.timeout_s, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses nothing
            db.executescript(_SCHEMA)
        self._ready = True

    def _reason(self, exc: sqlite3.Error) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return (
                f"The conversation history {self.path} is locked by another program ({text}); "
                "this change was not saved."
            )
        if "readonly" in text or "read-only" in text:
            return f"The conversation history {self.path} is read-only; nothing is saved."
        return (
            f"The conversation history {self.path} cannot be read ({text}); answers still "
            "work but are not saved. Move the file away to start a new history."
        )

    # --- conversations ---------------------------------------------------------------
    def conversations(
        self, user: str, collection: str | None = None, limit: int | None = None
    ) -> list[ConversationInfo]:
        """The user's conversations (of one collection, or all), newest first; at most
        ``limit`` of them."""
        sql = f"SELECT {_INFO_COLUMNS} FROM conversations c WHERE c.user = ?"
        args: list[Any] = [user]
        if collection is not None:
            sql += " AND c.collection = ?"
            args.append(collection)
        sql += " ORDER BY c.updated_at DESC, c.id LIMIT ?"
        args.append(-1 if limit is None else int(limit))
        with self._db() as db:
            rows = db.execute(sql, args).fetchall()
        return [ConversationInfo(*r) for r in rows]

    def get(self, user: str, conversation_id: str) -> tuple[ConversationInfo, list[Turn]]:
        """A conversation of ``user`` and its turns, oldest first; the id may be a unique
        prefix of at least four characters (as ``evchat history`` shows them)."""
        with self._db() as db:
            info = self._find(db, user, conversation_id)
            rows = db.execute(
                f"SELECT {_TURN_COLUMNS} FROM turns WHERE conversation_id = ? ORDER BY position",
                (info.id,),
            ).fetchall()
        return info, [_turn(r) for r in rows]

    def _find(self, db: sqlite3.Connection, user: str, conversation_id: str) -> ConversationInfo:
        key = (conversation_id or "").strip()
        rows = db.execute(
            f"SELECT {_INFO_COLUMNS} FROM conversations c WHERE c.user = ? AND c.id = ?",
            (user, key),
        ).fetchall()
        if not rows and len(key) >= 4:
            rows = db.execute(
                f"SELECT {_INFO_COLUMNS} FROM conversations c WHERE c.user = ? "
                "AND substr(c.id, 1, ?) = ?",
                (user, len(key), key),
            ).fetchall()
        if len(rows) > 1:
            raise BadInputError(f"{key!r} names more than one conversation; give more of its id.")
        if not rows:
            raise BadInputError(f"There is no conversation {key!r}.")
        return ConversationInfo(*rows[0])

    def rename(self, user: str, conversation_id: str, title: str) -> None:
        """Give a conversation a new title."""
        title = title_for(title)
        if not title:
            raise BadInputError("A conversation's title cannot be empty.")
        with self._db(write=True) as db:
            info = self._find(db, user, conversation_id)
            db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, info.id))

    def delete(self, user: str, conversation_id: str) -> None:
        """Delete a conversation and all its turns."""
        with self._db(write=True) as db:
            info = self._find(db, user, conversation_id)
            db.execute("DELETE FROM turns WHERE conversation_id = ?", (info.id,))
            db.execute("DELETE FROM conversations WHERE id = ?", (info.id,))

    def rename_collection(self, old: str, new: str) -> None:
        """Follow a collection rename: its conversations and turns now name ``new``."""
        with self._db(write=True) as db:
            db.execute("UPDATE conversations SET collection = ? WHERE collection = ?", (new, old))
            db.execute("UPDATE turns SET collection = ? WHERE collection = ?", (new, old))

    # --- turns -----------------------------------------------------------------------
    def add_turn(
        self,
        user: str,
        conversation: ConversationInfo,
        question: str,
        answer: Answer,
        as_of: str | None = None,
        options: Sequence[str] = (),
    ) -> Turn:
        """Save one turn (and, with the first one, its conversation) in one transaction."""
        now = time.time()
        with self._db(write=True) as db:
            owner = db.execute(
                "SELECT user FROM conversations WHERE id = ?", (conversation.id,)
            ).fetchone()
            if owner is None:
                db.execute(
                    "INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?)",
                    (conversation.id, user, conversation.collection,
                     conversation.title or title_for(question), now, now),
                )  # fmt: skip
            elif owner[0] != user:
                raise BadInputError(f"There is no conversation {conversation.id!r}.")
            position = (
                1
                + db.execute(
                    "SELECT coalesce(max(position), 0) FROM turns WHERE conversation_id = ?",
                    (conversation.id,),
                ).fetchone()[0]
            )
            cursor = db.execute(
                "INSERT INTO turns (conversation_id, position, question, standalone_question, "
                "as_of, options, answer, short_answer, citations, refused, answerer, collection, "
                "created_at, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (conversation.id, position, question, answer.standalone_question, as_of,
                 json.dumps(list(options)), answer.text, getattr(answer, "short_answer", None),
                 json.dumps([_citation_row(c) for c in answer.citations], ensure_ascii=False),
                 int(answer.refused), answer.answerer, conversation.collection, now,
                 answer_to_json(answer)),
            )  # fmt: skip
            db.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation.id)
            )
        return Turn(
            id=int(cursor.lastrowid or 0), position=int(position), question=question,
            answer=answer, collection=conversation.collection, created_at=now,
            as_of=as_of, options=tuple(options),
        )  # fmt: skip

    def set_feedback(self, user: str, turn_id: int, feedback: Feedback) -> Feedback:
        """Store the user's feedback on one of their turns (replacing earlier feedback)."""
        stamped = Feedback(
            feedback.verdict, tuple(feedback.wrong_citations), feedback.right_answer, time.time()
        )
        with self._db(write=True) as db:
            row = db.execute(
                "SELECT t.id FROM turns t JOIN conversations c ON c.id = t.conversation_id "
                "WHERE t.id = ? AND c.user = ?",
                (int(turn_id), user),
            ).fetchone()
            if row is None:
                raise BadInputError(f"There is no answer {turn_id} to give feedback on.")
            db.execute(
                "UPDATE turns SET verdict = ?, wrong_citations = ?, right_answer = ?, "
                "feedback_at = ? WHERE id = ?",
                (stamped.verdict, json.dumps(list(stamped.wrong_citations)),
                 stamped.right_answer, stamped.at, int(turn_id)),
            )  # fmt: skip
        return stamped

    def with_feedback(
        self, user: str | None = None, collection: str | None = None
    ) -> list[tuple[ConversationInfo, Turn]]:
        """Every turn that has feedback (of one user or of all; of one collection or all),
        oldest first."""
        sql = (
            f"SELECT {_INFO_COLUMNS}, "
            + ", ".join(f"t.{c.strip()}" for c in _TURN_COLUMNS.split(","))
            + " FROM turns t JOIN conversations c ON c.id = t.conversation_id "
            "WHERE (t.verdict IS NOT NULL OR t.right_answer IS NOT NULL "
            "OR t.wrong_citations NOT IN ('[]', ''))"
        )
        args: list[Any] = []
        if user is not None:
            sql += " AND c.user = ?"
            args.append(user)
        if collection is not None:
            sql += " AND t.collection = ?"
            args.append(collection)
        with self._db() as db:
            rows = db.execute(sql + " ORDER BY t.created_at, t.id", args).fetchall()
        return [(ConversationInfo(*r[:7]), _turn(r[7:])) for r in rows]


def _citation_row(c: Any) -> dict[str, Any]:
    return {"n": c.n, "chunk_id": c.chunk_id, "doc_id": c.doc_id, "start": c.start,
            "end": c.end, "quote": c.quote}  # fmt: skip


def _turn(row: Sequence[Any]) -> Turn:
    (turn_id, position, question, as_of, options, collection, created_at, record,
     verdict, wrong, right, feedback_at) = row  # fmt: skip
    feedback = None
    if verdict is not None or right is not None or (wrong and wrong != "[]"):
        feedback = Feedback(verdict, tuple(json.loads(wrong or "[]")), right, feedback_at or 0.0)
    return Turn(
        id=int(turn_id), position=int(position), question=question,
        answer=answer_from_json(record), collection=collection, created_at=created_at,
        as_of=as_of, options=tuple(json.loads(options or "[]")), feedback=feedback,
    )  # fmt: skip
