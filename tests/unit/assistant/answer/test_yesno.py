"""Yes/no, comparison and which-came-first questions on the sample corpus."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.evidence import ScoredSentence
from assistant.answer.question import is_yes_no
from assistant.answer.yesno import (
    Part,
    asked_verdicts,
    asks_order,
    part_date,
    split_parts,
    verdict_forms,
)
from assistant.types import Passage


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Does The Verge suggest X, while TechCrunch reports Y?", True),
        ("Between the report from A and the report from B, is there consistency in X?", True),
        ("Did Northvolt file for Chapter 11 after lithium prices crashed?", True),
        ("Which automaker joined Ionna?", False),
        ("Where has BYD run a bus factory?", False),
        ("After A reported X on May 1, did B agree or disagree on Y?", True),
        ("Between the article from A and the one from B, has X remained consistent?", True),
        ("Considering A's article and B's report, which company, known for X, is Y?", False),
        ("After the strike ended, which carmaker, as Reuters said, was first to reopen?", False),
    ],
)
def test_is_yes_no(question: str, expected: bool) -> None:
    assert is_yes_no(question) is expected


@pytest.mark.parametrize(
    ("question", "forms", "asked"),
    [
        ("After A reported X, did B agree or disagree on Y?", ("Agree", "Disagree"), {True, False}),
        ("Has X remained consistent or inconsistent?", ("Consistent", "Inconsistent"),
         {True, False}),
        ("Do A and B both agree that X, or do they present different Y?", ("Agree", "Disagree"),
         {True, False}),
        ("Has X remained consistent with B, or has there been a change?",
         ("Consistent", "Inconsistent"), {True}),
        ("Do A and B report the same, or do they differ?", ("Similar", "Different"), {True, False}),
        ("Was X reported by A before or after B reported Y?", ("Before", "After"), set()),
        ("Was there inconsistency in the portrayal of X?", None, {False}),
        ("Was there consistency in the portrayal of X?", None, {True}),
        ("Did A report X before B reported Y?", None, set()),
    ],
)  # fmt: skip
def test_a_verdict_is_said_in_the_words_the_question_offers(
    question: str, forms: tuple[str, str] | None, asked: set[bool]
) -> None:
    assert verdict_forms(question) == forms
    assert asked_verdicts(question) == asked


def test_leading_after_clause_is_not_an_order_question() -> None:
    assert asks_order("Did A report X before B reported Y?") == "before"
    assert asks_order("After A reported X on May 1, was there consistency in Y?") is None


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("Did Northvolt file for Chapter 11 before lithium prices crashed?", "before"),
        ("Was X reported by A before or after B reported on Y?", "before"),
        ("Did A credit the team's improved form after a 1-4 start to its new coach?", None),
        ("Did A and B both say the firms were launched after a significant event?", None),
        ("Was there inconsistency in A's portrayal of X after B reported Y?", None),
        ("Between A's report after October 2 and B's report, was there consistency?", None),
        ("Has A's focus on X changed after B mentioned Y?", None),
    ],
)
def test_an_order_word_asks_which_came_first_only_when_it_leads_a_clause(
    question: str, order: str | None
) -> None:
    assert asks_order(question) == order


def test_comparison_is_cut_into_one_part_per_claim() -> None:
    parts = split_parts("Does Fortune claim X was legal, while The Verge suggests Y?", ["Fortune"])
    assert parts == ["Does Fortune claim X was legal", "The Verge suggests Y"]
    shared = split_parts(
        "Between the report from Wired and the one from The Verge, is there consistency in X?",
        ["Wired", "The Verge"],
    )
    assert shared == ["Wired: consistency in X", "The Verge: consistency in X"]


def test_which_came_first_is_decided_from_the_dates_the_evidence_states(
    sample_assistant: Assistant,
) -> None:
    # Northvolt filed on 21 November 2024; lithium prices crashed in 2023 (the sentences
    # say so). The lithium evidence may come from a document published after the filing
    # (the December 2024 price survey): its publication date must not decide the order.
    for word, verdict in (("after", "Yes"), ("before", "No")):
        answer = sample_assistant.ask(
            f"Did Northvolt file for Chapter 11 {word} lithium prices crashed?"
        )
        assert answer.short_answer == verdict, answer.text
        assert answer.text.startswith(f"{verdict} — ")
        assert len(answer.citations) == 2
        assert "(21 November 2024) came after" in answer.text, answer.text
        assert "(2023)" in answer.text, answer.text


def test_a_part_about_a_report_is_dated_by_its_publication() -> None:
    passages = [
        Passage("c1", "a.md", "Lithium prices collapsed in 2023, Wired said.", "Lithium",
                "Wired", "2024-05-02", None, 0, 46, 0.1),
        Passage("c2", "b.md", "Northvolt filed for bankruptcy in November 2024.", "Northvolt",
                "The Verge", "2024-11-22", None, 0, 48, 0.1),
    ]  # fmt: skip
    report = Part("Wired reported that lithium prices collapsed", ("Wired",),
                  ScoredSentence(0, 0, 46, passages[0].text, 0.9))  # fmt: skip
    event = Part("lithium prices collapsed", (), ScoredSentence(0, 0, 46, passages[0].text, 0.9))
    assert part_date(report, passages) == ((2024, 5, 2), "published 2024-05-02")
    assert part_date(event, passages) == ((2023,), "2023")


def test_yes_no_question_nothing_bears_on_is_refused(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Did Zorblax Motors recall its hyperdrive sedan before Quillmarsh?"
    )
    assert answer.refused and answer.short_answer is None
