"""The near-miss refusal: on-topic evidence that does not answer the question's specifics.

The evidence gate (:func:`assistant.answer.evidence.passes_gate`) refuses when nothing
retrieved bears on the question. An on-topic question whose answer is not in the
documents passes it: "Which British carmaker announced plans to close a factory in Luton,
putting 1,100 workers at risk?" finds sentences about carmakers closing factories, and
quoting one would answer a question that was not asked. So on top of the gate, an answer
needs one retrieved sentence that both

* bears out the question's specifics (:func:`assistant.answer.spans.specifics`: the
  names and dates it states; see :func:`checked_specifics` for numbers): at least
  ``near_miss_coverage`` (default :data:`MIN_COVERAGE`) of them are found in the sentence,
  its passage's headline or its source's name, and
* holds an answer of the asked kind (a name, a number, a date) that the question does not
  already state (:func:`assistant.answer.short_answer.holds_answer`).

A name is found when each of its longer words is there, or a close variant of it
("German" for "Germany", "Chinese" for "China") (:func:`assistant.answer.spans.found`).
Calibrated on the dev set's unanswerable
questions asked without options; the README has the recall / false-refusal curve.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answer.evidence import ScoredSentence
from assistant.answer.short_answer import holds_answer
from assistant.answer.spans import NUMBER, Span, found, specifics
from assistant.types import Passage

MIN_COVERAGE = 0.5  # default of ``near_miss_coverage`` (settings): share of the specifics
CHECKED = 8  # best evidence sentences checked


def checked_specifics(question: str) -> list[Span]:
    """The specifics an answer must bear out: the question's names and dates. Numbers are
    left out: questions paraphrase them more often than not (a quiz's "48% plunge in
    earnings" is the evidence's "an ugly financial performance"), so they rank evidence
    (:mod:`assistant.answer.evidence`) but do not refuse it."""
    return [s for s in specifics(question) if s.kind != NUMBER]


def coverage(asked: Sequence[Span], sentence: str, passage: Passage) -> float:
    """Share of ``asked`` specifics found in the sentence, its passage's headline or its
    source's name (1 when there are none)."""
    if not asked:
        return 1.0
    text = f"{passage.title}\n{passage.source}\n{sentence}"
    return sum(1 for s in asked if found(s, text)) / len(asked)


def best_coverage(
    question: str, scored: Sequence[ScoredSentence], passages: Sequence[Passage]
) -> float:
    """The best coverage among the top sentences that hold an answer of the asked kind
    (0 when none holds one)."""
    asked = checked_specifics(question)
    best = 0.0
    for s in scored[:CHECKED]:
        if holds_answer(question, s.text):
            best = max(best, coverage(asked, s.text, passages[s.passage]))
    return best


def bears_out(
    question: str,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    min_coverage: float = MIN_COVERAGE,
) -> bool:
    """False means a near miss: refuse (see the module docstring)."""
    return best_coverage(question, scored, passages) >= min_coverage
