"""A conversation as Markdown and JSON: numbered sources, escaped document text."""

from __future__ import annotations

import json
import re
import time

from assistant import (
    ConversationInfo,
    Feedback,
    Turn,
    conversation_to_dict,
    conversation_to_markdown,
)
from tests.unit.assistant.conversations.answers import answered, citation, refused

HOSTILE = "Plant <script>alert(1)</script> [click](javascript:alert(1)) *big*"


def info() -> ConversationInfo:
    return ConversationInfo(
        "abc123def456", "Volta questions", "ann", "evchat", time.time(), time.time()
    )


def turns() -> list[Turn]:
    good = answered()
    return [
        Turn(1, 1, "Where will Volta build?", good, "evchat", time.time(), "2025-04-01",
             feedback=Feedback("down", (1,), "In Zaragoza")),
        Turn(2, 2, "Who won the World Cup?", refused(), "evchat", time.time()),
    ]  # fmt: skip


def test_markdown_lists_every_source_with_its_details() -> None:
    md = conversation_to_markdown(info(), turns())
    assert md.startswith("# Volta questions\n")
    assert "## 1. Where will Volta build?" in md
    assert "*searched for: Where will Volta Iberia build its plant? · as of 2025-04-01*" in md
    assert "[1]" in md and "*(unsupported)*" in md
    source = "1. **Volta picks Zaragoza** — Test Wire · 2025-03-04 · page 2 · <https://example.org/volta>"
    assert source in md
    assert (
        "   > “Volta Iberia, a Spanish battery start-up, will build its first cell plant in "
        "Zaragoza.”" in md
    )
    assert "*Feedback: not helpful; wrong citation [1]; the right answer is “In Zaragoza”*" in md
    assert "## 2. Who won the World Cup?" in md and "> **The documents don't say.**" in md


def test_markdown_shows_document_markup_as_text() -> None:
    c = citation(title=HOSTILE, quote=HOSTILE, url="javascript:alert(1)", source="Evil")
    answer = answered()
    answer.citations = [c]
    md = conversation_to_markdown(info(), [Turn(1, 1, HOSTILE, answer, "evchat", time.time())])
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # no link is formed
    assert "\\[click\\]" in md and "\\*big\\*" in md
    assert "<javascript:" not in md  # only http(s) URLs become links


def test_json_holds_each_turn_with_its_answer_and_feedback() -> None:
    data = json.loads(json.dumps(conversation_to_dict(info(), turns())))
    assert (data["id"], data["title"], data["collection"]) == (
        "abc123def456",
        "Volta questions",
        "evchat",
    )
    first, second = data["turns"]
    assert first["question"] == "Where will Volta build?" and first["as_of"] == "2025-04-01"
    assert first["answer"]["citations"][0]["url"] == "https://example.org/volta"
    assert first["answer"]["citations"][0]["quote"].startswith("Volta Iberia")
    assert first["feedback"]["right_answer"] == "In Zaragoza"
    assert second["answer"]["refused"] is True and second["feedback"] is None
