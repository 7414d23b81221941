"""Yes/no questions, comparisons across sources, and which came first.

"Does The Verge suggest …, while TechCrunch reports …?", "Between the report from The
Verge and the one from Wired, is there consistency in …?", "Did Reuters report … before
TechCrunch reported …?" want a verdict, not a quote. The question is cut into its parts
(one claim per source it names, or per clause), each part gets its best evidence
sentence (from its named source when it names one), and the verdict follows:

* **order in time** ("before", "after", "earlier", "later"): decided from the documents'
  ``published_at`` of the two parts' evidence, or a date the question states for a part;
  the answer says so: "Yes — The Verge's article (2023-10-12) came before TechCrunch's
  (2023-11-02): … [1] … [2]";
* **everything else** (consistency, similarity, difference, plain claims such as "Does A
  suggest X, while B suggests Y?") is decided by the learned ``verdict`` model
  (:mod:`.decisions`, fitted by ``benchmarks/fit_decisions.py`` on the multi-hop set)
  from :func:`verdict_features`: how well each part's evidence supports its claim,
  whether claim and evidence differ in negation, whether the parts state different
  numbers, and what kind of comparison is asked; an "or do they differ" question
  answers "Similar" or "Different".

With no supporting evidence for any part the answer is a refusal. Each part's evidence
is quoted and cited after the verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.claims.dates import extract_dates, parse_published
from assistant.answer.claims.lexicon import VERDICT_FORMS, VERDICT_WORDS
from assistant.answer.decisions import model
from assistant.answer.evidence import ScoredSentence, candidates, cheap_features, preselect
from assistant.answer.extractive import QuoteDraft
from assistant.answer.features import SENTENCE_FEATURES
from assistant.answer.question import analyse_question
from assistant.answer.spans import DATE, NUMBER, find_spans
from assistant.answer.support import SupportScorer
from assistant.types import Passage

EVIDENCE_FLOOR = 0.25  # a part has evidence at all from here (its source says something)
_ORDER = re.compile(r"\b(before|after|earlier than|later than|prior to)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
_COMPARES = re.compile(r"^\s*between\b|\bchang(?:e|ed|es|ing)\b|\bremain(?:ed|s)?\b", re.I)
# a verb in the past ("mentioned", "crashed", "reported"): the order word leads a clause
_CLAUSE_VERB = re.compile(r"\b[a-z]{3,}ed\b|\b(?:said|began|won|lost|made|took|met)\b")
_CLAUSE_WORDS = 8  # how far after the order word its clause's verb may come
_CHOICE_OF_TWO = re.compile(r"\b([a-z]+)\s+or\s+([a-z]+)\b")
_ALTERNATIVE = re.compile(r",?\s+or\s+(?:do|does|did|are|is|were|has|have)\b", re.IGNORECASE)
_SPLIT = re.compile(
    r",?\s+(?:while|whereas|and\s+(?=(?:the\s+)?(?:article|report)|(?:does|did)\b)|but)\s+"
    r"|\s+(?:compared (?:to|with)|in a similar way to how|as opposed to)\s+",
    re.IGNORECASE,
)
_FRAMING = re.compile(
    r"\b(?:does|did|do|is|was|were|the|an?|article|report|piece|story|from|by|in|on"
    r"|suggests?|claims?|reports?|reported|indicates?|implies|imply|alleges?|says?|states?"
    r"|mentioned|another|also)\b|['\"‘’“”]",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|without|cannot|unlikely|n't)\b|n['’]t\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Part:
    """One claim of the question, the sources it names, and its best evidence."""

    claim: str
    sources: tuple[str, ...]
    evidence: ScoredSentence | None = None


def split_parts(question: str, source_names: Sequence[str]) -> list[str]:
    """The question's clauses, one claim each; a question with one clause per named source
    but a shared claim ("Between A and B, is there consistency in X?") gives one part per
    source, each with that claim."""
    body = _ALTERNATIVE.split(question, maxsplit=1)[0]
    pieces = [p.strip(" ,?") for p in _SPLIT.split(body) if p and p.strip(" ,?")]
    if len(pieces) == 1 and len(source_names) >= 2:
        shared = re.split(r",\s*(?:is|was|are|were)\s+there\s+", body, maxsplit=1)[-1]
        for name in source_names:  # each part names its own source only
            shared = re.sub(rf"(?:the\s+)?{re.escape(name)}", " ", shared, flags=re.IGNORECASE)
        shared = " ".join(shared.split()).strip(" ,?")
        return [f"{name}: {shared}" for name in source_names]
    return pieces


def claim_text(part: str, sources: Sequence[str]) -> str:
    """A part without its framing words and source names: what the evidence must say."""
    text = part
    for src in sources:
        text = re.sub(re.escape(src.split(" | ")[0]), " ", text, flags=re.IGNORECASE)
    text = _FRAMING.sub(" ", text)
    return " ".join(text.split())


def question_parts(
    question: str,
    passages: list[Passage],
    scorer: SupportScorer,
    sources_of: Callable[[str], tuple[str, ...]],
) -> tuple[str | None, list[Part]]:
    """The order word the question asks about (or None) and its parts with their evidence."""
    all_sources = sources_of(question)
    order = asks_order(question)
    pieces = _ORDER.split(question, maxsplit=1)[::2] if order else None
    if pieces:  # "… before or after B reported …": the second part is what B reported
        pieces[1] = re.sub(r"^\s*or\s+(?:before|after)\b", "", pieces[1], flags=re.I)
    parts = [
        _with_evidence(Part(p, sources_of(p) or ()), passages, scorer)
        for p in pieces or split_parts(question, all_sources)
    ]
    return order, parts


def yes_no_draft(
    question: str,
    passages: list[Passage],
    scorer: SupportScorer,
    sources_of: Callable[[str], tuple[str, ...]],
) -> QuoteDraft | None:
    """The verdict and its evidence (see the module docstring), or None: refuse."""
    order, parts = question_parts(question, passages, scorer, sources_of)
    if not any(_has_evidence(p) for p in parts):
        return None
    lead = _verdict(question, order, parts, passages)
    quoted: dict[tuple[int, int], ScoredSentence] = {}
    for p in parts:
        if p.evidence is not None and _has_evidence(p):
            quoted.setdefault((p.evidence.passage, p.evidence.start), p.evidence)
    return QuoteDraft(list(quoted.values()), lead=lead, short=lead.split(" — ")[0], verdict=True)


def asks_order(question: str) -> str | None:
    """ "before"/"after" when the question asks which came first ("Did A report … before
    B …?", "… before lithium prices crashed?"): the order word leads a clause with a verb
    of its own. None for a leading "After A reported …, was there …" that only sets the
    scene, for an order word that dates a part ("improved after a 1-4 start", "the report
    after October 2"), and for a question about consistency or change ("Between A and B,
    was there …?", "inconsistent after …"), unless it offers "before or after"."""
    m = _ORDER.search(question)
    if m is None or re.match(r"\s*(?:after|before|prior to)\b", question, re.IGNORECASE):
        return None
    if verdict_forms(question) != ("Before", "After"):
        if asked_verdicts(question) or _COMPARES.search(question):
            return None
        if not _CLAUSE_VERB.search(" ".join(question[m.end() :].split()[:_CLAUSE_WORDS])):
            return None
    return m.group(1).lower()


VERDICT_FEATURES = (
    "min_support",  # the weakest part's evidence support (0 without evidence)
    "mean_support",
    "max_support",
    "polarity_mismatch",  # share of parts whose evidence and claim differ in negation
    "question_negated",  # "Was there no change …?"
    "asks_same",  # only consistency, similarity, agreement (claims.lexicon.VERDICT_WORDS)
    "asks_different",  # only inconsistency, difference, disagreement
    "asks_either",  # both ("agree or disagree", "the same, or do they differ?")
    "numbers_differ",  # +1 the parts' evidence states different numbers, -1 the same, 0
    "asks_order_undated",  # an order question whose dates could not be read
    "parts",  # number of parts / 4
    "distinct_documents",  # share of parts whose evidence is from a document of its own
)


def verdict_features(
    question: str, order: str | None, parts: Sequence[Part], passages: list[Passage]
) -> list[float]:
    """The :data:`VERDICT_FEATURES` of a yes/no question's parts."""
    support = [p.evidence.score if p.evidence is not None else 0.0 for p in parts] or [0.0]
    with_evidence = [p for p in parts if p.evidence is not None]
    mismatch = [
        bool(_NEGATION.search(p.claim)) != bool(_NEGATION.search(p.evidence.text))
        for p in with_evidence
        if p.evidence is not None
    ]
    differ = _difference_verdict(parts)
    asked = asked_verdicts(question)
    docs = {passages[p.evidence.passage].doc_id for p in with_evidence if p.evidence is not None}
    return [
        min(support),
        float(np.mean(support)),
        max(support),
        float(np.mean(mismatch)) if mismatch else 0.0,
        float(bool(_NEGATION.search(question))),
        float(asked == {True}),
        float(asked == {False}),
        float(asked == {True, False}),
        {"Yes — ": 1.0, "No — ": -1.0}.get(differ or "", 0.0),
        float(order is not None),
        len(parts) / 4.0,
        len(docs) / max(len(parts), 1),
    ]


def _verdict(
    question: str, order: str | None, parts: Sequence[Part], passages: list[Passage]
) -> str:
    """The dates decide an order question when both parts have one; otherwise the
    learned ``verdict`` model (:mod:`.decisions`) does, from :func:`verdict_features`."""
    if order and len(parts) >= 2:
        lead = _order_verdict(order, parts, passages, verdict_forms(question))
        if lead is not None:
            return lead
    m = model("verdict")
    yes = float(m.prob(np.asarray(verdict_features(question, order, parts, passages)))[0])
    words = verdict_forms(question) or ("Yes", "No")
    return f"{words[0] if yes >= m.threshold else words[1]} — "


def asked_verdicts(question: str) -> set[bool]:
    """The verdicts the question's comparison words stand for: {True} for "was there
    consistency …?", {False} for "… inconsistency …?", both for "agree or disagree"."""
    return {VERDICT_WORDS[w] for w in _WORD.findall(question.lower()) if w in VERDICT_WORDS}


def verdict_forms(question: str) -> tuple[str, str] | None:
    """The words the question offers for its answer, the agreeing one first: ("Agree",
    "Disagree") for "did B agree or disagree …?", ("Before", "After") for "… before or
    after …?", ("Similar", "Different") for "…, or do they differ?"; None: yes or no."""
    for a, b in _CHOICE_OF_TWO.findall(question.lower()):
        if {a, b} == {"before", "after"}:
            return ("Before", "After")
        if a in VERDICT_WORDS and b in VERDICT_WORDS and VERDICT_WORDS[a] != VERDICT_WORDS[b]:
            same, other = (a, b) if VERDICT_WORDS[a] else (b, a)
            return (same.capitalize(), other.capitalize())
    if _ALTERNATIVE.search(question):  # "do both agree …, or do they present …?"
        same = [w for w in _WORD.findall(question.lower()) if VERDICT_WORDS.get(w)]
        if same:
            return next(
                (f for stem, f in VERDICT_FORMS.items() if same[0].startswith(stem)),
                ("Similar", "Different"),
            )
    return None


def _with_evidence(part: Part, passages: list[Passage], scorer: SupportScorer) -> Part:
    claim = claim_text(part.claim, part.sources) or part.claim
    cands = candidates(passages)
    if part.sources:
        own = [c for c in cands if passages[c.passage].source in part.sources]
        cands = own or cands
    if not cands:
        return part
    # As in the evidence stage, the learned preselect model keeps the embedding work bounded.
    x = cheap_features(analyse_question(claim), cands, passages)
    keep = preselect(model("preselect").logits(x[:, 1:]), [len(c.text) for c in cands])
    chosen = [cands[i] for i in keep]
    lexical = x[keep, SENTENCE_FEATURES.index("overlap")].astype(np.float32)
    scores = scorer.score(claim, [c.text for c in chosen], lexical=lexical)
    i = int(np.argmax(scores))
    c = chosen[i]
    evidence = ScoredSentence(c.passage, c.start, c.end, c.text, float(scores[i]))
    return Part(claim, part.sources, evidence)


def _has_evidence(part: Part) -> bool:
    return part.evidence is not None and part.evidence.score >= EVIDENCE_FLOOR


def _difference_verdict(parts: Sequence[Part]) -> str | None:
    numbers = [
        {s.text for s in find_spans(p.evidence.text, NUMBER)} if p.evidence else set()
        for p in parts
    ]
    if len(numbers) < 2 or not all(numbers):
        return None
    return "No — " if numbers[0] & numbers[1] else "Yes — "


def _order_verdict(
    word: str, parts: Sequence[Part], passages: list[Passage], forms: tuple[str, str] | None
) -> str | None:
    """Which part came first: by the dates its evidence states for it, or, for a part about
    a report, by its document's publication date (see :func:`part_date`)."""
    first, second = parts[0], parts[1]
    dates = [part_date(p, passages) for p in (first, second)]
    if dates[0] is None or dates[1] is None:
        return None
    n = min(len(dates[0][0]), len(dates[1][0]))  # compare at the coarser of the two
    if dates[0][0][:n] == dates[1][0][:n]:
        return None
    earlier = dates[0][0][:n] < dates[1][0][:n]
    yes = earlier if word in ("before", "earlier than", "prior to") else not earlier
    relation = "came before" if earlier else "came after"
    verdict = ("Yes" if yes else "No") if forms is None else forms[0 if earlier else 1]
    labels = [_label(first, passages, True), _label(second, passages, False)]
    if not dates[0][1].startswith("published"):  # dated by what the sentences state
        labels = [f"what {labels[0].removeprefix('the article ')} reports", labels[1]]
    return f"{verdict} — {labels[0]} ({dates[0][1]}) {relation} {labels[1]} ({dates[1][1]}): "


_REPORTING = re.compile(
    r"\b(?:report\w*|publish\w*|article|wrote|writes?|written|cover\w*|stor(?:y|ies))\b",
    re.IGNORECASE,
)


def part_date(part: Part, passages: list[Passage]) -> tuple[tuple[int, ...], str] | None:
    """(year, month, day as far as known; how to show it) for the part's event.

    A date the part's claim states wins; a part about a report ("TechCrunch reported …")
    is dated by its document's publication; any other by the first date its evidence
    sentence states ("the collapse in lithium prices during 2023"), read against the
    publication date, else by the publication date."""
    iso = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
    stated = [m for s in find_spans(part.claim, DATE) if (m := iso.fullmatch(s.text))]
    if stated:
        return tuple(int(g) for g in stated[0].groups()), stated[0].group()
    if part.evidence is None:
        return None
    published = passages[part.evidence.passage].published_at
    day = parse_published(published)
    if not _REPORTING.search(part.claim) and not part.sources:
        for fact in extract_dates(part.evidence.text, day):
            fields = dict(fact.fields)
            if "year" in fields and not fact.relative:
                keys = [k for k in ("year", "month", "day") if k in fields]
                if keys == ["year", "month", "day"][: len(keys)]:
                    return tuple(int(fields[k]) for k in keys), fact.surface
    if day is None:
        return None
    return (day.year, day.month, day.day), f"published {day.isoformat()}"


def _label(part: Part, passages: list[Passage], first: bool) -> str:
    """ "The Verge's article" / "TechCrunch's" when the part names its source, else the
    article's headline."""
    if part.evidence is None:
        return "the article" if first else "the other"
    p = passages[part.evidence.passage]
    if p.source in part.sources:
        name = p.source.split(" | ")[0]
        return f"{name}'s article" if first else f"{name}'s"
    return f"the article “{p.title}”" if first else f"“{p.title}”"
