"""The evidence stage: the retrieved passages' sentences scored for the question, and the gate.

Candidates are every sentence of the retrieved passages. A cheap pre-score (term overlap
plus the passage's rank) keeps the most promising few, which the support scorer then
scores with the embedding model (plus a small bonus for sentences holding the kind of
answer the question asks for). :func:`passes_gate` decides from the best of them whether
the documents bear on the question at all; when they do not, the answer is a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.sentences import sentence_spans
from assistant.answer.support import SupportScorer
from assistant.types import Passage

PRESELECT = 12  # sentences scored with the embedding model per question, at most
SCORING_CHARS = 2000  # ... and about 500 tokens of them: bounds the answer's latency
MIN_SCORED = 4
MIN_CHARS = 25
NUMBER_BONUS = 0.05  # a question asking for a quantity prefers sentences that state one
_QUANTITY = re.compile(
    r"\b(how (many|much|far|long|big|fast|high)|what percentage|(what|which) (is|was|were|are)"
    r" the\b[^?]{0,40}?\b(price|cost|rate|share|number|percentage|duty|tariff|amount|density"
    r"|range|capacity|value|figure|total|level))\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)*")  # a number, not a year
ENTITY_BONUS = 0.05  # a "which company / who" question prefers sentences that name one
_ENTITY_Q = re.compile(
    r"\b(who|whom|which|what)\b(\s+\w+){0,3}?\s*\b(company|companies|automaker|carmaker|maker|"
    r"firm|brand|country|nation|state|city|group|giant|manufacturer|startup|bank|person|"
    r"executive|ceo|leader|president|product|model)\b|^\s*who\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][\w&’'.-]*[A-Za-z]")
_COMMON_CAPS = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "But",
        "And",
        "Or",
        "It",
        "Its",
        "This",
        "That",
        "These",
        "Those",
        "He",
        "She",
        "They",
        "Their",
        "His",
        "Her",
        "We",
        "Our",
        "Some",
        "Other",
        "Many",
        "Most",
        "According",
        "After",
        "Before",
        "While",
        "When",
        "Where",
        "What",
        "Which",
        "Who",
        "Why",
        "How",
        "If",
        "As",
        "By",
        "From",
        "With",
        "About",
        "Over",
        "Under",
        "Last",
        "Next",
        "Since",
        "During",
        "Such",
    ]
)
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
    score: float


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


def _type_bonus(question: str, wants_number: bool, wants_name: bool, sentence: str) -> float:
    """Prefer sentences holding the kind of answer the question asks for."""
    bonus = NUMBER_BONUS if wants_number and _NUMBER.search(sentence) else 0.0
    if wants_name:
        asked = {w.lower() for w in _NAME.findall(question)}
        names = {w for w in _NAME.findall(sentence) if w not in _COMMON_CAPS}
        if any(n.lower() not in asked for n in names):
            bonus += ENTITY_BONUS
    return bonus


def best_sentences(
    question: str, passages: list[Passage], scorer: SupportScorer, preselect: int = PRESELECT
) -> list[ScoredSentence]:
    """Every candidate worth scoring, best first, with its support score for the question."""
    cands = unique_sentences(passages, candidate_sentences(passages))
    if not cands:
        return []
    lex = scorer.lexical(question, [c[3] for c in cands])
    prior = np.array([1.0 / (1 + c[0]) for c in cands], dtype=np.float32)
    ranked = np.argsort(-(lex + 0.15 * prior), kind="stable")[:preselect]
    budget = np.cumsum([len(cands[i][3]) for i in ranked])
    keep = ranked[: max(MIN_SCORED, int(np.searchsorted(budget, SCORING_CHARS, side="right")))]
    chosen = [cands[i] for i in keep]
    scores = scorer.score(question, [c[3] for c in chosen], lexical=lex[keep])
    wants_number = bool(_QUANTITY.search(question))
    wants_name = bool(_ENTITY_Q.search(question))
    scored = [
        ScoredSentence(
            c[0],
            c[1],
            c[2],
            c[3],
            float(s)
            + 0.02 * float(prior[k])
            + _type_bonus(question, wants_number, wants_name, c[3]),
        )
        for c, s, k in zip(chosen, scores, keep, strict=True)
    ]
    return sorted(scored, key=lambda s: s.score, reverse=True)


def evidence_score(scored: Sequence[ScoredSentence], passages: Sequence[Passage]) -> float:
    """How strongly the retrieved text bears on the question: the best sentence's support
    plus the best passage's dense similarity (two views that fail on different questions).
    Calibrated on the dev set's answerable and unanswerable questions; see README."""
    best_sentence = scored[0].score if scored else 0.0
    best_passage = max((p.similarity for p in passages[:3]), default=0.0)
    return best_sentence + best_passage


def passes_gate(
    scored: Sequence[ScoredSentence], passages: Sequence[Passage], threshold: float
) -> bool:
    """The evidence gate: False means the answer is a refusal (the documents don't say)."""
    return evidence_score(scored, passages) >= threshold
