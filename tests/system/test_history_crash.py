"""SIGKILL while a turn is being saved loses at most that turn and never damages the history."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from assistant.conversations.records import answer_from_json
from assistant.conversations.store import ConversationStore
from tests.paths import REPO
from tests.unit.assistant.conversations.answers import answered
from tests.unit.assistant.conversations.test_store import conversation

DRIVER = """
import sys, time
sys.path.insert(0, {repo!r})
from assistant.conversations.store import ConversationStore
from tests.unit.assistant.conversations.answers import answered
from tests.unit.assistant.conversations.test_store import conversation
store = ConversationStore({path!r})
start = int(sys.argv[1])
for i in range(start, start + 100000):
    store.add_turn("ann", conversation(f"conv{{i % 5}}"), f"question {{i}}", answered(f"n{{i}}."))
    print(i, flush=True)
"""


def run_and_kill(driver: Path, start: int, after: int) -> int:
    """Run the driver until it has acknowledged ``after`` turns, SIGKILL it; the number
    of the last turn it acknowledged before it died."""
    proc = subprocess.Popen(
        [sys.executable, str(driver), str(start)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert proc.stdout is not None
    last = start - 1
    for line in proc.stdout:
        last = int(line)
        if last - start + 1 >= after:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    for line in proc.stdout:  # what it acknowledged while this process was reading behind
        last = int(line)
    return last


def test_sigkill_while_saving_loses_at_most_that_turn(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite"
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(repo=str(REPO), path=str(path)), encoding="utf-8")
    rng = random.Random(13)
    saved = 0
    for _round in range(5):
        acked = run_and_kill(driver, saved, rng.randint(5, 60))
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows = db.execute("SELECT question, record FROM turns ORDER BY id").fetchall()
        # every acknowledged turn is there; at most one more (saved, killed before it said so)
        assert acked + 1 <= len(rows) <= acked + 2
        assert [q for q, _r in rows] == [f"question {i}" for i in range(len(rows))]
        assert all(answer_from_json(r).citations for _q, r in rows)  # no half-written turn
        saved = len(rows)
    store = ConversationStore(path)
    by_conversation = {c.id: c.turns for c in store.conversations("ann")}
    assert sum(by_conversation.values()) == saved
    for cid in by_conversation:
        positions = [t.position for t in store.get("ann", cid)[1]]
        assert positions == list(range(1, len(positions) + 1))
    store.add_turn("ann", conversation("conv0"), "after the crashes", answered())
    assert json.loads(json.dumps(store.get("ann", "conv0")[0].to_dict()))["turns"] > 0
