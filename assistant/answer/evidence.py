"""The evidence stage: the retrieved passages' sentences scored for the question.

Candidates are every sentence of the retrieved passages. Each gets the features of
:mod:`.features`, read off one analysis of the question (:mod:`.question`). The learned
``preselect`` model (:mod:`.decisions`) keeps the most promising few, which the embedding
model then scores; the learned ``sentence`` model gives each the probability that it
states the answer, and the evidence is ordered by it. Whether the evidence answers the
question at all is the refusal gate's decision (:mod:`.gate`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answer.decisions import LogisticModel, model
from assistant.answer.features import SENTENCE_FEATURES, Candidate, sentence_features
from assistant.answer.question import QuestionAnalysis, analyse_question
from assistant.answer.sentences import sentence_spans
from assistant.answer.support import SupportScorer
from assistant.types import Passage

PRESELECT = 12  # sentences scored with the embedding model per question, at most
SCORING_CHARS = 2000  # ... and about 500 tokens of them: bounds the answer's latency
MIN_SCORED = 4
MIN_CHARS = 25
# A sentence that opens by pointing back ("The company…", "It…") is quoted together with
# the sentence before it, which usually names what it points at.
_ANAPHOR = re.compile(
    r"^(The (company|firm|automaker|carmaker|group|giant|tech giant|maker|manufacturer|"
    r"country|government|startup|brand)\b|It\b|Its\b|He\b|She\b|They\b|Their\b|His\b|"
    r"Her\b)"
)


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence of a retrieved passage with its offsets and support score."""

    passage: int  # index into the passages list
    start: int  # offsets within the passage text
    end: int
    text: str
    score: float  # support for the question (embedding similarity and term overlap)
    p: float = 0.0  # the sentence model's probability that it states the answer
    features: np.ndarray | None = field(default=None, compare=False, repr=False)


def _heading(text: str) -> bool:
    """A title, running header or list label: short and without closing punctuation."""
    return text.rstrip()[-1:] not in '.!?"”’)' and len(text.split()) < 12


def candidate_sentences(passages: list[Passage]) -> list[tuple[int, int, int, str]]:
    """(passage index, start, end, text) of every usable sentence of the passages."""
    out = []
    for i, p in enumerate(passages):
        spans = sentence_spans(p.text)
        for j, (a, b) in enumerate(spans):
            text = p.text[a:b]
            if len(text) < MIN_CHARS or not any(ch.isalpha() for ch in text) or _heading(text):
                continue
            if j > 0 and _ANAPHOR.match(text) and not _heading(p.text[spans[j - 1][0] : a]):
                a = spans[j - 1][0]
                text = p.text[a:b]
            out.append((i, a, b, text))
    return out


def unique_sentences(
    passages: Sequence[Passage], cands: list[tuple[int, int, int, str]]
) -> list[tuple[int, int, int, str]]:
    """``cands`` without repeats. Chunks overlap, so a sentence can be in two passages of
    one document, alone in one and joined to the sentence before it in the other (a
    sentence opening with "It …"): a candidate whose document span overlaps one from a
    better-ranked passage of the same document is dropped, as is the same text twice."""
    spans: dict[str, list[tuple[int, int, int]]] = {}
    texts: set[tuple[str, str]] = set()
    out = []
    for c in cands:
        p = passages[c[0]]
        a, b = p.start + c[1], p.start + c[2]
        text = (p.doc_id, " ".join(c[3].split()))
        taken = spans.setdefault(p.doc_id, [])
        if text in texts or any(i != c[0] and a < y and x < b for i, x, y in taken):
            continue
        texts.add(text)
        taken.append((c[0], a, b))
        out.append(c)
    return out


def candidates(passages: Sequence[Passage]) -> list[Candidate]:
    """The distinct usable sentences of ``passages``."""
    cands = candidate_sentences(list(passages))
    return [Candidate(*c) for c in unique_sentences(passages, cands)]


def cheap_features(
    qa: QuestionAnalysis, cands: Sequence[Candidate], passages: Sequence[Passage]
) -> np.ndarray:
    """The :data:`SENTENCE_FEATURES` of ``cands``, the embedding similarity left at 0."""
    best = max((p.score for p in passages), default=0.0)
    rows = [sentence_features(qa, c, passages[c.passage], best, 0.0) for c in cands]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(SENTENCE_FEATURES))


def preselect(scores: np.ndarray, lengths: Sequence[int], limit: int = PRESELECT) -> np.ndarray:
    """Indices of the best ``limit`` candidates by ``scores`` whose ``lengths`` (chars) fit
    in :data:`SCORING_CHARS` (at least :data:`MIN_SCORED`)."""
    ranked = np.argsort(-scores, kind="stable")[:limit]
    budget = np.cumsum([lengths[i] for i in ranked])
    return ranked[: max(MIN_SCORED, int(np.searchsorted(budget, SCORING_CHARS, side="right")))]


def cosines(scorer: SupportScorer, question: str, texts: Sequence[str]) -> np.ndarray:
    """Embedding similarity of each text to the question, clipped to [0, 1]."""
    if not texts:
        return np.zeros(0)
    sims = scorer.vectors(texts) @ scorer.embedder.embed_one(question)
    return np.clip(sims.astype(np.float64), 0.0, 1.0)


def best_sentences(
    question: str | QuestionAnalysis, passages: list[Passage], scorer: SupportScorer
) -> list[ScoredSentence]:
    """Every candidate worth scoring, most likely to state the answer first."""
    qa = question if isinstance(question, QuestionAnalysis) else analyse_question(question)
    return score_sentences(qa, passages, scorer, model("preselect"), model("sentence"))


def score_sentences(
    qa: QuestionAnalysis,
    passages: Sequence[Passage],
    scorer: SupportScorer,
    pre: LogisticModel,
    sentence: LogisticModel,
    limit: int = PRESELECT,
) -> list[ScoredSentence]:
    """:func:`best_sentences` with the given models (the fit script passes its own)."""
    cands = candidates(passages)
    if not cands:
        return []
    x = cheap_features(qa, cands, passages)
    keep = preselect(pre.logits(x[:, 1:]), [len(c.text) for c in cands], limit)
    x = x[keep]
    x[:, 0] = cosines(scorer, qa.text, [cands[i].text for i in keep])
    p = sentence.prob(x)
    support = scorer.combine(x[:, 0], x[:, SENTENCE_FEATURES.index("overlap")])
    scored = [
        ScoredSentence(c.passage, c.start, c.end, c.text, float(s), float(pi), row)
        for c, s, pi, row in zip((cands[i] for i in keep), support, p, x, strict=True)
    ]
    return sorted(scored, key=lambda s: s.p, reverse=True)
