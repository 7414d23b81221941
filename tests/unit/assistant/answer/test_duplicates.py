"""Overlapping chunks hold the same sentences: an answer never quotes one twice."""

from __future__ import annotations

from itertools import pairwise

import pytest

from assistant.answer.evidence import best_sentences, candidate_sentences, unique_sentences
from assistant.answer.extractive import extractive_draft
from assistant.answer.support import SupportScorer
from assistant.answer.verify import verify_quotes
from assistant.settings import Settings
from assistant.types import Passage
from index.embed.factory import make_embedder

# Two overlapping chunks of one document: the second starts at "It said", which the
# first joins to the sentence before it (a sentence opening with "It" is quoted together
# with the one that names what "it" is).
DOC = (
    "Voltra opened a battery plant in Ohio in March. "
    "It said the plant would make 40 GWh of cells a year for its own cars. "
    "Rivals are expected to follow with plants of their own."
)
OVERLAP = DOC.index("It said")


def _passage(chunk: str, start: int, end: int, rank: int) -> Passage:
    return Passage(chunk, "doc", DOC[start:end], "Voltra", "S", None, None, start, end, 1 / rank)


@pytest.fixture(scope="module")
def passages() -> list[Passage]:
    return [_passage("c1", 0, DOC.index("Rivals") - 1, 1), _passage("c2", OVERLAP, len(DOC), 2)]


def test_sentence_in_two_overlapping_chunks_is_one_candidate(passages: list[Passage]) -> None:
    kept = unique_sentences(passages, candidate_sentences(passages))
    assert [(p, text[:14]) for p, _a, _b, text in kept] == [
        (0, "Voltra opened "),
        (0, "Voltra opened "),  # the same passage's "It said …" joined to its antecedent
        (1, "Rivals are exp"),
    ]


def test_answer_never_quotes_one_sentence_twice(passages: list[Passage]) -> None:
    scorer = SupportScorer(make_embedder(Settings()))
    question = "How many GWh of cells a year will the Voltra plant in Ohio make?"
    scored = best_sentences(question, passages, scorer)
    draft = extractive_draft(scored, passages, Settings(max_answer_sentences=3).answering)
    verified = verify_quotes(draft, passages)
    spans = sorted((c.start, c.end) for c in verified.citations)
    assert "40 GWh" in verified.text
    assert all(e1 <= s2 for (_s1, e1), (s2, _e2) in pairwise(spans)), spans
    assert verified.text.count("It said the plant") == 1, verified.text
