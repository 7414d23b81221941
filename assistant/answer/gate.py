"""The refusal gate: do the retrieved documents answer the question?

One learned decision (the ``answerable`` model of :mod:`.decisions`) from the features of
:func:`assistant.answer.features.question_features`: how likely the best sentences are to
state the answer, how close the passages are, how much of the question's names and dates
the best sentences bear out while holding an answer of the asked kind (a near miss is
on-topic evidence that does not), and what the question asks for. Below the model's
threshold, fitted with the weights to refuse as many unanswerable questions as it
answers answerable ones, the answer is "the documents don't say".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from assistant.answer.decisions import model
from assistant.answer.evidence import ScoredSentence
from assistant.answer.features import question_features
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
    if not scored:
        return False
    limit = model("answerable").threshold if threshold is None else threshold
    return answer_probability(qa, scored, passages, as_of) >= limit
