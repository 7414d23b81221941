"""The web API's typed outputs and its error logging (ui/api.py).

The TypedDicts are what ``view_api()`` documents: each must list exactly the keys the
public API's ``to_dict`` writes, so the documentation cannot drift from the data.
"""

from __future__ import annotations

import logging
import re
from typing import Any, get_type_hints

import gradio as gr
import pytest

from assistant import Answer, BadInputError, Citation, Passage
from assistant.conversations.export import turn_dict
from assistant.conversations.records import ConversationInfo, Feedback, Turn
from index.types import IndexReport
from ui.api import (
    AnswerJSON,
    CitationJSON,
    ConversationInfoJSON,
    FeedbackJSON,
    IndexReportJSON,
    PassageJSON,
    TurnJSON,
    check_format,
    failure,
    refusal,
)
from ui.chat import ChatHandlers

CITATION = Citation(1, "c1", "d1", "T", "S", "2024-01-01", None, "quote", 0, 5, 0.5)
PASSAGE = Passage("c1", "d1", "quote text", "T", "S", "2024-01-01", None, 0, 10, 0.9)
ANSWER = Answer("It is. [1]", False, [CITATION], [PASSAGE], "q")


def keys(typed: Any) -> set[str]:
    return set(get_type_hints(typed))


def test_the_answer_shape_is_what_answer_to_dict_writes() -> None:
    data = ANSWER.to_dict()
    assert set(data) == keys(AnswerJSON)
    assert set(data["citations"][0]) == keys(CitationJSON)
    assert set(data["passages"][0]) == keys(PassageJSON)


def test_the_history_shapes_are_what_the_conversation_api_writes() -> None:
    info = ConversationInfo("abc", "Title", "", "evchat", 1.0, 2.0, 1)
    assert set(info.to_dict()) == keys(ConversationInfoJSON)
    turn = Turn(1, 1, "q", ANSWER, "evchat", 1.0, feedback=Feedback("up"))
    data = turn_dict(turn)
    assert set(data) == keys(TurnJSON)
    assert set(data["feedback"]) == keys(FeedbackJSON)


def test_the_index_report_shape_covers_index_report_to_dict() -> None:
    assert set(IndexReport().to_dict()) <= keys(IndexReportJSON)
    assert {"rejected", "renamed"} <= keys(IndexReportJSON)  # what the upload handler adds


def test_a_users_mistake_is_one_info_line_with_an_id_and_no_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="evchat"):
        error = refusal(BadInputError("Please type a question."), "/ask")
    assert error.message == "Please type a question." and error.print_exception is False
    [record] = caplog.records
    assert record.levelno == logging.INFO and record.exc_info is None
    assert re.fullmatch(
        r"user error [0-9a-f]{8} in /ask: 'Please type a question\.'", record.getMessage()
    )


def test_a_bug_keeps_its_traceback_and_shows_only_its_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bug = KeyError("chunk-17")
    with caplog.at_level(logging.INFO, logger="evchat"):
        error = failure(bug, "/ask")
    found = re.fullmatch(r"Something went wrong \(logged as ([0-9a-f]{8})\)\.", error.message)
    assert found and error.print_exception is False  # logged once, by log_unexpected
    [record] = caplog.records
    assert record.levelno == logging.ERROR and found.group(1) in record.getMessage()
    assert record.exc_info and record.exc_info[1] is bug


@pytest.mark.parametrize("fmt", ["pdf", "JSON", "", "markdown"])
def test_an_unknown_conversation_format_is_refused_in_one_sentence(fmt: str) -> None:
    with pytest.raises(BadInputError) as raised:
        check_format(fmt)
    assert str(raised.value) == f"Unknown format {fmt!r}; use one of json, md."
    assert check_format("md") == "md" and check_format("json") == "json"


class _Refusing:
    """An assistant whose every question is a user's mistake."""

    def get(self, name: str | None) -> _Refusing:
        return self

    def ask(self, *args: Any, **kwargs: Any) -> Answer:
        raise BadInputError("The 'as of' date 'soon' is not a date of the form YYYY-MM-DD.")


def test_the_ask_endpoint_logs_a_mistake_at_info(caplog: pytest.LogCaptureFixture) -> None:
    handlers = ChatHandlers(_Refusing())  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="evchat"), pytest.raises(gr.Error) as raised:
        handlers.api_ask("Which plant?", as_of="soon")
    assert raised.value.message.startswith("The 'as of' date 'soon'")
    assert [r.levelno for r in caplog.records] == [logging.INFO]
