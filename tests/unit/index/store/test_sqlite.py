"""One transaction per change: committed whole, or rolled back whole when the block raises."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from index.store import sqlite


def test_a_transaction_commits_or_rolls_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    with closing(sqlite.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute("CREATE TABLE t (x INTEGER)")
        with sqlite.transaction(db):
            db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(RuntimeError), sqlite.transaction(db):
            db.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("half-way")
    with closing(sqlite.connect(path)) as other:
        assert other.execute("SELECT x FROM t").fetchall() == [(1,)]
