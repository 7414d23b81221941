"""Features of the answer's decisions, from one analysis of the question and its evidence.

Two decisions are learned from data (:mod:`.decisions`; the weights are fitted by
``benchmarks/fit_decisions.py`` on thousands of questions):

* **which sentence answers**: every candidate sentence gets the features of
  :data:`SENTENCE_FEATURES` (:func:`sentence_features`);
* **whether to answer at all**: the question gets those of :data:`QUESTION_FEATURES`
  (:func:`question_features`), read off its scored evidence.

Features are plain facts (the embedding similarity, the share of the question's words a
sentence has, whether it holds a name when a name is asked for, the share of the
question's names and dates it bears out); how much each counts is the fit's business.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.answer.claims.dates import DateFact, extract_dates, later_than, parse_published
from assistant.answer.question import DATE, NAME, NUMBER, QuestionAnalysis
from assistant.answer.sentences import overlap, terms
from assistant.answer.spans import Span, find_spans, found, key, reads_as_person
from assistant.types import Passage

_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d.,]*\s?(?:million|billion|trillion|bn|mn)?\s?(?:euros?|dollars?|yuan|"
    r"pounds|yen|won|rupees|francs|reais)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“”]")

SENTENCE_FEATURES = (
    "cosine",  # embedding similarity of sentence and question
    "overlap",  # share of the question's content words in the sentence
    "title_overlap",  # ... in the passage's headline
    "retrieval_score",  # the passage's fused retrieval score, as a share of the best one's
    "passage_similarity",  # the passage's dense similarity to the question
    "opens_passage",  # the passage's first sentence
    "opens_long_passage",  # ... of a passage of more than three sentences (an article)
    "log_chars",
    "quoted_speech",  # holds quotation marks
    "kind_none",  # the question asks for no particular kind
    "has_asked_kind",  # holds a span of the asked kind the question does not state
    "name_for_name",
    "number_for_number",
    "date_for_date",
    "money_for_money",  # a money amount when cost, price or funding is asked
    "persons_only_for_thing",  # every new name reads as a person's, a thing is asked for
    "person_for_person",
    "coverage",  # share of the question's names and dates borne out (sentence, title, source)
    "coverage_sentence",  # ... by the sentence alone
    "numbers_shared",  # share of the question's numbers the sentence states
)

QUESTION_FEATURES = (
    "best_p",  # the sentence model's probability for the best sentence
    "second_p",
    "best_cosine",
    "best_overlap",
    "best_passage_similarity",  # of the top three passages
    "best_coverage_holding",  # best coverage among top sentences holding the asked kind
    "best_coverage",
    "best_has_asked_kind",
    "kind_none",
    "kind_name",
    "kind_number",
    "kind_date",
    "superlative",
    "has_window",
    "log_checked",  # how many names and dates the question states
    "top_docs",  # distinct documents among the five best sentences
    "passage_terms",  # best share of the question's words in one of the top passages
    "all_terms",  # share of the question's words anywhere in the retrieved passages
    "passage_coverage",  # best share of its names and dates in one of the top passages
    "age",  # log days from the question's own date (as_of) to the best sentence's document
    "dated",  # the question has its own date and the best sentence's document has one
)
TOP_CHECKED = 8  # best sentences read for the question's features


@dataclass(frozen=True)
class Candidate:
    """A candidate sentence: its passage, offsets within the passage text, and text."""

    passage: int
    start: int
    end: int
    text: str


def new_spans(
    qa: QuestionAnalysis, sentence: str, kind: str, published: str | None = None
) -> list[Span]:
    """The spans of ``kind`` in ``sentence`` that the question does not state (for a
    question about what is still to happen, the times of :func:`ahead_spans`)."""
    q = f" {key(qa.text)} "
    out = []
    spans = find_spans(sentence, kind)
    if kind == DATE and qa.future:
        spans = ahead_spans(sentence, spans, parse_published(published))
    for s in spans:
        k = key(s.text)
        if f" {k} " in q or (kind == NAME and any(len(w) > 3 and f" {w} " in q for w in k.split())):
            continue
        out.append(s)
    return out


def ahead_spans(sentence: str, spans: Sequence[Span], published: dt.date | None) -> list[Span]:
    """The times a sentence can give for what is still to happen, read with the claims'
    date grammar (:mod:`.claims.dates`) against the passage's date: ``spans`` without
    those that end on or before it ("since 2017", the day it was published), and the
    expressions that reach past it ("within about three years", "next year", "in the
    second half of 2026") in place of the shorter spans inside them."""
    facts = extract_dates(sentence, published)
    ahead = [
        Span(f.start, f.end, sentence[f.start : f.end], DATE)
        for f in facts
        if later_than(f, published)
    ]
    out = [
        s
        for s in spans
        if not any(a.start <= s.start and s.end <= a.end and a != s for a in ahead)
        and not _before(s, facts, published)
    ]
    out += [a for a in ahead if not any(s.start <= a.start and a.end <= s.end for s in out)]
    return sorted(out, key=lambda s: s.start)


def _before(span: Span, facts: Sequence[DateFact], published: dt.date | None) -> bool:
    """Every date of the grammar inside ``span`` ends on or before ``published``."""
    inside = [f for f in facts if f.start < span.end and span.start < f.end]
    return bool(inside) and all(later_than(f, published) is False for f in inside)


def holds_kind(qa: QuestionAnalysis, sentence: str, published: str | None = None) -> bool:
    """The sentence holds an answer of the asked kind (any sentence, when none is asked)."""
    return qa.kind is None or bool(new_spans(qa, sentence, qa.kind, published))


def coverage(spans: Sequence[Span], text: str) -> float:
    """Share of ``spans`` found in ``text`` (1 when there are none)."""
    if not spans:
        return 1.0
    return sum(1 for s in spans if found(s, text)) / len(spans)


def sentence_features(
    qa: QuestionAnalysis, cand: Candidate, passage: Passage, best_score: float, cosine: float
) -> list[float]:
    """The :data:`SENTENCE_FEATURES` of one candidate (``best_score``: the fused retrieval
    score of the best passage)."""
    text = cand.text
    sent_terms = terms(text)
    q_terms = set(qa.terms)
    spans = new_spans(qa, text, qa.kind, passage.published_at) if qa.kind else []
    has = bool(spans) or qa.kind is None
    persons_only = False
    if qa.kind == NAME and spans and not qa.person:
        persons_only = all(reads_as_person(s, text, passage.text) for s in spans)
    person_for_person = (
        qa.person and any(len(s.text.split()) >= 2 for s in spans) if qa.kind == NAME else False
    )
    context = f"{passage.title}\n{passage.source}\n{text}"
    return [
        cosine,
        overlap(q_terms, sent_terms),
        overlap(q_terms, terms(passage.title)),
        passage.score / best_score if best_score > 0 else 0.0,
        passage.similarity,
        float(cand.start == 0),
        float(cand.start == 0 and passage.text.count(". ") > 2),
        math.log1p(len(text)) / 6.0,
        float(bool(_QUOTE.search(text))),
        float(qa.kind is None),
        float(has and qa.kind is not None),
        float(qa.kind == NAME and bool(spans)),
        float(qa.kind == NUMBER and bool(spans)),
        float(qa.kind == DATE and bool(spans)),
        float(qa.money and bool(_MONEY.search(text))),
        float(persons_only),
        float(person_for_person),
        coverage(qa.checked, context),
        coverage(qa.checked, text),
        coverage(qa.numbers, text) if qa.numbers else 0.0,
    ]


class Scored(Protocol):
    """A scored candidate, as the evidence stage gives it (best first)."""

    @property
    def passage(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def p(self) -> float: ...
    @property
    def features(self) -> np.ndarray | None: ...


def question_features(
    qa: QuestionAnalysis,
    scored: Sequence[Scored],
    passages: Sequence[Passage],
    as_of: dt.date | None = None,
) -> list[float]:
    """The :data:`QUESTION_FEATURES` of a question whose evidence is ``scored`` (best
    first, each with its sentence features), asked ``as_of`` a date when it has one (a
    question with none is not judged by how old its documents are)."""
    idx = {name: i for i, name in enumerate(SENTENCE_FEATURES)}
    top = list(scored[:TOP_CHECKED])
    best = top[0] if top else None

    def f(r: Scored | None, name: str) -> float:
        if r is None or r.features is None:
            return 0.0
        return float(r.features[idx[name]])

    def holds(r: Scored) -> bool:
        return holds_kind(qa, r.text, passages[r.passage].published_at)

    holding = [f(r, "coverage") for r in top if holds(r)]
    docs = {passages[r.passage].doc_id for r in top[:5]}
    q_terms = set(qa.terms)
    texts = [f"{p.title}\n{p.source}\n{p.text}" for p in passages]
    every: set[str] = set()
    for t in texts:
        every |= terms(t)
    published = parse_published(passages[best.passage].published_at) if best else None
    age = abs((as_of - published).days) if as_of and published else None
    return [
        best.p if best else 0.0,
        top[1].p if len(top) > 1 else 0.0,
        f(best, "cosine"),
        f(best, "overlap"),
        max((p.similarity for p in passages[:3]), default=0.0),
        max(holding, default=0.0),
        max((f(r, "coverage") for r in top), default=0.0),
        float(best is not None and holds(best)),
        float(qa.kind is None),
        float(qa.kind == NAME),
        float(qa.kind == NUMBER),
        float(qa.kind == DATE),
        float(qa.superlative),
        float(qa.window_days is not None),
        math.log1p(len(qa.checked)),
        len(docs) / 5.0,
        max((overlap(q_terms, terms(t)) for t in texts[:3]), default=0.0),
        overlap(q_terms, every),
        max((coverage(qa.checked, t) for t in texts[:3]), default=0.0),
        math.log1p(age) / 5.0 if age is not None else 0.0,
        float(age is not None),
    ]
