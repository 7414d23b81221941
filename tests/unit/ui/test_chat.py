"""The chat tab's handlers: a user's mistake is shown as it is, a bug only by its log id."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import gradio as gr
import pytest

from assistant import Answer, BadInputError
from ui.chat import ChatHandlers

LOGGED = re.compile(r"Something went wrong \(logged as ([0-9a-f]{8})\)\.")


class FailingAssistant:
    """A fake assistant (and its conversations and collections) that fails on cue: the
    only way to stage a bug in the chat."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[str | Answer]:
        raise self.error

    def ask(self, *args: Any, **kwargs: Any) -> Answer:
        raise self.error

    # CollectionBots: every collection is this one.
    def get(self, name: str | None) -> FailingAssistant:
        return self

    def current(self, name: str | None) -> str:
        return "evchat"

    # Conversations: a new conversation streams like the assistant.
    def conversations(self, user: str | None = None) -> FailingAssistant:
        return self

    def new(self) -> FailingAssistant:
        return self


def respond(bot: FailingAssistant) -> list[tuple[Any, ...]]:
    handlers = ChatHandlers(bot)  # type: ignore[arg-type]
    return list(handlers.respond("Which plant?", [], None, "", [], "", "", "extractive", 6.0))


def test_a_bug_in_the_chat_shows_only_an_id_and_logs_the_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = FailingAssistant(TypeError("TextEncodeInput must be Union[...]"))
    with caplog.at_level(logging.ERROR, logger="evchat"), pytest.warns(UserWarning) as shown:
        outputs = respond(bot)
    [message] = [str(w.message) for w in shown]
    found = LOGGED.fullmatch(message)
    assert found and "TextEncodeInput" not in message
    assert outputs[-1][-1] == "Which plant?"  # the question stays in the box
    [record] = [r for r in caplog.records if found.group(1) in r.getMessage()]
    assert record.exc_info and "TextEncodeInput" in str(record.exc_info[1])


def test_a_users_mistake_in_the_chat_is_shown_as_it_is() -> None:
    bot = FailingAssistant(BadInputError("k (passages per answer) must be a whole number."))
    with pytest.warns(UserWarning, match=r"^k \(passages per answer\) must be a whole number\.$"):
        respond(bot)


def test_the_ask_endpoint_turns_a_bug_into_an_id() -> None:
    handlers = ChatHandlers(FailingAssistant(KeyError("chunk-17")))  # type: ignore[arg-type]
    with pytest.raises(gr.Error) as raised:
        handlers.api_ask("Which plant?")
    assert LOGGED.fullmatch(raised.value.message) and "chunk-17" not in raised.value.message
