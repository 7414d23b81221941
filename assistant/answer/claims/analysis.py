"""One analysed text: tokens, facts (dates, quantities, names), negations and match keys.

Analyses are cached by text and published date, so a passage checked against several
claims is read once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .dates import DateFact, extract_dates, parse_published
from .entities import Mention, extract_mentions, group_forms, groups_in
from .lexicon import ANAPHORA_NOUNS, NEGATORS, PRONOUNS
from .numbers import Quantity, extract_quantities
from .polarity import Negation, Polarity, find_negations, polarity
from .text import Token, tokenize

Fact = DateFact | Quantity | Mention
_KEY_PUNCT = frozenset(",;:.!?-")


class Key(NamedTuple):
    """One unit of a text for alignment: a fact, a word stem, a negation or punctuation."""

    key: str
    first: int  # token range covered
    last: int
    fact: Fact | None
    content: bool  # a fact or a content word (what anchors an alignment)


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the checker needs to know about one claim or evidence sentence."""

    text: str
    tokens: tuple[Token, ...]
    dates: tuple[DateFact, ...]
    date_ranges: tuple[tuple[int, int], ...]  # token range of each date
    quantities: tuple[Quantity, ...]
    mentions: tuple[Mention, ...]
    keys: tuple[Key, ...]
    negations: tuple[Negation, ...]
    polarity: Polarity
    lows: str  # " tok tok … " for contiguous name search
    stems: frozenset[str]  # content stems of all tokens
    plain_stems: frozenset[str]  # content stems of tokens that belong to no fact
    groups: frozenset[str]  # canonical names of known names
    anaphoric: bool  # refers back ("it", "the company")
    units: tuple[frozenset[frozenset[str]], ...]  # each fact's ways to show in a sentence


def _date_ranges(
    tokens: tuple[Token, ...], dates: tuple[DateFact, ...]
) -> tuple[tuple[int, int], ...]:
    out = []
    for d in dates:
        idx = [i for i, t in enumerate(tokens) if t.start < d.end and d.start < t.end]
        out.append((idx[0], idx[-1]) if idx else (-1, -1))
    return tuple(out)


def _keys(tokens: tuple[Token, ...], facts: list[tuple[int, int, Fact]]) -> tuple[Key, ...]:
    starts = {first: (last, fact) for first, last, fact in facts}
    keys: list[Key] = []
    i = 0
    while i < len(tokens):
        if i in starts:
            last, fact = starts[i]
            keys.append(Key(_fact_key(fact), i, last, fact, True))
            i = last + 1
            continue
        tok = tokens[i]
        if tok.low in NEGATORS:
            skip = i + 1 if i + 1 < len(tokens) and tokens[i + 1].low in ("longer", "yet") else i
            keys.append(Key("NEG", i, skip, None, False))
            i = skip + 1
            continue
        if tok.kind == "sym":
            if tok.low in _KEY_PUNCT:
                keys.append(Key(tok.low, i, i, None, False))
        else:
            keys.append(Key(tok.stem if tok.content else "w:" + tok.low, i, i, None, tok.content))
        i += 1
    return tuple(keys)


def _fact_key(fact: Fact) -> str:
    if isinstance(fact, DateFact):
        view = fact.claim_view()
        return "D:" + ",".join(f"{k}={v}" for k, v in sorted(view.items(), key=str))
    return fact.key


def _units(
    tokens: tuple[Token, ...], facts: list[tuple[int, int, Fact]]
) -> tuple[frozenset[frozenset[str]], ...]:
    """For alignment: the stem sets that show each fact ("GM" or "general motors")."""
    out = []
    for first, last, fact in facts:
        own = frozenset(t.stem for t in tokens[first : last + 1] if t.content)
        alts = {own} if own else set()
        if isinstance(fact, Mention) and fact.group:
            alts |= set(group_forms().get(fact.group, ()))
        if isinstance(fact, Quantity):
            digits = frozenset(t.low for t in tokens[first : last + 1] if t.kind == "num")
            alts |= {digits} if digits else set()
            if fact.value.is_integer() and fact.kind == "count":
                alts.add(frozenset({str(int(fact.value))}))
        out.append(frozenset(a for a in alts if a))
    return tuple(out)


def _anaphoric(tokens: tuple[Token, ...]) -> bool:
    for i, tok in enumerate(tokens):
        if tok.low in PRONOUNS:
            return True
        if tok.low in ANAPHORA_NOUNS:
            for prev in tokens[max(0, i - 4) : i][::-1]:
                if prev.low in ("the", "this", "that", "its"):
                    return True  # "the company", "the Swedish battery maker"
                if prev.kind != "word":
                    break
    return False


@lru_cache(maxsize=8192)
def analyse(text: str, published_at: str | None = None, *, is_claim: bool = False) -> Analysis:
    """Analysis of one sentence (or headline); see the module docstring."""
    tokens = tokenize(text)
    dates = extract_dates(text, parse_published(published_at), is_claim=is_claim)
    date_ranges = _date_ranges(tokens, dates)
    taken = frozenset(k for a, b in date_ranges if a >= 0 for k in range(a, b + 1))
    quantities = extract_quantities(text, tokens, taken)
    taken |= frozenset(k for q in quantities for k in range(q.first, q.last + 1))
    mentions = extract_mentions(text, tokens, taken)
    facts: list[tuple[int, int, Fact]] = [
        (a, b, d) for (a, b), d in zip(date_ranges, dates, strict=True) if a >= 0
    ]
    facts += [(q.first, q.last, q) for q in quantities]
    facts += [(m.first, m.last, m) for m in mentions]
    in_fact = {k for a, b, _ in facts for k in range(a, b + 1)}
    negations = find_negations(text, tokens)
    groups = groups_in(tokens, any_case=False) | {m.group for m in mentions if m.group}
    return Analysis(
        text,
        tokens,
        dates,
        date_ranges,
        quantities,
        mentions,
        _keys(tokens, facts),
        negations,
        polarity(tokens, negations),
        " " + " ".join(t.low for t in tokens) + " ",
        frozenset(t.stem for t in tokens if t.content),
        frozenset(t.stem for k, t in enumerate(tokens) if t.content and k not in in_fact),
        frozenset(groups),
        _anaphoric(tokens),
        _units(tokens, facts),
    )


_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her"})


def _plural_like(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "os"))


def subject(a: Analysis) -> Mention | None:
    """The name a sentence is about: its first name, if only descriptors come before it.

    "Chinese car giant BYD said …" -> BYD; "Rivals such as Toyota …" -> None.
    """
    adjectival = {k for m in a.mentions if m.adjectival for k in range(m.first, m.last + 1)}
    for m in a.mentions:
        if m.adjectival or (m.uncertain and _plural_like(m.norms[0])):
            continue
        prefix = a.tokens[: m.first]
        if all(
            t.low in _DETERMINERS
            or k in adjectival
            or (t.kind == "word" and t.content and not t.cap)
            for k, t in enumerate(prefix)
        ):
            return m
        return None
    return None


@lru_cache(maxsize=2048)
def headline_groups(title: str) -> frozenset[str]:
    """Known names in a headline, case-insensitively (headlines are often lowercased slugs)."""
    return frozenset(groups_in(tokenize(title), any_case=True))
