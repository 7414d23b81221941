"""Negation and polarity: "did not", "never", "no longer", and opposite words.

A negation governs the first content word after it in its clause ("will not *sell*", "is not
the *first*", "did not *announce*"); its *context* is that word plus the nearest content
word before it ("vowed to retaliate if it didn't" -> {retaliate}).  Against the sentences a
claim aligns with:

* a word the claim negates that the evidence states plainly, and never negates, conflicts;
* a claim negation that no evidence negation shares a context word with is missing;
* an evidence negation whose whole context the claim repeats without negating it conflicts
  (the claim dropped the "not"), unless the claim dropped the governed word too;
* a word negated twice ("none … did not") counts as plain.

Opposite words (rose/fell, approved/rejected) conflict when the evidence uses the opposite
near the same words and never the claim's word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import (
    ANTONYM_GROUPS,
    AUXILIARIES,
    LEXICAL_NEGATIVES,
    NEG_SKIP,
    NEGATORS,
    NON_NEGATING_NEXT,
    STOPWORDS,
)
from .text import Token, stem

_CLAUSE_END = frozenset(",;:.!?()—–")
_BLOCKING = frozenset("prevent stop bar block keep prohibit forbid ban".split())
_FAILING = frozenset("fail refus declin".split())
_CLAUSE_WORDS = frozenset("but while although whereas because though however".split())


@dataclass(frozen=True, slots=True)
class Negation:
    """A negation cue, the word it governs and the words around it."""

    cue: int  # token index of the negator
    head: int | None  # token index of the governed content word
    phrase: str  # as written, from a preceding auxiliary to the head
    context: frozenset[str]  # stems of the head and of the nearest content word before


def _is_cue(tokens: Sequence[Token], i: int) -> bool:
    tok = tokens[i]
    if tok.low not in NEGATORS:
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if tok.low == "no" and nxt is not None and (nxt.text == "." or nxt.kind == "num"):
        return False  # "No. 1"
    if nxt is not None and nxt.low in ("only", "just", "merely"):
        # "not only X but also Y" affirms X; without a "but"/"also" it is a plain "not".
        return not any(t.low in ("but", "also") for t in tokens[i + 2 :])
    return not (nxt is not None and nxt.low in NON_NEGATING_NEXT)


def _boundary(tok: Token) -> bool:
    return (tok.kind == "sym" and tok.text in _CLAUSE_END) or tok.low in _CLAUSE_WORDS


def _head(tokens: Sequence[Token], i: int) -> int | None:
    for k in range(i + 1, min(len(tokens), i + 8)):
        tok = tokens[k]
        if _boundary(tok):
            return None
        if tok.kind != "word" or tok.cap or tok.low in NEG_SKIP or tok.low in STOPWORDS:
            continue  # "No U.S. nuclear plant" is about the plant
        return k
    return None


def _left(tokens: Sequence[Token], i: int) -> int | None:
    for k in range(i - 1, max(-1, i - 8), -1):
        tok = tokens[k]
        if _boundary(tok) or tok.low in ("and", "or"):
            return None
        if tok.content and tok.low not in NEG_SKIP:
            return k
    return None


def _lexical_cue(tokens: Sequence[Token], i: int) -> int | None:
    """ "prevent … from X", "failed to X": the index after which the negated word comes."""
    stem_ = tokens[i].stem
    if stem_ in _BLOCKING:
        for k in range(i + 1, min(len(tokens), i + 6)):
            if tokens[k].low == "from":
                return k
            if tokens[k].kind == "sym" and tokens[k].text in _CLAUSE_END:
                return None
    if stem_ in _FAILING and i + 1 < len(tokens) and tokens[i + 1].low == "to":
        return i + 1
    return None


def _right(tokens: Sequence[Token], i: int) -> int | None:
    """The first content word after ``i``, across a comma ("if they don't, the process")."""
    for k in range(i + 1, min(len(tokens), i + 5)):
        if tokens[k].content and tokens[k].low not in NEG_SKIP:
            return k
    return None


def _negation(text: str, tokens: Sequence[Token], cue: int, after: int) -> Negation:
    head = _head(tokens, after)
    left = _left(tokens, cue)
    start = cue - 1 if cue and tokens[cue - 1].low in AUXILIARIES else cue
    end = head if head is not None else after
    near = (head, left) if head is not None or left is not None else (_right(tokens, after),)
    context = frozenset(tokens[k].stem for k in near if k is not None)
    return Negation(cue, head, text[tokens[start].start : tokens[end].end], context)


def find_negations(text: str, tokens: Sequence[Token]) -> tuple[Negation, ...]:
    """Every negation cue of ``tokens`` with the content word it governs."""
    out: list[Negation] = []
    for i in range(len(tokens)):
        if _is_cue(tokens, i):
            out.append(_negation(text, tokens, i, i))
            continue
        after = _lexical_cue(tokens, i)
        if after is not None:
            out.append(_negation(text, tokens, i, after))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Polarity:
    """Which content stems a text states plainly and which it negates."""

    negated: frozenset[str]
    plain: frozenset[str]
    has_lexical_negative: bool


def polarity(tokens: Sequence[Token], negations: Sequence[Negation]) -> Polarity:
    """The polarity view of one text; a word negated twice ("none … did not") is plain."""
    counts = Counter(tokens[n.head].stem for n in negations if n.head is not None)
    heads = {n.head for n in negations if n.head is not None}
    plain = {
        t.stem
        for k, t in enumerate(tokens)
        if t.content and k not in heads and t.low not in NEGATORS
    }
    plain |= {st for st, c in counts.items() if c % 2 == 0}
    negated = frozenset(st for st, c in counts.items() if c % 2)
    lexical = any(t.stem in LEXICAL_NEGATIVES for t in tokens)
    return Polarity(negated, frozenset(plain), lexical)


def negation_problems(
    claim_tokens: Sequence[Token],
    claim_neg: Sequence[Negation],
    claim: Polarity,
    ev_neg: Sequence[Negation],
    ev: Polarity,
) -> tuple[list[str], list[tuple[str, str]]]:
    """The claim's negations that the aligned evidence contradicts or never makes."""
    missing: list[str] = []
    conflicts: list[tuple[str, str]] = []
    for neg in claim_neg:
        h = claim_tokens[neg.head].stem if neg.head is not None else None
        if h is not None and h not in claim.negated:
            continue  # negated twice: a plain statement, checked by ``dropped_negations``
        if h is not None and h in ev.plain and h not in ev.negated:
            conflicts.append((neg.phrase, claim_tokens[neg.head].text))  # type: ignore[index]
        elif (
            not _matched(neg, ev_neg)
            and not (h is not None and h in ev.negated)
            and not (ev.has_lexical_negative)
        ):
            missing.append(neg.phrase)
    return missing, conflicts


def _matched(neg: Negation, others: Sequence[Negation]) -> bool:
    """Some negation of ``others`` is about the same words (any, when ``neg`` has none)."""
    if not neg.context:
        return bool(others)
    return any(neg.context & o.context for o in others)


def dropped_negations(
    claim_tokens: Sequence[Token],
    claim_neg: Sequence[Negation],
    claim: Polarity,
    ev_tokens: Sequence[Token],
    ev_neg: Sequence[Negation],
    ev: Polarity,
) -> list[tuple[str, str]]:
    """Evidence negations the claim repeats the words of, without the negation."""
    words = {t.stem: t.text for t in claim_tokens if t.content}
    out: list[tuple[str, str]] = []
    for neg in ev_neg:
        h = ev_tokens[neg.head].stem if neg.head is not None else None
        needed = {h} if h is not None else set(neg.context)
        if not needed or not needed <= words.keys():
            continue  # the claim dropped what the negation governs
        if h is None and _matched(neg, claim_neg):
            continue
        if h is not None and (h not in ev.negated or h in claim.negated):
            continue
        if (
            h is not None
            and h in ev.plain
            and not (
                neg.context <= words.keys()
                and len(neg.context) == 2
                and not _matched(neg, claim_neg)
            )
        ):
            continue  # the word is also stated plainly; only the whole context decides
        out.append((words[next(iter(needed))], neg.phrase))
    return out


@lru_cache(maxsize=1)
def _antonyms() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    out = []
    for a, b in ANTONYM_GROUPS:
        out.append((frozenset(a | {stem(w) for w in a}), frozenset(b | {stem(w) for w in b})))
    return tuple(out)


def _context(tokens: Sequence[Token], k: int) -> set[str]:
    """Content stems within three content words either side of ``k``."""
    out: set[str] = set()
    for direction in (-1, 1):
        j, seen = k + direction, 0
        while 0 <= j < len(tokens) and seen < 3:
            if tokens[j].content:
                out.add(tokens[j].stem)
                seen += 1
            j += direction
    return out


def antonym_conflicts(
    claim_tokens: Sequence[Token],
    claim_neg: Sequence[Negation],
    evidence: Sequence[Sequence[Token]],
) -> list[tuple[str, str]]:
    """Claim words whose opposite, and not the word, the evidence uses in the same context."""
    heads = {n.head for n in claim_neg}
    ev_stems = {t.stem for toks in evidence for t in toks}
    claim_stems = {t.stem for t in claim_tokens}
    out: list[tuple[str, str]] = []
    vocabulary = {w for a, b in _antonyms() for w in a | b}
    for k, tok in enumerate(claim_tokens):
        if tok.kind != "word" or tok.stem not in vocabulary or k in heads:
            continue
        for side, other in _antonyms() + tuple((b, a) for a, b in _antonyms()):
            if tok.stem not in side or (side & ev_stems) or (other & claim_stems):
                continue
            hit = _opposite_in(evidence, other, _context(claim_tokens, k))
            if hit is not None:
                out.append((tok.text, hit))
    return out


def _opposite_in(
    evidence: Sequence[Sequence[Token]], other: frozenset[str], context: set[str]
) -> str | None:
    for toks in evidence:
        for j, t in enumerate(toks):
            if t.stem in other and _context(toks, j) & context:
                return t.text
    return None
