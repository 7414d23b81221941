"""Which evidence sentences a claim rests on, and what it swapped in them.

``align`` picks the evidence sentence sharing the most with the claim (the anchor) and adds
sentences only for the claim's *plain words* they add, never for a name or number alone: a
list naming Toyota next to a sentence about Tesla does not support "Toyota …".

``swaps`` compares the claim with each aligned sentence key by key (difflib): where an
otherwise matching claim puts one name, number or date in place of another, that is a
conflict even if the claim's value occurs elsewhere in the passage ("Toyota" replacing
"Ford" in "Ford recalled …, unlike Toyota").  A reordered list is no swap: the replaced
value is still in the claim, as an item of the same list.  It also finds a "not" added or
dropped in a copied sentence, and plain words written into one (``word_changes``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from .analysis import Analysis, Fact, Key
from .dates import DateFact, date_supported
from .entities import Mention, mention_matches
from .lexicon import SYNONYM_SETS
from .numbers import Quantity, compatible, values_match
from .text import stem

_MAX_SEGMENT = 6
Op = tuple[str, int, int, int, int]  # a difflib opcode
_MAX_ALIGNED = 4


def align(claim: Analysis, evidence: Sequence[frozenset[str]]) -> list[int]:
    """Indices of the evidence sentences the claim rests on, anchor first.

    ``evidence`` holds each sentence's content stems (see ``text.content_stems``).
    """
    scores = [_score(claim, ev) for ev in evidence]
    if not scores or max(scores)[0] == 0:
        return []
    anchor = scores.index(max(scores))
    chosen = [anchor]
    remaining = set(claim.plain_stems) - evidence[anchor]
    need = max(1, round(0.25 * len(claim.plain_stems)))
    while remaining and len(chosen) < _MAX_ALIGNED:
        gains = [(len(remaining & ev), -i) for i, ev in enumerate(evidence) if i not in chosen]
        if not gains:
            break
        gain, neg_i = max(gains)
        if gain < 2 and gain < need:
            break
        chosen.append(-neg_i)
        remaining -= evidence[-neg_i]
    return chosen


def _score(claim: Analysis, ev: frozenset[str]) -> tuple[int, int, int]:
    """Facts shown plus plain words shared; ties go to more plain words, then brevity."""
    plain = len(claim.plain_stems & ev)
    facts = sum(any(alt <= ev for alt in alts) for alts in claim.units)
    return facts + plain, plain, -len(ev)


def _facts(keys: Sequence[Key]) -> list[Fact]:
    return [k.fact for k in keys if k.fact is not None]


def _same(claim_fact: Fact, ev_fact: Fact) -> bool:
    """True when the evidence fact states the claim fact."""
    if isinstance(claim_fact, Mention) and isinstance(ev_fact, Mention):
        return mention_matches(claim_fact, ev_fact) or mention_matches(ev_fact, claim_fact)
    if isinstance(claim_fact, Quantity) and isinstance(ev_fact, Quantity):
        return compatible(claim_fact, ev_fact) and values_match(claim_fact, ev_fact)
    if isinstance(claim_fact, DateFact) and isinstance(ev_fact, DateFact):
        return date_supported(claim_fact, [ev_fact])
    return False


def _comparable(claim_fact: Fact, ev_fact: Fact) -> bool:
    """True when one can stand in the other's place (same kind of fact)."""
    if isinstance(claim_fact, Quantity) and isinstance(ev_fact, Quantity):
        kinds = {claim_fact.kind, ev_fact.kind}
        return len(kinds) == 1 or kinds <= {"percent", "fraction"} or kinds <= {"count", "money"}
    if isinstance(claim_fact, Mention) and isinstance(ev_fact, Mention):
        return claim_fact.adjectival == ev_fact.adjectival  # a name for a description is fine
    return type(claim_fact) is type(ev_fact)


def _fact_swaps(
    claim: Analysis, ev_sentence: Analysis, c_keys: Sequence[Key], e_keys: Sequence[Key]
) -> list[tuple[Fact, Fact]]:
    """Claim facts of a replaced segment whose evidence counterpart the claim dropped.

    The counterpart counts as dropped when the claim names it fewer times than the
    sentence does, or only in another role (not as an item of the same list).
    """
    ev_facts = _facts(e_keys)
    claim_facts = _facts(claim.keys)
    sentence_facts = _facts(ev_sentence.keys)
    out: list[tuple[Fact, Fact]] = []
    for fact in _facts(c_keys):
        if any(_same(fact, ev) for ev in ev_facts):
            continue
        for ev in ev_facts:
            if not _comparable(fact, ev):
                continue
            elsewhere = [cf for cf in claim_facts if cf is not fact and _same(cf, ev)]
            in_sentence = sum(_same(ev, sf) for sf in sentence_facts)
            if len(elsewhere) < in_sentence or all(_role_swap(claim, fact, cf) for cf in elsewhere):
                out.append((fact, ev))
                break
    return out


_LIST_WORDS = frozenset({"and", "or", "nor", "as", "well", "plus", "the", "&"})


def _role_swap(claim: Analysis, a: Fact, b: Fact) -> bool:
    """True when two swapped claim facts are not items of one list ("X attacked Y").

    Items of a list are separated by commas and "and"/"or"; a passive ("by") may
    legitimately swap the order of subject and object.
    """
    first, last = sorted((a, b), key=lambda f: _span(claim, f)[0])
    lo, hi = _span(claim, first)[1] + 1, _span(claim, last)[0]
    in_facts = {n for k in claim.keys if k.fact is not None for n in range(k.first, k.last + 1)}
    between = [t for n, t in enumerate(claim.tokens[lo:hi], lo) if n not in in_facts]
    if any(t.low == "by" for t in between):
        return False  # a passive
    if len(between) <= 6 and any(t.low in (",", "and", "or", "&") for t in between):
        return False  # items of a list
    return any(t.kind != "sym" and t.low not in _LIST_WORDS for t in between)


def _span(claim: Analysis, fact: Fact) -> tuple[int, int]:
    for k in claim.keys:
        if k.fact is fact:
            return k.first, k.last
    return 0, 0


def _anchors(ops: Sequence[Op], n: int, claim: Analysis) -> tuple[int, int]:
    """Content keys matching right before and right after the op at ``n``."""

    def content(op: Op) -> int:
        return sum(k.content for k in claim.keys[op[1] : op[2]]) if op[0] == "equal" else 0

    before = content(ops[n - 1]) if n > 0 else 0
    after = content(ops[n + 1]) if n + 1 < len(ops) else 0
    return before, after


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, frozenset[int]]:
    out: dict[str, set[int]] = {}
    for n, words in enumerate(SYNONYM_SETS):
        for w in words:
            for form in {w, stem(w)}:
                out.setdefault(form, set()).add(n)
    return {k: frozenset(v) for k, v in out.items()}


def _new_words(keys: Sequence[Key], have: Collection[str]) -> list[Key]:
    """Plain content words of ``keys`` that ``have`` lacks, even as a synonym."""
    syn = _synonyms()
    have_ids = {i for st in have for i in syn.get(st, ())}
    return [
        k
        for k in keys
        if k.content
        and k.fact is None
        and k.key not in have
        and not (syn.get(k.key, frozenset()) & have_ids)
    ]


_VERB_BEFORE = frozenset(
    "to will would can could may might must should shall did does do not n't".split()
)


def _verb_like(claim: Analysis, k: Key) -> bool:
    """Verbs and adverbs are paraphrased freely: "-ed", "-ly", or after "to"/a modal."""
    word = claim.tokens[k.first].low
    prev = claim.tokens[k.first - 1].low if k.first else ""
    return word.endswith(("ed", "ly")) or prev in _VERB_BEFORE


def _runs(claim: Analysis, new: set[int]) -> list[list[Key]]:
    """New words of the claim in runs broken only by stopwords and punctuation."""
    runs: list[list[Key]] = []
    current: list[Key] = []
    for n, k in enumerate(claim.keys):
        if n in new:
            current.append(k)
        elif k.content and current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def word_changes(
    claim: Analysis, ev: Analysis, ops: Sequence[Op], all_stems: set[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """Plain words a near-verbatim claim puts in: (missing phrases, swapped words).

    Two or more adjacent words the passage never uses (nor their synonyms) are a missing
    phrase; one such word in place of one evidence word is a swap ("tractor" for
    "robot").  Loose paraphrases (less than half of the claim's words, or of the words
    besides the new ones less than three quarters, in the sentence) are left to the fact
    checks.
    """
    if _coverage(claim, ev) < 0.5:
        return [], []
    new: set[int] = set()
    replaced: dict[int, Sequence[Key]] = {}
    for tag, i1, i2, j1, j2 in ops:
        if tag in ("replace", "delete"):
            for k in _new_words(claim.keys[i1:i2], all_stems):
                n = claim.keys.index(k, i1, i2)
                new.add(n)
                if tag == "replace":
                    replaced[n] = ev.keys[j1:j2]
    ev_keys = {k.key for k in ev.keys if k.content}
    rest = [k for n, k in enumerate(claim.keys) if k.content and n not in new]
    if not rest or sum(k.key in ev_keys for k in rest) < 0.75 * len(rest):
        return [], []  # more than the new words differ: a paraphrase
    missing: list[str] = []
    swapped: list[tuple[str, str]] = []
    for run in _runs(claim, new):
        text = claim.text[claim.tokens[run[0].first].start : claim.tokens[run[-1].last].end]
        if len(run) >= 2:
            missing.append(text)
            continue
        n = claim.keys.index(run[0])
        if n not in replaced or _verb_like(claim, run[0]):
            continue
        lost = _new_words(replaced[n], claim.stems)
        if (
            len(lost) == 1
            and sum(k.content for k in replaced[n]) <= 2
            and not _verb_like(ev, lost[0])
        ):
            e_text = ev.text[ev.tokens[lost[0].first].start : ev.tokens[lost[-1].last].end]
            swapped.append((text, e_text))
    return missing, swapped


@dataclass
class Swaps:
    """What a claim changed in one aligned sentence."""

    facts: list[tuple[Fact, Fact]] = field(default_factory=list)  # (claim fact, evidence fact)
    words: list[tuple[str, str]] = field(default_factory=list)  # swapped words, a "not" flip
    inserted: list[str] = field(default_factory=list)  # unsupported phrases written in


def swaps(
    claim: Analysis, ev: Analysis, all_stems: set[str], others: Sequence[Analysis] = ()
) -> Swaps:
    """Swapped facts, swapped answer words and inserted phrases against one sentence.

    Where little context matches around it, a claim fact that ``others`` (the other aligned
    sentences) state is no swap here.
    """
    a = [k.key for k in claim.keys]
    b = [k.key for k in ev.keys]
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out = Swaps()
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        flip = _negation_flip(claim, ev, ops, n)
        if flip is not None:
            out.words.append(flip)
            continue
        if tag != "replace" or i2 - i1 > _MAX_SEGMENT or j2 - j1 > _MAX_SEGMENT:
            continue
        before, after = _anchors(ops, n, claim)
        if not (before or after):
            continue
        weak = before + after < 3  # thin context: the claim may rest on another sentence
        out.facts += [
            (cf, ef)
            for cf, ef in _fact_swaps(claim, ev, claim.keys[i1:i2], ev.keys[j1:j2])
            if not (weak and any(_same(cf, f) for o in others for f in _facts(o.keys)))
        ]
    inserted, words = word_changes(claim, ev, ops, all_stems)
    out.inserted += inserted
    out.words += words
    return out


_AUX_KEYS = frozenset(
    "w:" + w
    for w in (
        "do does did is are was were be been will would can could has have had should may might "
        "must shall".split()
    )
)


def _negation_flip(
    claim: Analysis, ev: Analysis, ops: Sequence[Op], n: int
) -> tuple[str, str] | None:
    """A "not" (with its auxiliary) that one side adds in an otherwise matching stretch."""
    tag, i1, i2, j1, j2 = ops[n]
    if tag == "equal":
        return None
    c_keys, e_keys = claim.keys[i1:i2], ev.keys[j1:j2]
    c_neg = sum(k.key == "NEG" for k in c_keys)
    e_neg = sum(k.key == "NEG" for k in e_keys)
    if c_neg == e_neg or any(k.key not in _AUX_KEYS | {"NEG"} for k in (*c_keys, *e_keys)):
        return None
    before, after = _anchors(ops, n, claim)
    if not (before and after):
        return None
    nxt = claim.keys[i2]  # the matching word right after
    word = claim.text[claim.tokens[nxt.first].start : claim.tokens[nxt.last].end]
    if c_neg > e_neg:
        first = c_keys[0].first
        return claim.text[claim.tokens[first].start : claim.tokens[nxt.last].end], word
    first = e_keys[0].first
    nxt_ev = ev.keys[j2]
    return word, ev.text[ev.tokens[first].start : ev.tokens[nxt_ev.last].end]


def _coverage(claim: Analysis, ev: Analysis) -> float:
    wanted = {k.key for k in claim.keys if k.content}
    if not wanted:
        return 0.0
    return len(wanted & {k.key for k in ev.keys if k.content}) / len(wanted)
