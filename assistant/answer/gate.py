"""The refusal gate: do the retrieved documents answer the question?

One learned decision (the ``answerable`` model of :mod:`.decisions`) from the features of
:func:`assistant.answer.features.question_features`: how likely the best sentences are to
state the answer, how close the passages are, how much of the question's names and dates
the best sentences bear out while holding an answer of the asked kind (a near miss is
on-topic evidence that does not), and what the question asks for. Below the model's
threshold, fitted with the weights to refuse as many unanswerable questions as it
answers answerable ones, the answer is "the documents don't say". Before the model, one
precondition (:func:`names_found`): when the question names things, some passage must
name one of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from assistant.answer.decisions import model
from assistant.answer.evidence import ScoredSentence
from assistant.answer.features import coverage, question_features
from assistant.answer.question import QuestionAnalysis
from assistant.types import Passage


def answer_probability(
    qa: QuestionAnalysis,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    as_of: dt.date | None = None,
) -> float:
    """The ``answerable`` model's probability that ``scored`` answers the question
    (``as_of``: the question's own date, when it was asked with one)."""
    x = np.asarray(question_features(qa, scored, passages, as_of), dtype=np.float64)
    return float(model("answerable").prob(x)[0])


def passes(
    qa: QuestionAnalysis,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    as_of: dt.date | None = None,
    threshold: float | None = None,
) -> bool:
    """False means a refusal. ``threshold`` overrides the fitted one (a setting)."""
    if not scored or not names_found(qa, passages):
        return False
    limit = model("answerable").threshold if threshold is None else threshold
    return answer_probability(qa, scored, passages, as_of) >= limit


def names_found(qa: QuestionAnalysis, passages: Sequence[Passage]) -> bool:
    """Some passage names something the question names (True when it names nothing).

    Not a weight but a precondition: documents in which none of the question's names or
    dates occur cannot be about it ("What did Zorblax Motors announce?"). The fit's data
    has few such questions (its unanswerable ones keep topical articles that name the
    same things), so the learned gate alone answered them from the nearest topic."""
    if not qa.checked:
        return True
    return any(coverage(qa.checked, f"{p.title}\n{p.source}\n{p.text}") > 0 for p in passages)
