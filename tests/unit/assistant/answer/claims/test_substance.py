"""A sentence that only restates the question, or talks about answering, states nothing."""

from __future__ import annotations

import pytest

from assistant.answer.claims import states_nothing

PLANT = "Where is BYD building its first European car plant?"


@pytest.mark.parametrize(
    "claim",
    [
        # What SmolLM2 returned as a 'condensed question' that was taken as the answer.
        'The answer to the question "Where is BYD building its first European car plant?" '
        "should be:",
        "BYD is building its first European car plant.",
        "Based on the passages provided, here is the answer:",
        "Where is BYD building its first European car plant?",
        "According to the documents, BYD is building a European car plant.",
    ],
)
def test_restating_or_introducing_states_nothing(claim: str) -> None:
    assert states_nothing(claim, PLANT)


@pytest.mark.parametrize(
    "claim",
    [
        "BYD is building its first European car plant in Szeged, Hungary.",
        "The plant is near Szeged.",
        "BYD said production would start in 2026.",
        "Szeged.",
    ],
)
def test_a_sentence_adding_a_fact_states_something(claim: str) -> None:
    assert not states_nothing(claim, PLANT)


def test_a_yes_no_question_is_answered_by_restating_it_or_by_yes() -> None:
    question = "Did BYD open a car plant in Szeged?"
    assert not states_nothing("BYD opened a car plant in Szeged.", question, yes_no=True)
    assert not states_nothing("Yes.", question, yes_no=True)
    assert states_nothing("The answer to the question is:", question, yes_no=True)


def test_a_statement_typed_as_the_question_is_confirmed_by_saying_it() -> None:
    statement = "BYD is building its first European car plant in Szeged"
    assert not states_nothing("BYD is building its first European car plant in Szeged.", statement)
    assert states_nothing("Here is the answer:", statement)
