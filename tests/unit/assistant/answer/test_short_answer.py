"""The short answer and the near-miss refusal over hand-made passages (real embedding model)."""

from __future__ import annotations

import pytest

from assistant.answer.evidence import best_sentences
from assistant.answer.near_miss import bears_out
from assistant.answer.short_answer import ShortAnswer, find_short_answer, reads_as_person
from assistant.answer.spans import NAME, Span
from assistant.answer.support import SupportScorer
from assistant.settings import Settings
from assistant.types import Passage
from index.embed.factory import make_embedder

ARTICLES = [
    (
        "Carmakers report a weak quarter",
        "General Motors and Ford said sales in North America slowed in the spring. "
        "Analysts expect other carmakers to report lower earnings too.",
    ),
    (
        "Tesla to cut 14,000 jobs",
        "Tesla will lay off more than 10% of its global workforce, about 14,000 jobs, "
        "according to an internal memo. Pushing costs down is the priority, the memo said.",
    ),
]


@pytest.fixture(scope="module")
def scorer() -> SupportScorer:
    return SupportScorer(make_embedder(Settings()))


@pytest.fixture(scope="module")
def passages() -> list[Passage]:
    return [
        Passage(
            f"c{i}", f"d{i}", text, title, "Wire", "2024-04-15", None, 0, len(text), 1 / (i + 1)
        )
        for i, (title, text) in enumerate(ARTICLES)
    ]


def test_short_answer_names_the_asked_thing_from_its_sentence(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    question = "Which automaker announced it will cut around 14,000 jobs?"
    found = find_short_answer(question, best_sentences(question, passages, scorer), passages)
    assert found is not None and found.text == "Tesla"
    assert found.sentence.text.startswith("Tesla will lay off")
    assert found.text in found.sentence.text


def test_short_answer_is_a_number_for_how_many(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    question = "How many jobs will Tesla cut?"
    found = find_short_answer(question, best_sentences(question, passages, scorer), passages)
    assert found is not None and found.text in {"about 14,000 jobs", "more than 10%"}


def test_near_miss_is_refused_and_the_real_question_is_not(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    missing = "Which automaker announced it will cut 1,100 jobs at its plant in Luton?"
    assert not bears_out(missing, best_sentences(missing, passages, scorer), passages)
    real = "Which automaker will lay off workers according to an internal memo?"
    assert bears_out(real, best_sentences(real, passages, scorer), passages)


def _short_answer(scorer: SupportScorer, question: str, text: str, title: str) -> ShortAnswer:
    """The short answer to ``question`` from one undated passage ``text``."""
    passages = [Passage("c", "d", text, title, "Wire", None, None, 0, len(text), 1.0)]
    found = find_short_answer(question, best_sentences(question, passages, scorer), passages)
    assert found is not None, question
    return found


def test_a_count_names_the_thing_counted(scorer: SupportScorer) -> None:
    text = "Kestrel Freight, a Danish haulier, ordered 300 electric trucks for delivery in 2026."
    question = "How many trucks did Kestrel Freight order?"
    assert _short_answer(scorer, question, text, "Kestrel orders").text == "300 electric trucks"


def test_a_persons_name_is_not_the_company_asked_for(scorer: SupportScorer) -> None:
    text = (
        "Volta Motors' UK chair, Lisa Brankin, said the 2030 target had helped the carmaker "
        "invest in electric vans. Delaying the ban to 2035 would undermine confidence in "
        "the plan, Brankin warned."
    )
    question = "Which car company has criticised the decision to delay the 2030 ban?"
    assert _short_answer(scorer, question, text, "Ban delay").text == "Volta Motors"


ELSEWHERE = "Its UK chair, Lisa Brankin, said so. Tesla CEO Elon Musk wrote to staff."


@pytest.mark.parametrize(
    ("sentence", "name", "person"),
    [
        ("Delaying the ban would hurt, Brankin warned.", "Brankin", True),  # "Lisa Brankin, said"
        ("Tesla CEO Elon Musk wrote in an email.", "Elon Musk", True),
        ("Musk attributed the cuts to costs.", "Musk", True),  # "CEO Elon Musk"
        ("Kevin Kelly, a GM spokesman, told reporters.", "Kevin Kelly", True),
        ("Ford said sales rose.", "Ford", False),  # a company speaks too
        ("General Motors said it is pivoting to personal vehicles.", "General Motors", False),
        ("Volkswagen will build a plant in Spain.", "Volkswagen", False),
    ],
)
def test_a_name_reads_as_a_persons(sentence: str, name: str, person: bool) -> None:
    start = sentence.index(name)
    span = Span(start, start + len(name), name, NAME)
    assert reads_as_person(span, sentence, f"{sentence} {ELSEWHERE}") is person


def test_an_acronym_is_answered_with_the_name_it_abbreviates(scorer: SupportScorer) -> None:
    text = (
        "GM is ending its robotaxi program, the company said on Tuesday. "
        "General Motors is ending its robotaxi work to focus on personal vehicles."
    )
    found = _short_answer(scorer, "Which automaker is ending its robotaxi program?", text, "Exit")
    assert found.text == "General Motors", found
    assert found.sentence.text.startswith("General Motors is ending")
