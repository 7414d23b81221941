"""``bot.conversations()``: a Conversation's ask carries its history and saves every turn."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant import Assistant, BadInputError, HistoryUnavailableError
from tests.fixtures.workspace import KESTREL, UNANSWERABLE, VOLTA


def test_ask_carries_the_history_and_saves_every_turn(workspace_bot: Assistant, user: str) -> None:
    chat = workspace_bot.conversations(user).new()
    first = chat.ask(VOLTA)
    assert not first.refused and "Zaragoza" in first.text
    follow = chat.ask("When does its production start?")
    # the follow-up was read with its history: "its" is Volta Iberia's plant
    assert "Volta Iberia" in follow.standalone_question
    assert chat.save_error is None
    reopened = workspace_bot.conversations(user).open(chat.id)
    assert [t.question for t in reopened.turns] == [VOLTA, "When does its production start?"]
    assert reopened.turns[1].standalone_question == follow.standalone_question
    assert reopened.turns[0].answer.citations == first.citations
    assert reopened.title == VOLTA
    reply = reopened.history()[1]
    assert reply["role"] == "assistant" and reply["content"] == first.text
    assert [c["doc_id"] for c in reply["citations"]] == [c.doc_id for c in first.citations]
    assert reply["standalone_question"] == VOLTA


def test_a_new_assistant_continues_a_saved_conversation(
    workspace_bot: Assistant, user: str
) -> None:
    chat = workspace_bot.conversations(user).new(title="Trucks")
    chat.ask(KESTREL)
    restarted = Assistant(workspace_bot.settings)  # as after a restart of the app
    again = restarted.conversations(user).open(chat.id[:6])
    again.ask("And where will they drive?")
    listed = restarted.conversations(user).list()
    assert [(c.id, c.title, c.turns) for c in listed] == [(chat.id, "Trucks", 2)]


def test_a_conversation_is_saved_only_once_it_has_an_answer(
    workspace_bot: Assistant, user: str
) -> None:
    workspace_bot.conversations(user).new()
    assert workspace_bot.conversations(user).list() == []


def test_answering_goes_on_when_the_history_file_is_corrupt(
    workspace_bot: Assistant, user: str, tmp_path: Path
) -> None:
    bad = tmp_path / "history.sqlite"
    bad.write_bytes(b"garbage " * 1000)
    bot = Assistant(workspace_bot.settings.replace(history_path=bad))
    chat = bot.conversations(user).new()
    answer = chat.ask(VOLTA)
    assert not answer.refused and "Zaragoza" in answer.text
    assert chat.save_error and "\n" not in chat.save_error and str(bad) in chat.save_error
    follow = chat.ask("When does its production start?")  # the history goes on in memory
    assert "Volta Iberia" in follow.standalone_question
    with pytest.raises(HistoryUnavailableError):
        bot.conversations(user).list()
    with pytest.raises(HistoryUnavailableError, match="not saved"):
        chat.feedback(verdict="up")


def test_feedback_is_checked_and_stored(workspace_bot: Assistant, user: str) -> None:
    chat = workspace_bot.conversations(user).new()
    chat.ask(VOLTA)
    chat.ask(UNANSWERABLE)
    with pytest.raises(BadInputError, match="no citation 7"):
        chat.feedback(1, "down", wrong_citations=[7])
    with pytest.raises(BadInputError, match="'up' or 'down'"):
        chat.feedback(1, "meh")  # type: ignore[arg-type]
    with pytest.raises(BadInputError, match="no answer 3"):
        chat.feedback(3, "up")
    chat.feedback(1, "down", wrong_citations=[1], right_answer=" In Zaragoza, Spain ")
    chat.feedback(verdict="up")  # the last turn: the refusal is confirmed
    turns = workspace_bot.conversations(user).open(chat.id).turns
    assert turns[0].feedback is not None and turns[0].feedback.right_answer == "In Zaragoza, Spain"
    assert turns[0].feedback.wrong_citations == (1,)
    assert turns[1].feedback is not None and turns[1].feedback.verdict == "up"


def test_rename_and_delete_through_the_api(workspace_bot: Assistant, user: str) -> None:
    chats = workspace_bot.conversations(user)
    chat = chats.new()
    chat.ask(KESTREL)
    chat.rename("Trucks for Kestrel")
    assert chats.list()[0].title == "Trucks for Kestrel"
    chats.delete(chat.id)
    assert chats.list() == []
    with pytest.raises(BadInputError):
        chats.open(chat.id)


def test_answering_goes_on_when_the_history_is_locked(
    workspace_bot: Assistant, user: str, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite"
    bot = Assistant(workspace_bot.settings.replace(history_path=path, history_timeout_s=0.3))
    chat = bot.conversations(user).new()
    chat.ask(VOLTA)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the history
    try:
        answer = chat.ask(KESTREL)
        assert not answer.refused and "300" in answer.text
        assert chat.save_error and "locked by another program" in chat.save_error
    finally:
        other.execute("ROLLBACK")
        other.close()
    chat.ask("When does its production start?")
    assert chat.save_error is None  # saving resumes once the lock is gone
    saved = bot.conversations(user).open(chat.id).turns
    assert [t.question for t in saved] == [VOLTA, "When does its production start?"]
