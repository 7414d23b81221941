"""The one answer view: markers that open their passage, one panel, everything escaped."""

from __future__ import annotations

import time

from assistant import Feedback, Turn
from tests.unit.assistant.conversations.answers import answered, citation, passage, refused
from ui import answer_view

EVIL = '<script>x()</script><img src=x onerror="x()">'


def turn(position: int, answer: object, verdict: str | None = None) -> Turn:
    feedback = Feedback(verdict) if verdict else None  # type: ignore[arg-type]
    return Turn(position, position, f"question {position}?", answer, "evchat", time.time(),
                feedback=feedback)  # type: ignore[arg-type]  # fmt: skip


def test_markers_link_to_their_passage_of_that_answer() -> None:
    html = answer_view.bubble(answered(), 3, "Where?")
    assert 'href="#src-3-1"' in html and 'href="#cite-' not in html
    assert "unsupported" in html  # the unsupported sentence keeps its flag
    assert html.startswith('<div class="evchat-turn" id="turn-3">')


def test_the_panel_holds_every_answer_and_shows_one() -> None:
    turns = [turn(1, answered()), turn(2, refused()), turn(3, answered())]
    html = answer_view.panel(turns)
    assert html.count("<section ") == 2  # a refusal has no sources
    assert '<section class="evchat-turn-sources" id="srcs-1"' not in html  # hidden: not latest
    assert '<section hidden class="evchat-turn-sources" id="srcs-1">' in html
    assert '<section class="evchat-turn-sources" id="srcs-3">' in html
    assert 'id="src-3-1"' in html and "<mark>" in html
    assert "Sources of answer 3" in answer_view.panel(turns)
    assert "Sources of answer 1" in answer_view.panel(turns, shown=1)
    assert "Click a" in answer_view.panel([]) and "<section" not in answer_view.panel([])


def test_document_text_is_escaped_in_the_bubble_and_the_panel() -> None:
    answer = answered()
    answer.citations = [citation(title=EVIL, quote="Volta Iberia", source=EVIL)]
    answer.passages = [passage(text="Volta Iberia " + EVIL)]
    html = answer_view.bubble(answer, 1) + answer_view.panel([answer])
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert "&lt;" in answer_view.user_bubble("<b>bold?</b>")


def test_saved_turns_become_chat_messages_with_their_thumbs() -> None:
    turns = [turn(1, answered(), "up"), turn(2, refused()), turn(3, answered(), "down")]
    messages = answer_view.messages(turns)
    assert [m["role"] for m in messages] == ["user", "assistant"] * 3
    assert (
        'href="#src-3-1"' in messages[5]["content"] and "evchat-refusal" in messages[3]["content"]
    )
    assert answer_view.feedback_values(turns) == ["Like", None, "Dislike"]
