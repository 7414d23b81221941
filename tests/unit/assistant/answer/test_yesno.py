"""Yes/no, comparison and which-came-first questions on the sample corpus."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.question import is_yes_no
from assistant.answer.yesno import asks_order, split_parts


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Does The Verge suggest X, while TechCrunch reports Y?", True),
        ("Between the report from A and the report from B, is there consistency in X?", True),
        ("Did Northvolt file for Chapter 11 after lithium prices crashed?", True),
        ("Which automaker joined Ionna?", False),
        ("Where has BYD run a bus factory?", False),
    ],
)
def test_is_yes_no(question: str, expected: bool) -> None:
    assert is_yes_no(question) is expected


def test_leading_after_clause_is_not_an_order_question() -> None:
    assert asks_order("Did A report X before B reported Y?") == "before"
    assert asks_order("After A reported X on May 1, was there consistency in Y?") is None


def test_comparison_is_cut_into_one_part_per_claim() -> None:
    parts = split_parts("Does Fortune claim X was legal, while The Verge suggests Y?", ["Fortune"])
    assert parts == ["Does Fortune claim X was legal", "The Verge suggests Y"]
    shared = split_parts(
        "Between the report from Wired and the one from The Verge, is there consistency in X?",
        ["Wired", "The Verge"],
    )
    assert shared == ["Wired: consistency in X", "The Verge: consistency in X"]


def test_which_came_first_is_decided_from_the_publication_dates(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask("Did Northvolt file for Chapter 11 after lithium prices crashed?")
    assert answer.short_answer == "Yes" and answer.text.startswith("Yes — ")
    dates = [c.published_at for c in answer.citations]
    assert len(dates) == 2 and dates[0] > dates[1]  # type: ignore[operator]
    assert f"({dates[0]}) came after" in answer.text and f"({dates[1]})" in answer.text
    before = sample_assistant.ask(
        "Did Northvolt file for Chapter 11 before lithium prices crashed?"
    )
    assert before.short_answer == "No" and "came after" in before.text


def test_yes_no_question_nothing_bears_on_is_refused(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Did Zorblax Motors recall its hyperdrive sedan before Quillmarsh?"
    )
    assert answer.refused and answer.short_answer is None
