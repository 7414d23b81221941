"""A follow-up's evidence kept to what its pronoun was bound to, and the times a question
about what is still to happen accepts (issue 25's "When will it open?")."""

from __future__ import annotations

import pytest

from assistant.answer.bound import bound_names, on_bound, paragraph
from assistant.answer.evidence import ScoredSentence
from assistant.answer.features import new_spans
from assistant.answer.question import analyse_question
from assistant.types import Passage

BOUND = "When will BYD's first European car plant in Szeged open?"
ARTICLE = (
    "BYD will build its first European car factory near Szeged in Hungary. The company "
    "said production was expected to begin within about three years.\n\n"
    "*Update (July 2024):* BYD opened the Rayong plant in Thailand in early July 2024."
)


def passage(text: str = ARTICLE) -> Passage:
    return Passage("c1", "d1", text, "BYD picks Szeged", "sample", "2023-12-22", None, 0,
                   len(text), 0.9)  # fmt: skip


def sentence(text: str, p: float, body: str = ARTICLE) -> ScoredSentence:
    start = body.index(text)
    return ScoredSentence(0, start, start + len(text), text, p, p)


THREE_YEARS = "The company said production was expected to begin within about three years."
RAYONG = "BYD opened the Rayong plant in Thailand in early July 2024."


def test_the_names_the_binding_put_in_are_those_the_follow_up_does_not_state() -> None:
    qa = analyse_question(BOUND)
    assert [s.text for s in bound_names("When will it open?", qa)] == ["BYD", "European", "Szeged"]
    assert bound_names(BOUND, qa) == []  # asked as written: nothing was bound


def test_a_sentence_s_paragraph_is_between_blank_lines() -> None:
    start = ARTICLE.index(THREE_YEARS)
    assert paragraph(ARTICLE, start, start + len(THREE_YEARS)).startswith("BYD will build")
    assert paragraph(ARTICLE, start, start + len(THREE_YEARS)).endswith("three years.")
    start = ARTICLE.index(RAYONG)
    assert paragraph(ARTICLE, start, start + 5).startswith("*Update")


def test_a_sentence_about_another_entity_does_not_beat_the_bound_one() -> None:
    qa = analyse_question(BOUND)
    scored = [sentence(RAYONG, 0.9), sentence(THREE_YEARS, 0.6)]
    kept = on_bound("When will it open?", qa, scored, [passage()])
    assert kept is not None and [s.text for s in kept] == [THREE_YEARS]


def test_a_question_asked_as_written_keeps_its_evidence() -> None:
    qa = analyse_question(BOUND)
    scored = [sentence(RAYONG, 0.9), sentence(THREE_YEARS, 0.6)]
    assert on_bound(BOUND, qa, scored, [passage()]) is None


def test_evidence_naming_the_bound_entity_everywhere_is_kept_whole() -> None:
    text = "BYD picked Szeged for its first European plant. It opens in 2026 in Szeged."
    qa = analyse_question(BOUND)
    scored = [sentence("It opens in 2026 in Szeged.", 0.9, text)]
    assert on_bound("When will it open?", qa, scored, [passage(text)]) is None


@pytest.mark.parametrize(
    ("question", "future"),
    [
        ("When will it open?", True),
        ("When is the plant expected to open?", True),
        ("When is production due to start?", True),
        ("When does Tesla plan to launch the Model 2?", True),
        ("When did BYD open the plant?", False),
        ("When was the decision announced?", False),
        ("Where will BYD build its plant?", False),  # asks a place, not a time
    ],
)
def test_a_question_about_what_is_still_to_happen(question: str, future: bool) -> None:
    assert analyse_question(question).future is future


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        (THREE_YEARS, ["within about three years"]),
        ("The decision was announced on 22 December 2023.", []),  # the article's own day
        ("Since 2017 it has operated a bus factory.", []),
        (
            "Output is due in the second half of 2026 or by 2027.",
            ["second half of 2026", "by 2027"],
        ),
        ("The plant will open next year.", ["next year"]),
        (RAYONG, ["July 2024"]),  # after the article's date: a time it may give
    ],
)
def test_a_future_question_accepts_times_after_the_passage_s_date(
    text: str, spans: list[str]
) -> None:
    qa = analyse_question(BOUND)
    assert [s.text for s in new_spans(qa, text, "date", "2023-12-22")] == spans


def test_a_past_question_keeps_its_date_spans() -> None:
    qa = analyse_question("When did BYD announce its first European car plant?")
    text = "The decision was announced on 22 December 2023, within about three years."
    assert [s.text for s in new_spans(qa, text, "date", "2023-12-22")] == ["22 December 2023"]
