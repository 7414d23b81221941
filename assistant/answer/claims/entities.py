"""Named entities: capitalised spans and acronyms, with aliases and adjectival forms.

A mention is a run of capitalised tokens (joined across "of", "de", "&"), split at roles
("CEO", "President") and at known names, so "Tesla CEO Elon Musk" gives "Tesla" and
"Elon Musk".  Known names come in alias groups ("GM" = "General Motors", "German" =
"Germany", "U.S." = "American"); places imply the places that contain them ("Shenzhen"
supports "China").  A sentence-initial capital says nothing, so such a word is a name only if
it is known, looks like one (acronym, inner capital, part of a longer span), or is not a
common word; a claim's uncertain initial word is dropped when the evidence uses it lowercase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import (
    ADJECTIVAL_FORMS,
    ALIAS_GROUPS,
    COMMON_WORDS,
    CORPORATE_SUFFIXES,
    DEMONYMS,
    GENERIC_CAPS,
    HONORIFICS,
    LOCATED_IN,
    STOPWORDS,
)
from .text import Token, tokenize

_CONTRACTION = re.compile(r"['’](?:m|re|ve|ll|d)$", re.IGNORECASE)
_CONNECTORS = frozenset({"of", "de", "del", "der", "von", "van", "&", "la", "le", "du", "da"})
_COMMON_SUFFIXES = ("ly", "ing", "ed", "ers", "ists", "ions", "ments", "ness", "ity", "ies")
_MAX_ALIAS = 6


@dataclass(frozen=True, slots=True)
class Mention:
    """One name as written, with its normal forms."""

    surface: str
    first: int  # token indices (inclusive)
    last: int
    norms: tuple[str, ...]  # lowercase tokens without possessive ("elon", "musk")
    group: str | None  # canonical name of its alias group ("general motors")
    uncertain: bool = False  # a lone sentence-initial word that may be a common word
    adjectival: bool = False  # describes rather than names ("German" in "German plant")

    @property
    def key(self) -> str:
        """A normal form: equal keys name the same thing."""
        return "E:" + (self.group or " ".join(self.norms))


def _form_key(form: str) -> tuple[str, ...]:
    return tuple(t.low for t in tokenize(form) if t.kind != "sym" or t.text == "&")


@lru_cache(maxsize=1)
def alias_index() -> dict[tuple[str, ...], str]:
    """Every known surface form (as lowercase tokens) mapped to its group's canonical name."""
    index: dict[tuple[str, ...], str] = {}
    for group in (*ALIAS_GROUPS, *DEMONYMS):
        for form in group:
            index.setdefault(_form_key(form), " ".join(_form_key(group[0])))
    for container, places in LOCATED_IN.items():
        index.setdefault(_form_key(container), " ".join(_form_key(container)))
        for place in places:
            index.setdefault(_form_key(place), " ".join(_form_key(place)))
    return index


@lru_cache(maxsize=1)
def group_forms() -> dict[str, tuple[frozenset[str], ...]]:
    """Each canonical name mapped to the stems of each of its written forms."""
    out: dict[str, list[frozenset[str]]] = {}
    for group in (*ALIAS_GROUPS, *DEMONYMS):
        name = " ".join(_form_key(group[0]))
        for form in group:
            out.setdefault(name, []).append(frozenset(t.stem for t in tokenize(form) if t.content))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _containers() -> dict[str, frozenset[str]]:
    """Each place mapped to every place that contains it (transitively)."""
    parents: dict[str, set[str]] = {}
    for container, places in LOCATED_IN.items():
        for place in places:
            parents.setdefault(" ".join(_form_key(place)), set()).add(container)
    closure: dict[str, frozenset[str]] = {}
    for place in parents:
        seen, todo = set(), list(parents[place])
        while todo:
            nxt = todo.pop()
            if nxt not in seen:
                seen.add(nxt)
                todo.extend(parents.get(nxt, ()))
        closure[place] = frozenset(seen)
    return closure


def implied(names: set[str]) -> set[str]:
    """``names`` plus every place that contains one of them."""
    out = set(names)
    for name in names:
        out |= _containers().get(name, frozenset())
    return out


def _known_single(low: str) -> bool:
    return (low,) in alias_index()


def _looks_common(tok: Token) -> bool:
    low = tok.low
    if low in COMMON_WORDS or low in STOPWORDS:
        return True
    return not _known_single(low) and low.endswith(_COMMON_SUFFIXES) and len(low) > 4


def _name_like(tokens: tuple[Token, ...], i: int, taken: frozenset[int]) -> bool | None:
    """True for a name token, None for an uncertain sentence-initial word, else False."""
    tok = tokens[i]
    if i in taken:
        return False
    if tok.kind == "num":
        return i > 0 and _name_like(tokens, i - 1, taken) is True and tokens[i - 1].kind == "word"
    if tok.kind != "word" or not tok.cap or tok.low in ("i", "n't"):
        return False
    if _CONTRACTION.search(tok.text):
        return False  # "I'm", "They’re": contractions name nothing ("O'Neil" does)
    if tok.low in GENERIC_CAPS and not _known_single(tok.low):
        return False
    if not tok.initial:
        return tok.low not in STOPWORDS
    if tok.acronym or _known_single(tok.low) or any(c.isupper() for c in tok.text[1:]):
        return True
    if _longest_alias([t.low for t in tokens[i : i + _MAX_ALIAS]], 0) >= 2:
        return True  # "United States …", "General Motors …"
    if _looks_common(tok):
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.kind == "word" and nxt.cap and not nxt.initial:
        return True
    return None


def _spans(tokens: tuple[Token, ...], taken: frozenset[int]) -> list[tuple[int, int, bool]]:
    """Runs of name tokens: (first, last, uncertain)."""
    flags = [_name_like(tokens, i, taken) for i in range(len(tokens))]
    lows = [t.low for t in tokens]
    spans: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(tokens):
        if flags[i] is False:
            i += 1
            continue
        j = max(i, i + _longest_alias(lows, i) - 1) if flags[i] else i
        while not _possessive(tokens[j]):
            if j + 1 < len(tokens) and flags[j + 1] is True:
                j += 1
            elif j + 2 < len(tokens) and tokens[j + 1].low in _CONNECTORS and flags[j + 2] is True:
                j += 2
            elif (
                j + 3 < len(tokens)
                and tokens[j + 1].low == "of"
                and tokens[j + 2].low == "the"
                and flags[j + 3] is True
            ):
                j += 3
            else:
                break
        spans.append((i, j, flags[i] is None and i == j))
        i = j + 1
    return spans


def _possessive(tok: Token) -> bool:
    """ "Tesla's" ends a name: "Tesla's Autopilot" is two names."""
    return tok.end < tok.start + len(tok.text)


@lru_cache(maxsize=1)
def _first_words() -> dict[str, int]:
    """Each word that starts a known name, with the longest such name's length."""
    out: dict[str, int] = {}
    for key in alias_index():
        out[key[0]] = max(out.get(key[0], 0), len(key))
    return out


def _longest_alias(norms: list[str], p: int) -> int:
    """Length of the longest known name starting at ``norms[p]`` (0 if none)."""
    longest = _first_words().get(norms[p], 0) if p < len(norms) else 0
    if not longest:
        return 0
    index = alias_index()
    for n in range(min(longest, len(norms) - p), 0, -1):
        if tuple(norms[p : p + n]) in index:
            return n
    return 0


def _split(
    text: str, tokens: tuple[Token, ...], first: int, last: int, uncertain: bool
) -> list[Mention]:
    """A span split at roles and known names into mentions."""
    norms = [t.low for t in tokens[first : last + 1]]
    out: list[Mention] = []
    run: list[int] = []

    def flush() -> None:
        while run and norms[run[-1] - first] in _CONNECTORS | {"the"}:
            run.pop()
        while run and norms[run[0] - first] in _CONNECTORS | {"the"}:
            run.pop(0)
        if run:
            out.append(_mention(text, tokens, run[0], run[-1], None, uncertain))
        run.clear()

    p = 0
    while p < len(norms):
        n = _longest_alias(norms, p)
        if n:
            flush()
            group = alias_index()[tuple(norms[p : p + n])]
            out.append(_mention(text, tokens, first + p, first + p + n - 1, group, False))
            p += n
            continue
        if norms[p] in HONORIFICS or norms[p] in GENERIC_CAPS:
            flush()
        else:
            run.append(first + p)
        p += 1
    flush()
    return out


def _mention(
    text: str, tokens: tuple[Token, ...], first: int, last: int, group: str | None, uncertain: bool
) -> Mention:
    norms = tuple(t.low for t in tokens[first : last + 1])
    if group is None:
        while len(norms) > 1 and norms[-1] in CORPORATE_SUFFIXES:
            norms = norms[:-1]
    surface = text[tokens[first].start : tokens[last].end]
    return Mention(surface, first, last, norms, group, uncertain, _adjectival(tokens, last))


@lru_cache(maxsize=1)
def _adjective_forms() -> frozenset[str]:
    forms = {f for group in DEMONYMS for f in group[1:]} | ADJECTIVAL_FORMS
    return frozenset(forms)


def _adjectival(tokens: tuple[Token, ...], last: int) -> bool:
    """True for a name used as a modifier: "German" plant, "Shenzhen"-based company."""
    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    if nxt is None or nxt.kind != "word" or nxt.cap:
        return False
    return tokens[last].low in _adjective_forms() or (
        (nxt.glued or nxt.start == tokens[last].end + 1)
        and nxt.low in ("based", "made", "built", "owned", "backed", "led")
    )


def extract_mentions(
    text: str, tokens: tuple[Token, ...], taken: frozenset[int]
) -> tuple[Mention, ...]:
    """Names of ``text``; tokens in ``taken`` (dates, numbers) are not names."""
    out: list[Mention] = []
    for first, last, uncertain in _spans(tokens, taken):
        out.extend(_split(text, tokens, first, last, uncertain))
    return tuple(out)


def groups_in(tokens: tuple[Token, ...], *, any_case: bool) -> set[str]:
    """Canonical names of every known name in ``tokens`` (case-insensitive for headlines)."""
    index = alias_index()
    lows = [t.low for t in tokens]
    found: set[str] = set()
    for p in range(len(lows)):
        if not any_case and not tokens[p].cap:
            continue
        n = _longest_alias(lows, p)
        if n:
            found.add(index[tuple(lows[p : p + n])])
    return found


def mention_matches(claim: Mention, ev: Mention) -> bool:
    """True when the evidence mention names what the claim mention names."""
    if claim.group is not None and (
        ev.group == claim.group or claim.group in implied({ev.group or " ".join(ev.norms)})
    ):
        return True
    if claim.group is not None and ev.group is not None:
        return False
    return _contains(ev.norms, claim.norms) or (
        len(claim.norms) >= 2 and len(ev.norms) == 1 and claim.norms[-1] == ev.norms[0]
    )


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))
