"""Pure metric helpers of ``evchat eval``: text normalisation, matching, ranking, aggregation.

Nothing here touches the index; :mod:`assistant.eval.harness` runs the questions and hands
one :class:`QuestionResult` per question to :func:`aggregate`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import permutations
from typing import Any

from assistant.answer.markers import replace_markers

_THOUSANDS = re.compile(r"(?<=\d)[,\u202f\u00a0](?=\d{3}(?!\d))")
_CURRENCY = re.compile(r"[$€£¥₹]")
_NON_WORD = re.compile(r"[^\w.]+|(?<!\d)\.|\.(?!\d)")
_SPACES = re.compile(r"\s+")
_ARTICLES = frozenset({"a", "an", "the"})
_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if i >= 2
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_LIST_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bor\b)\s*")
# Answers so short or generic that finding them inside a quote says nothing: only a short
# answer that equals them counts as answering them.
_TRIVIAL_ANSWERS = frozenset({"yes", "no", "true", "false", "similar", "different", "same"})
MIN_EVIDENCE_OVERLAP_CHARS = 20

#: The top-level keys every report has (``to_dict`` adds ``by_type`` and the extras below).
REPORT_KEYS = (
    "hits_at_1",
    "hits_at_5",
    "hits_at_10",
    "mrr_at_10",
    "answer_accuracy",
    "refusal_recall",
    "false_refusal_rate",
    "citation_precision",
    "quotes_verbatim",
    "retrieve_ms_p95",
    "answer_ms_p95",
    "n_questions",
)
EXTRA_KEYS = (
    "choice_accuracy",
    "outside_answer_rate",
    "citations_on_unanswerable",
    "supported_sentence_share",
    "retrieve_ms_p50",
    "answer_ms_p50",
)


def normalise(text: str | None) -> str:
    """SQuAD-style normalisation, plus numbers: lowercase, fold accents, drop ``[n]``
    markers, currency, punctuation and the articles a/an/the, "&" read as "and", number
    words as digits.

    "1,000" and "$1,000" become "1000", "50%" becomes "50 percent", "3.5" keeps its dot,
    "fourteen thousand" becomes "14000"; runs of whitespace collapse to one space.

    >>> normalise("Tesla's  $7,500 credit (50%)!")
    'tesla s 7500 credit 50 percent'
    >>> normalise("The Fruits & Vegetables, twenty-one")
    'fruits and vegetables 21'
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = replace_markers(s, lambda _n: " ")
    s = _CURRENCY.sub(" ", s).replace("&", " and ")
    # "1,000,000" → "1000000" (repeat: the lookbehind needs the previous group replaced)
    prev = None
    while prev != s:
        prev, s = s, _THOUSANDS.sub("", s)
    s = s.replace("%", " percent ")
    s = _NON_WORD.sub(" ", s).replace("_", " ")
    return " ".join(_number_words([w for w in s.split() if w not in _ARTICLES]))


def _number_words(tokens: list[str]) -> list[str]:
    """Runs of number words ("twenty one", "two hundred thousand") as digits."""
    out: list[str] = []
    total = current = 0
    run = False
    for w in [*tokens, ""]:
        if w in _UNITS or w in _TENS:
            current += _UNITS.get(w, 0) + _TENS.get(w, 0)
            run = True
        elif w in _SCALES and run:
            scale = _SCALES[w]
            if scale == 100:
                current *= 100
            else:
                total, current = total + current * scale, 0
        else:
            if run:
                out.append(str(total + current))
                total = current = 0
                run = False
            if w:
                out.append(w)
    return out


def list_items(text: str | None) -> list[str]:
    """The items of a list answer ("Fruits and vegetables", "BYD, CATL & Tesla"), normalised
    and sorted: two answers listing the same items in another order are the same answer."""
    raw = unicodedata.normalize("NFKD", text or "").casefold().replace("&", " and ")
    return sorted(n for part in _LIST_SPLIT.split(raw) if (n := normalise(part)))


def same_answer(short: str | None, gold: str | None) -> bool:
    """A short answer that equals the gold answer after normalisation (lists in any order)."""
    if not short or not gold:
        return False
    return normalise(short) == normalise(gold) or list_items(short) == list_items(gold)


def answer_matches(text: str | None, short: str | None, gold: str | None) -> bool:
    """An answer is right when its short answer equals the gold answer, or (for a gold
    answer that says something on its own: not "yes"/"no"/"similar") when its text
    contains it, the list items of a list answer in any order."""
    if same_answer(short, gold):
        return True
    g = normalise(gold)
    if not g or g in _TRIVIAL_ANSWERS:
        return False
    if contains(text, gold):
        return True
    items = list_items(gold)
    if len(items) < 2 or len(items) > 4:
        return False
    return any(
        contains(text, " and ".join(order)) or contains(text, " ".join(order))
        for order in permutations(items)
    )


def contains(haystack: str | None, needle: str | None) -> bool:
    """True when normalised ``needle`` occurs in normalised ``haystack`` on word boundaries."""
    n = normalise(needle)
    return bool(n) and f" {n} " in f" {normalise(haystack)} "


def _find(haystack_norm: str, needle: str) -> int:
    n = normalise(needle)
    if not n:
        return -1
    return f" {haystack_norm} ".find(f" {n} ")


def choice_named_in(answer: str, choices: Sequence[str]) -> str | None:
    """The choice an answer names: the one found (normalised) earliest in it, else None.

    When one choice contains another ("Ford", "Ford Motor"), the longer match at the
    same position wins.
    """
    text = normalise(answer)
    found = [(pos, -len(normalise(c)), c) for c in choices if (pos := _find(text, c)) >= 0]
    return min(found)[2] if found else None


def quote_is_precise(
    quote: str,
    doc_id: str,
    gold_doc_ids: Iterable[str],
    evidence: Sequence[str],
    answer: str | None,
) -> bool:
    """A citation is precise when it cites a gold document or quotes gold evidence/answer.

    Evidence matches in either direction (quote ⊇ evidence sentence, or a quote of at
    least :data:`MIN_EVIDENCE_OVERLAP_CHARS` characters inside one); the answer must
    appear in the quote and must not be a bare yes/no.
    """
    if doc_id in set(gold_doc_ids):
        return True
    q = normalise(quote)
    for sentence in evidence:
        e = normalise(sentence)
        if e and (e in q or (len(q) >= MIN_EVIDENCE_OVERLAP_CHARS and q in e)):
            return True
    a = normalise(answer)
    return bool(a) and a not in _TRIVIAL_ANSWERS and f" {a} " in f" {q} "


def ranked_docs(doc_ids: Iterable[str]) -> list[str]:
    """Distinct document ids in first-seen (rank) order."""
    return list(dict.fromkeys(doc_ids))


def hit_rank(docs: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first gold document in ``docs``, or None."""
    gold_set = set(gold)
    return next((i + 1 for i, d in enumerate(docs) if d in gold_set), None)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100) by linear interpolation; None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@dataclass
class QuestionResult:
    """Everything measured for one question."""

    qid: str
    question_type: str
    answerable: bool
    gold_kinds: list[str] = field(default_factory=list)
    has_gold: bool = False
    hit_rank: int | None = None  # of the first gold document among retrieved documents
    refused: bool = False
    correct: bool | None = None  # answer contains the gold answer (answerable only)
    choice_correct: bool | None = None  # questions with choices only
    outside: bool | None = None  # answer contains the out-of-corpus answer (unanswerable)
    citations: int = 0
    precise_citations: int = 0
    verbatim_citations: int = 0
    sentences: int = 0
    supported_sentences: int = 0
    retrieve_ms: float = 0.0
    answer_ms: float = 0.0
    answer: str = ""
    short_answer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the per-question details."""
        d = asdict(self)
        d["retrieve_ms"] = round(self.retrieve_ms, 1)
        d["answer_ms"] = round(self.answer_ms, 1)
        return d


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _ms(values: list[float], q: float) -> float | None:
    p = percentile(values, q)
    return None if p is None else round(p, 1)


def aggregate(results: Sequence[QuestionResult]) -> dict[str, Any]:
    """The metrics of a group of questions (None where the group has nothing to measure)."""
    ranked = [r for r in results if r.answerable and r.has_gold]
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    choices = [r for r in answerable if r.choice_correct is not None]
    outside = [r for r in unanswerable if r.outside is not None]
    answered = [r for r in results if not r.refused]

    def hits(k: int) -> float | None:
        return _share(
            sum(1 for r in ranked if r.hit_rank is not None and r.hit_rank <= k), len(ranked)
        )

    rr = [1.0 / r.hit_rank if r.hit_rank is not None and r.hit_rank <= 10 else 0.0 for r in ranked]
    n_cit = sum(r.citations for r in answerable)
    n_all_cit = sum(r.citations for r in results)
    return {
        "hits_at_1": hits(1),
        "hits_at_5": hits(5),
        "hits_at_10": hits(10),
        "mrr_at_10": round(sum(rr) / len(rr), 4) if rr else None,
        "answer_accuracy": _share(sum(1 for r in answerable if r.correct), len(answerable)),
        "choice_accuracy": _share(sum(1 for r in choices if r.choice_correct), len(choices)),
        "refusal_recall": _share(sum(1 for r in unanswerable if r.refused), len(unanswerable)),
        "false_refusal_rate": _share(sum(1 for r in answerable if r.refused), len(answerable)),
        "outside_answer_rate": _share(sum(1 for r in outside if r.outside), len(outside)),
        "citation_precision": _share(sum(r.precise_citations for r in answerable), n_cit),
        "citations_on_unanswerable": sum(r.citations for r in unanswerable),
        "quotes_verbatim": _share(sum(r.verbatim_citations for r in results), n_all_cit)
        if n_all_cit
        else 1.0,
        "supported_sentence_share": _share(
            sum(r.supported_sentences for r in answered), sum(r.sentences for r in answered)
        ),
        "retrieve_ms_p50": _ms([r.retrieve_ms for r in results], 50),
        "retrieve_ms_p95": _ms([r.retrieve_ms for r in results], 95),
        "answer_ms_p50": _ms([r.answer_ms for r in results], 50),
        "answer_ms_p95": _ms([r.answer_ms for r in results], 95),
        "n_questions": len(results),
    }
