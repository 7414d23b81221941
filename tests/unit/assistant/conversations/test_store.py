"""The history store: turns round-trip whole, users stay apart, bad files are one line."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from assistant import BadInputError, ConversationInfo, Feedback, HistoryUnavailableError
from assistant.conversations.records import answer_from_json
from assistant.conversations.store import ConversationStore
from tests.unit.assistant.conversations.answers import answered, refused


def conversation(cid: str, collection: str = "evchat", title: str = "") -> ConversationInfo:
    now = time.time()
    return ConversationInfo(cid, title, "", collection, now, now)


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(tmp_path / "home" / "conversations.sqlite")


def test_a_turn_round_trips_every_field_of_its_answer(store: ConversationStore) -> None:
    answer = answered()
    saved = store.add_turn(
        "ann", conversation("c0ffee01"), "Where?", answer, "2025-04-01", ["A", "B"]
    )
    info, turns = store.get("ann", "c0ffee01")
    assert [t.id for t in turns] == [saved.id] and turns[0].position == 1
    got = turns[0]
    assert (got.question, got.as_of, got.options) == ("Where?", "2025-04-01", ("A", "B"))
    assert got.answer.text == answer.text and got.answer.citations == answer.citations
    assert got.answer.sentences == answer.sentences  # the unsupported flag included
    assert got.answer.passages == answer.passages[:1]  # only the cited passage is kept
    assert (got.answer.warning, got.answer.answerer) == ("a warning", "extractive")
    assert got.standalone_question == answer.standalone_question
    assert info.title == "Where?" and info.turns == 1


def test_the_row_holds_the_turn_in_plain_columns(store: ConversationStore) -> None:
    store.add_turn("ann", conversation("c0ffee02"), "Where?", answered(), "2025-04-01")
    with sqlite3.connect(store.path) as db:
        row = db.execute(
            "SELECT question, standalone_question, as_of, answer, citations, refused, answerer "
            "FROM turns"
        ).fetchone()
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert row[:3] == ("Where?", "Where will Volta Iberia build its plant?", "2025-04-01")
    assert row[3].endswith("The plant has no name yet.") and row[5:] == (0, "extractive")
    [cited] = json.loads(row[4])
    assert set(cited) == {"n", "chunk_id", "doc_id", "start", "end", "quote"}


def test_a_refusal_keeps_its_closest_passages(store: ConversationStore) -> None:
    store.add_turn("ann", conversation("c0ffee03"), "Who?", refused())
    turn = store.get("ann", "c0ffee03")[1][0]
    assert turn.answer.refused and len(turn.answer.passages) == 3


def test_conversations_are_listed_newest_first(store: ConversationStore) -> None:
    store.add_turn("ann", conversation("aaaa0001"), "First question?", answered())
    store.add_turn("ann", conversation("bbbb0002", "reports"), "Second question?", answered())
    store.add_turn("ann", conversation("aaaa0001"), "A follow-up?", answered())
    listed = store.conversations("ann")
    assert [c.id for c in listed] == ["aaaa0001", "bbbb0002"]
    assert [c.title for c in listed] == ["First question?", "Second question?"]
    assert [c.turns for c in listed] == [2, 1]
    assert [c.id for c in store.conversations("ann", "reports")] == ["bbbb0002"]
    assert [c.id for c in store.conversations("ann", limit=1)] == ["aaaa0001"]


def test_users_never_see_or_change_each_others_conversations(store: ConversationStore) -> None:
    turn = store.add_turn("ann", conversation("a11ce001"), "Ann's question?", answered())
    assert store.conversations("bob") == []
    for attempt in (
        lambda: store.get("bob", "a11ce001"),
        lambda: store.rename("bob", "a11ce001", "mine now"),
        lambda: store.delete("bob", "a11ce001"),
        lambda: store.set_feedback("bob", turn.id, Feedback("down")),
        lambda: store.add_turn("bob", conversation("a11ce001"), "Bob's?", answered()),
    ):
        with pytest.raises(BadInputError):
            attempt()
    info, turns = store.get("ann", "a11ce001")
    assert info.title == "Ann's question?" and len(turns) == 1 and turns[0].feedback is None


def test_a_unique_prefix_opens_a_conversation(store: ConversationStore) -> None:
    store.add_turn("ann", conversation("abcd1111"), "One?", answered())
    store.add_turn("ann", conversation("abcd2222"), "Two?", answered())
    assert store.get("ann", "abcd2")[0].id == "abcd2222"
    with pytest.raises(BadInputError, match="more than one"):
        store.get("ann", "abcd")
    with pytest.raises(BadInputError, match="no conversation"):
        store.get("ann", "ffff")


def test_rename_and_delete(store: ConversationStore) -> None:
    store.add_turn("ann", conversation("dddd0001"), "Old title?", answered())
    store.rename("ann", "dddd0001", "  Volta   plant  ")
    assert store.conversations("ann")[0].title == "Volta plant"
    with pytest.raises(BadInputError, match="empty"):
        store.rename("ann", "dddd0001", "   ")
    store.delete("ann", "dddd0001")
    assert store.conversations("ann") == []
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT count(*) FROM turns").fetchone()[0] == 0


def test_feedback_is_stored_with_its_turn(store: ConversationStore) -> None:
    first = store.add_turn("ann", conversation("eeee0001"), "Where?", answered())
    store.add_turn("ann", conversation("eeee0001"), "Who?", refused())
    saved = store.set_feedback("ann", first.id, Feedback("down", (1,), "In Zaragoza"))
    assert saved.at > 0
    turns = store.get("ann", "eeee0001")[1]
    assert turns[0].feedback == saved and turns[1].feedback is None
    rated = store.with_feedback("ann")
    assert [(c.id, t.position) for c, t in rated] == [("eeee0001", 1)]
    assert store.with_feedback("ann", collection="other") == []
    assert store.with_feedback(None)[0][1].feedback == saved  # every user


def test_a_collection_rename_is_followed(store: ConversationStore) -> None:
    store.add_turn("ann", conversation("ffff0001", "drafts"), "Where?", answered())
    store.rename_collection("drafts", "reports")
    info, turns = store.get("ann", "ffff0001")
    assert info.collection == "reports" and turns[0].collection == "reports"


def test_a_corrupt_history_file_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite"
    path.write_bytes(b"this is not a database, it was overwritten by mistake " * 100)
    store = ConversationStore(path)
    with pytest.raises(HistoryUnavailableError) as err:
        store.conversations("ann")
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "cannot be read" in message
    with pytest.raises(HistoryUnavailableError):
        store.add_turn("ann", conversation("abab0001"), "Where?", answered())


def test_a_locked_history_times_out_with_one_line_and_still_reads(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "conversations.sqlite", timeout_s=0.3)
    store.add_turn("ann", conversation("cdcd0001"), "Where?", answered())
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        started = time.monotonic()
        with pytest.raises(HistoryUnavailableError, match="locked by another program") as err:
            store.add_turn("ann", conversation("cdcd0001"), "Again?", answered())
        assert time.monotonic() - started < 5 and "\n" not in str(err.value)
        assert [c.turns for c in store.conversations("ann")] == [1]  # readers are not blocked (WAL)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_fields_unknown_to_this_version_are_ignored_and_missing_ones_defaulted() -> None:
    record = json.loads(
        json.dumps(
            {
                "text": "Zaragoza. [1]", "refused": False, "standalone_question": "Where?",
                "citations": [], "passages": [], "some_future_field": {"x": 1},
                "sentences": [{"text": "Zaragoza. [1]", "citations": [1], "supported": True,
                               "checks": ["a later addition"]}],
            }
        )
    )  # fmt: skip
    answer = answer_from_json(json.dumps(record))
    assert answer.sentences[0].citations == (1,) and answer.answerer == "extractive"
    assert answer.warning is None and answer.timings_ms == {}
