"""``check_claim``: are the names, numbers, dates and negations of a claim in its evidence?

Rules (NOTES.md gives the reasoning and the measurements):

* A claim that is a stretch of the evidence as written (whitespace and quotes normalised;
  see ``verbatim_in``) is supported without further checks: a verbatim quote states only
  what its passage states.
* Evidence is read sentence by sentence.  A claim's facts must be found in the sentences it
  *aligns* with (its best-matching sentence plus any that add plain words of the claim the
  first lacks) or in the passage's headline; when an aligned sentence refers back ("it",
  "the company"), the subject of the nearest earlier sentence counts too, and so does the
  subject of the passage's first sentence (what the passage is about).  Any other name that
  occurs only elsewhere in the passage (a list of rivals, say) does not count.
* In an aligned sentence, a claim that keeps the wording but puts one name, number or date
  in place of another is a conflict, even if its value occurs elsewhere in the passage.
* In an otherwise verbatim claim, a plain word the passage never uses in place of one it
  does is a conflict ("tractor" for "robot"), and two or more such adjacent words are a
  missing phrase (a quiz option written into the sentence).
* Negation and opposite words are compared against the aligned sentences (``polarity``).
* The question (``context``) is never evidence: a name the question gives must still be in
  the passage.  Only a relative time expression the question itself uses ("this week",
  "last month") is not taken as a claim about the passage's date, since the question is
  relative to the user's date, not the passage's.
* ``supported`` speaks for the facts only; whether the sentence is on topic is still the
  similarity verifier's call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from .align import align, swaps
from .analysis import Analysis, Fact, analyse, headline_groups, subject
from .dates import DateFact, date_conflict, date_supported, extract_dates, parse_published
from .entities import Mention, implied
from .lexicon import NEGATORS
from .numbers import Quantity, quantity_conflict, quantity_supported
from .polarity import (
    Polarity,
    antonym_conflicts,
    dropped_negations,
    negation_problems,
)
from .text import content_stems, tokenize


@dataclass(frozen=True)
class ClaimCheck:
    """The verdict on one claim.

    ``supported`` is True when nothing is missing and nothing conflicts.  ``missing`` lists
    claim facts the evidence does not state, as written in the claim ("$69 billion");
    ``conflicts`` pairs a claim fact with the evidence fact it contradicts
    (("$69 billion", "$44 billion")).
    """

    supported: bool
    missing: tuple[str, ...] = ()
    conflicts: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: {"supported": …, "missing": […], "conflicts": [[a, b], …]}."""
        return {
            "supported": self.supported,
            "missing": list(self.missing),
            "conflicts": [list(pair) for pair in self.conflicts],
        }


@dataclass
class _Scope:
    """The evidence a claim's facts may come from."""

    aligned: list[Analysis]
    sentences: list[Analysis]  # aligned sentences (all, with ``anywhere``) and the headline
    lows: str  # " tok tok | tok … " of those sentences, for contiguous name search
    names: set[str]  # canonical names they state, and the places those imply
    all_stems: set[str]  # content stems of the whole passage
    antecedents: list[Mention] = field(default_factory=list)
    # What ``extended`` needs: the passage, its date and the aligned indices.
    texts: list[str] = field(default_factory=list)
    published_at: str | None = None
    aligned_idx: list[int] = field(default_factory=list)
    _extended: _Scope | None = None
    # The cited document's own metadata: its publication date and its source's names.
    published: list[DateFact] = field(default_factory=list)
    source: frozenset[str] = frozenset()

    @property
    def dates(self) -> list[DateFact]:
        """Dates the scope states."""
        return [d for s in self.sentences for d in s.dates]

    @property
    def quantities(self) -> list[Quantity]:
        """Quantities the scope states."""
        return [q for s in self.sentences for q in s.quantities]

    @property
    def mentions(self) -> list[Mention]:
        """Names the scope states, antecedents included."""
        return [m for s in self.sentences for m in s.mentions] + self.antecedents

    def extended(self) -> _Scope:
        """This scope plus what "it"/"the company" refers to and the passage's subject.

        Computed only when a name is not found without them (it costs more analyses).
        """
        if self._extended is None:
            found = [
                m
                for i in self.aligned_idx
                if analyse(self.texts[i], self.published_at).anaphoric
                for m in [_antecedent(self.texts, i, self.published_at)]
                if m is not None
            ]
            topic = subject(analyse(self.texts[0], self.published_at)) if self.texts else None
            if topic is not None:
                found.append(topic)  # what the passage is about
            names = set(self.names) | implied({m.group or " ".join(m.norms) for m in found})
            lows = " | ".join([self.lows] + [" " + " ".join(m.norms) + " " for m in found])
            self._extended = _Scope(
                self.aligned, self.sentences, lows, names, self.all_stems, found
            )
            self._extended.published, self._extended.source = self.published, self.source
        return self._extended


def _antecedent(texts: list[str], i: int, published_at: str | None) -> Mention | None:
    """What "the company" / "it" in sentence ``i`` refers to: the nearest earlier subject."""
    for j in range(i - 1, max(-1, i - 4), -1):  # at most three sentences back
        found = subject(analyse(texts[j], published_at))
        if found is not None:
            return found
    return None


def _scope(
    texts: list[str],
    published_at: str | None,
    title: Analysis | None,
    claim: Analysis,
    anywhere: bool,
) -> _Scope:
    stems = [content_stems(t) for t in texts]
    aligned_idx = align(claim, stems)
    idx = (
        list(range(len(texts)))
        if anywhere
        else _with_continuations(texts, aligned_idx, published_at)
    )
    sentences = [analyse(texts[i], published_at) for i in sorted(idx)]
    if title is not None:
        sentences.append(title)
    names: set[str] = set()
    for s in sentences:
        names |= s.groups | {" ".join(m.norms) for m in s.mentions}
    if title is not None:
        names |= headline_groups(title.text)
    lows = " | ".join(s.lows for s in sentences)
    all_stems = set().union(*stems) | (set(title.stems) if title else set())
    aligned = [analyse(texts[i], published_at) for i in aligned_idx]
    return _Scope(
        aligned, sentences, lows, implied(names), all_stems, [], texts, published_at, aligned_idx
    )


def _with_continuations(
    texts: list[str], aligned: list[int], published_at: str | None
) -> list[int]:
    """The aligned sentences plus the ones that go on about the same subject right after
    them ("… an investor in Ionna. The Japanese company is the eighth shareholder."): a
    claim may rest on both."""
    out = list(aligned)
    for i in aligned:
        for j in (i + 1, i + 2):
            if j < len(texts) and j not in out and analyse(texts[j], published_at).anaphoric:
                out.append(j)
            else:
                break
    return out


def _mention_supported(m: Mention, scope: _Scope) -> bool:
    if m.group is not None and m.group in scope.names:
        return True
    if " " + " ".join(m.norms) + " " in scope.lows:
        return True
    if m.group is None and len(m.norms) >= 2 and " " + m.norms[-1] + " " in scope.lows:
        # A surname alone in the evidence stands for the full name, unless the evidence
        # puts another name before it ("Hyundai Palisade" does not back "Kia Palisade").
        firsts = _names_before(m.norms[-1], scope)
        return not firsts or tuple(m.norms[:-1]) in firsts
    return False


def _names_before(last: str, scope: _Scope) -> set[tuple[str, ...]]:
    """What the evidence writes right before the name ``last`` ("elon" before "musk")."""
    out: set[tuple[str, ...]] = set()
    for s in scope.sentences:
        for n, mention in enumerate(s.mentions):
            if mention.norms[-1] != last:
                continue
            if len(mention.norms) >= 2:
                out.add(mention.norms[:-1])
            elif (
                n
                and s.mentions[n - 1].last == mention.first - 1
                and not s.mentions[n - 1].adjectival
            ):
                out.add(s.mentions[n - 1].norms)
    for mention in scope.antecedents:
        if len(mention.norms) >= 2 and mention.norms[-1] == last:
            out.add(mention.norms[:-1])
    return out


def _lowercase_in(word: str, scope: _Scope) -> bool:
    return any(t.low == word and not t.cap for s in scope.sentences for t in s.tokens)


def _fact_problem(fact: Fact, scope: _Scope, context: str) -> tuple[str, str | None] | None:
    """None when supported, else (claim surface, conflicting evidence surface or None)."""
    if isinstance(fact, Mention):
        if fact.uncertain and _lowercase_in(fact.norms[0], scope):
            return None
        if _compact(fact.surface) in scope.source:
            return None  # "According to Reuters": the cited document is Reuters'
        if _mention_supported(fact, scope) or _mention_supported(fact, scope.extended()):
            return None
        return fact.surface, None
    if isinstance(fact, Quantity):
        if fact.weak or quantity_supported(fact, scope.quantities):
            return None
        ev_q = quantity_conflict(fact, [q for s in scope.aligned for q in s.quantities])
        return fact.surface, ev_q.surface if ev_q else None
    if fact.relative and context and fact.surface.lower() in context.lower():
        return None
    if date_supported(fact, scope.dates) or (
        _names_a_day(fact) and date_supported(fact, scope.published)
    ):
        return None  # stated, or the cited document's own date ("reported on Monday")
    ev_d = date_conflict(fact, [d for s in scope.aligned for d in s.dates])
    return fact.surface, ev_d.surface if ev_d else None


def _polarity_problems(claim: Analysis, scope: _Scope) -> tuple[list[str], list[tuple[str, str]]]:
    aligned = scope.aligned
    ev = Polarity(
        frozenset().union(*(s.polarity.negated for s in aligned)),
        frozenset().union(*(s.polarity.plain for s in aligned)),
        any(s.polarity.has_lexical_negative for s in aligned),
    )
    ev_neg = [n for s in aligned for n in s.negations]
    missing, conflicts = negation_problems(
        claim.tokens, claim.negations, claim.polarity, ev_neg, ev
    )
    for s in aligned:
        conflicts += dropped_negations(
            claim.tokens, claim.negations, claim.polarity, s.tokens, s.negations, ev
        )
    conflicts += antonym_conflicts(claim.tokens, claim.negations, [s.tokens for s in aligned])
    return missing, conflicts


T = TypeVar("T")


def _dedupe(items: Sequence[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))


def _fact_checks(
    c: Analysis, scope: _Scope, context: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """Swaps against the aligned sentences, then each remaining fact against the scope."""
    conflicts: list[tuple[str, str]] = []
    missing: list[str] = []
    swapped: set[int] = set()
    for ev in scope.aligned:
        found = swaps(c, ev, scope.all_stems, [o for o in scope.aligned if o is not ev])
        for cf, ef in found.facts:
            conflicts.append((cf.surface, ef.surface))
            swapped.add(id(cf))
        conflicts += found.words
        missing += found.inserted
    facts: tuple[Fact, ...] = (*c.mentions, *c.quantities, *c.dates)
    named = _source_tokens(c, scope.source)
    for fact in facts:
        if named and _tokens_of(c, fact) <= named:
            continue  # part of the source's name ("USA Today")
        problem = None if id(fact) in swapped else _fact_problem(fact, scope, context)
        if problem is not None and problem[1] is None:
            missing.append(problem[0])
        elif problem is not None:
            conflicts.append((problem[0], problem[1]))  # type: ignore[arg-type]
    return missing, conflicts


def check_claim(
    claim: str,
    evidence: Sequence[str],
    *,
    published_at: str | None = None,
    title: str | None = None,
    source: str | None = None,
    context: str = "",
    anywhere: bool = False,
) -> ClaimCheck:
    """Check that ``claim``'s names, numbers, dates and negations are in ``evidence``.

    ``evidence`` is the sentences of the cited passage(s); ``published_at`` (YYYY-MM-DD)
    resolves relative dates; ``title`` is the passage's headline; ``source`` its
    publisher ("Reuters", "cnn.com"), which a claim may name, as it may the publication
    date ("CNN reported on Monday"); ``context`` is the question.
    ``anywhere=True`` accepts facts from any evidence sentence (for comparison; the default
    requires them in the sentences the claim aligns with).
    """
    texts = [s.strip() for s in evidence if s and s.strip()]
    if verbatim_in(claim, [*texts, title or ""], published_at):
        return ClaimCheck(True)
    c = analyse(claim.strip(), published_at, is_claim=True)
    head = analyse(title.strip(), published_at) if title and title.strip() else None
    if not texts and head is None:
        facts: tuple[Fact, ...] = (*c.mentions, *c.quantities, *c.dates)
        return ClaimCheck(False, _dedupe([f.surface for f in facts]), ())
    scope = _scope(texts, published_at, head, c, anywhere)
    scope.published = _published_dates(published_at)
    scope.source = source_forms(source)
    missing, conflicts = _fact_checks(c, scope, context)
    neg_missing, neg_conflicts = _polarity_problems(c, scope)
    missing_t = _dedupe(missing + neg_missing)
    conflicts_t = _dedupe(conflicts + neg_conflicts)
    return ClaimCheck(not missing_t and not conflicts_t, missing_t, conflicts_t)


_QUOTE_MAP = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_EDGE = " \t\n\"'.,;:!?()[]"


def _flat(text: str) -> str:
    return " ".join(text.translate(_QUOTE_MAP).split())


def verbatim_in(claim: str, texts: Sequence[str], published_at: str | None = None) -> bool:
    """True when ``claim`` (whitespace and quotes normalised, outer punctuation dropped) is
    a stretch of ``texts`` (one sentence, or consecutive sentences joined by a space).

    A verbatim quote states nothing its passage does not, whatever the fact checks make of
    it.  The stretch must start and end on word boundaries, cut through no name, number or
    date of the passage (the "3" of "3 November 2026" is not stated on its own), and not
    follow a negation ("cut jobs" in "did not cut jobs")."""
    core = _flat(claim).strip(_EDGE)
    if not core or not any(ch.isalnum() for ch in core):
        return False
    flats = [_flat(t) for t in texts if t and t.strip()]
    joined = " ".join(flats)
    offsets, pos = [], 0
    for f in flats:
        offsets.append(pos)
        pos += len(f) + 1
    start = joined.find(core)
    while start >= 0:
        end = start + len(core)
        if _clean_cut(joined, start, end, flats, offsets, published_at):
            return True
        start = joined.find(core, start + 1)
    return False


def _clean_cut(
    joined: str,
    start: int,
    end: int,
    flats: list[str],
    offsets: list[int],
    published_at: str | None,
) -> bool:
    if (start and joined[start - 1].isalnum()) or (end < len(joined) and joined[end].isalnum()):
        return False
    before = tokenize(joined[max(0, start - 40) : start])
    if before and before[-1].low in NEGATORS:
        return False
    for f, off in zip(flats, offsets, strict=True):
        if off >= end or off + len(f) <= start:
            continue
        a = analyse(f, published_at)
        spans = [(d.start, d.end) for d in a.dates]
        spans += [(a.tokens[q.first].start, a.tokens[q.last].end) for q in a.quantities]
        spans += [(a.tokens[m.first].start, a.tokens[m.last].end) for m in a.mentions]
        for lo, hi in spans:
            lo, hi = lo + off, hi + off
            if lo < end and start < hi and not (start <= lo and hi <= end):
                return False  # the stretch cuts this fact
    return True


_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


@lru_cache(maxsize=1024)
def _published_list(published_at: str | None) -> tuple[DateFact, ...]:
    d = parse_published(published_at)
    if d is None:
        return ()
    return tuple(extract_dates(f"on {d.day} {_MONTH_NAMES[d.month - 1]} {d.year}", d))


def _published_dates(published_at: str | None) -> list[DateFact]:
    """The cited document's publication date as a date fact (none without one)."""
    return list(_published_list(published_at))


def _source_tokens(c: Analysis, forms: frozenset[str]) -> set[int]:
    """Claim tokens that spell the cited source's name ("USA Today" for "usatoday.com")."""
    out: set[int] = set()
    toks = c.tokens
    for i in range(len(toks)):
        for j in range(i, min(len(toks), i + 6)):
            if _compact(c.text[toks[i].start : toks[j].end]) in forms:
                out |= set(range(i, j + 1))
    return out


def _tokens_of(c: Analysis, fact: Fact) -> set[int]:
    if isinstance(fact, DateFact):
        return {k for k, t in enumerate(c.tokens) if t.start < fact.end and fact.start < t.end}
    return set(range(fact.first, fact.last + 1))


def _names_a_day(fact: DateFact) -> bool:
    """A day ("12 August 2020", "Wednesday"), which the publication date may state; not a
    bare month or year ("in January": the publication month put in place of the
    sentence's month is a swap) nor a period relative to the reader's today ("this
    week")."""
    keys = {k for k, _ in fact.fields}
    return keys == {"weekday"} or ("day" in keys and not fact.relative)


_SOURCE_PARTS = re.compile(r"\s+[|:–—-]\s+")
_DOMAIN = re.compile(r"\.(?:com|co\.uk|co|org|net|news|uk|au|in)$", re.IGNORECASE)


def _compact(name: str) -> str:
    """A name without case, spaces, punctuation or a leading "the": "The Verge" -> "verge"."""
    low = re.sub(r"^the\s+", "", name.strip().lower())
    return re.sub(r"[\W_]+|['’]s$", "", low)


@lru_cache(maxsize=1024)
def source_forms(source: str | None) -> frozenset[str]:
    """The ways a claim may name a publisher: "Cnbc | World Business News Leader" ->
    {"cnbc", ...}; "usatoday.com" -> {"usatoday"} (which "USA Today" compacts to)."""
    if not source or not source.strip():
        return frozenset()
    out = set()
    for part in [source, *_SOURCE_PARTS.split(source)[:1]]:
        bare = _DOMAIN.sub("", part.strip())
        bare = re.sub(r"^www\.", "", bare, flags=re.IGNORECASE)
        if _compact(bare):
            out.add(_compact(bare))
    return frozenset(out)
