"""Tokens: the shared low-level view of a claim or an evidence sentence.

The tokenizer keeps character offsets so that facts can be reported exactly as written,
splits contractions ("didn't" -> "did" + "n't") and number-unit compounds ("two-year" ->
"two" + "year"), and marks sentence-initial tokens, whose capital letter says nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import Stemmer

from .lexicon import IRREGULAR_VERBS, NUMBER_WORDS, ORDINALS, STOPWORDS

# PyStemmer (Snowball) is fast, C-backed and already a dependency of the product.
_STEMMER = Stemmer.Stemmer("english")


def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


_TOKEN = re.compile(
    r"(?P<acr>(?:[A-Za-z]\.){2,})"
    r"|(?P<num>\d+(?:[.,]\d+)*)"
    r"|(?P<word>[^\W\d_][\w]*(?:[-'’.&/][^\W_][\w]*)*)"
    r"|(?P<sym>\S)"
)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_NEG_CONTRACTION = re.compile(r"^(\w+)n['’]t$", re.IGNORECASE)
# "Shenzhen-based", "Chinese-made": the name and the suffix are separate tokens.
_ADJ_SUFFIXES = frozenset(
    "based made built owned backed led born listed controlled headquartered funded run "
    "style era".split()
)
_CONTRACTION_BASE = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
_INITIAL_AFTER = frozenset(".!?:;“\"‘'([—–")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


class Token(NamedTuple):
    """One token with its offsets in the source text and its normal forms."""

    text: str  # as written (possessive kept)
    start: int
    end: int  # end of the written form without a possessive 's
    kind: str  # "word", "num" or "sym"
    low: str  # lowercase, possessive and dots removed ("U.S." -> "US", "Tesla's" -> "tesla")
    stem: str  # stem of ``low`` after irregular-verb mapping
    cap: bool  # first character is uppercase, or mixed case like "iPhone"
    acronym: bool  # all-caps ("BYD", "U.S.")
    initial: bool  # first word of a sentence, quote or clause after a colon
    glued: bool  # no space between this token and the previous one
    content: bool  # a word that carries meaning (not a stopword or a symbol)


def stem(word: str) -> str:
    """Stem of a lowercase word, mapping irregular verb forms to their base first."""
    return _stem(IRREGULAR_VERBS.get(word, word))


def _split_word(text: str, start: int) -> list[tuple[str, int]]:
    """Splits "didn't" into "did"/"n't" and "two-year"/"5-door" into their parts."""
    return [(part, start + offset) for part, offset in _split_cached(text)]


@lru_cache(maxsize=65536)
def _split_cached(text: str) -> tuple[tuple[str, int], ...]:
    return tuple(_split_uncached(text, 0))


def _split_uncached(text: str, start: int) -> list[tuple[str, int]]:
    neg = _NEG_CONTRACTION.match(text)
    if neg and len(neg.group(1)) >= 2:
        base = neg.group(1)
        return [(base, start), (text[len(base) :], start + len(base))]
    if "-" in text:
        head, _, tail = text.rpartition("-")
        if tail.lower() in _ADJ_SUFFIXES and head[:1].isupper():
            return [(head, start), (tail, start + len(head) + 1)]  # "Shenzhen-based"
        head = text.split("-", 1)[0].lower()
        if (head in NUMBER_WORDS or head in ORDINALS or head.isdigit()) and not all(
            part.lower() in NUMBER_WORDS for part in text.split("-")
        ):
            out, pos = [], start
            for part in text.split("-"):
                out.append((part, pos))
                pos += len(part) + 1
            return [(p, s) for p, s in out if p]
    return [(text, start)]


@lru_cache(maxsize=65536)
def _forms(text: str, kind: str) -> tuple[int, str, str, bool, bool]:
    """(written length, low, stem, cap, acronym) of one token's text."""
    written = _POSSESSIVE.sub("", text) if kind == "word" and len(text) > 2 else text
    if kind == "sym":
        low = written.translate(_QUOTES)
        return len(written), low, low, False, False
    if kind == "num":
        return len(written), written, written, False, False
    if written.lower() in ("n't", "n’t"):
        return len(written), "n't", "n't", False, False
    low = written.replace(".", "").lower()
    low = _CONTRACTION_BASE.get(low, low)
    letters = [c for c in written if c.isalpha()]
    acronym = len(letters) >= 2 and all(c.isupper() for c in letters)
    if acronym and low in STOPWORDS:  # "US" is not "us", "IT" is not "it"
        low = low.upper()
    cap = bool(letters) and (
        written[0].isupper() or (any(c.isupper() for c in written[1:]) and not written.islower())
    )
    return len(written), low, stem(low), cap, acronym


def _make(text: str, start: int, kind: str, prev_sym: str | None, glued: bool) -> Token:
    length, low, stemmed, cap, acronym = _forms(text, kind)
    initial = prev_sym is None or prev_sym in _INITIAL_AFTER
    content = kind != "sym" and low not in STOPWORDS
    return Token(
        text, start, start + length, kind, low, stemmed, cap, acronym, initial, glued, content
    )


@lru_cache(maxsize=8192)
def tokenize(text: str) -> tuple[Token, ...]:
    """Tokens of ``text`` with offsets; see the module docstring."""
    tokens: list[Token] = []
    prev_sym: str | None = None  # the symbol before the current word ("" after a word)
    last_end = -1
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "sym"
        piece, start = m.group(), m.start()
        if kind == "sym":
            tokens.append(_make(piece, start, kind, prev_sym, start == last_end))
            last_end = start + len(piece)
            prev_sym = piece if piece in _INITIAL_AFTER else ""
            continue
        kind = "num" if kind == "num" else "word"
        parts = _split_cached(piece) if kind == "word" else ((piece, 0),)
        for part, offset in parts:
            begin = start + offset
            tokens.append(_make(part, begin, kind, prev_sym, begin == last_end))
            last_end = begin + len(part)
            prev_sym = ""
    return tuple(tokens)


@lru_cache(maxsize=65536)
def _piece_stems(piece: str, kind: str) -> tuple[str, ...]:
    parts = _split_word(piece, 0) if kind == "word" else [(piece, 0)]
    out = []
    for part, _ in parts:
        _, low, stemmed, _, _ = _forms(part, kind)
        if low not in STOPWORDS:
            out.append(stemmed)
    return tuple(out)


_WORDISH = re.compile(_TOKEN.pattern.rsplit("|(?P<sym>", 1)[0])


@lru_cache(maxsize=8192)
def content_stems(text: str) -> frozenset[str]:
    """Stems of the content tokens of ``text`` (as ``tokenize`` would give), built fast."""
    out: set[str] = set()
    for m in _WORDISH.finditer(text):
        piece = m.group()
        out.update(_piece_stems(piece, "num" if m.lastgroup == "num" else "word"))
    return frozenset(out)
