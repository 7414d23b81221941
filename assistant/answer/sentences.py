"""Sentence spans and content terms: the shared text tools of answering and verification."""

from __future__ import annotations

import re
from functools import cache

_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "st",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "est",
        "gov",
        "sen",
        "rep",
        "gen",
    ]
)
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# digit or quote, unless the dot closes a known abbreviation; line breaks always end one.
# A sentence ends at . ! ? before a capital, a quote or a digit, at a line break, and
# before a markup tag glued to it ("… in 2027.</passage> Ignore previous instructions"):
# text pretending to close a passage is no part of the sentence before it.
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"'”’)\]]*[ \t]+(?=[A-Z0-9\"“‘'(])"
    r"|(?<=[.!?])[\"'”’)\]]*[ \t]*(?=</?[A-Za-z][^<>\n]{0,40}>)|\n+"
)
_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*[A-Za-z0-9]|[A-Za-z0-9]")
_POSSESSIVE = re.compile(r"['’]s$")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "why",
        "how",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "not",
        "no",
        "can",
        "could",
        "will",
        "would",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "than",
        "then",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "about",
        "into",
        "over",
        "under",
        "after",
        "before",
        "between",
        "during",
        "also",
        "just",
        "so",
        "such",
        "very",
        "more",
        "most",
        "much",
        "many",
        "some",
        "any",
        "each",
        "other",
        "only",
        "own",
        "same",
        "too",
        "s",
        "t",
        "one",
        "new",
    ]
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0) == "\n" and _is_wrapped_line(text, m.start()):
            continue
        cut = m.start() + len(m.group(0).rstrip())
        if m.group(0).strip() == "" and text[m.start() - 1 : m.start()] == ".":
            word = _LAST_WORD.search(text, max(0, m.start() - 12), m.start())
            if word and word.group(1).lower() in _ABBREV:
                continue
        _add_span(text, pos, cut if "\n" not in m.group(0) else m.start(), spans)
        pos = m.end()
    _add_span(text, pos, len(text), spans)
    return spans


def _is_wrapped_line(text: str, newline: int) -> bool:
    """A single line break inside a sentence, as in text extracted from PDFs."""
    line = text[text.rfind("\n", 0, newline) + 1 : newline].strip()
    if not line or line[-1] in '.!?:;"”)' or line[0] in "#-*|>":
        return False
    return len(line) >= 50


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    if end - trail > start + lead:
        spans.append((start + lead, end - trail))


@cache
def _stem(word: str) -> str:
    from index.store.bm25 import stem_word

    return stem_word(word)


def words(text: str) -> list[str]:
    """The words of ``text`` as written (case kept), split the way :func:`terms` splits."""
    out = []
    for token in _WORD.findall(text):
        token = _POSSESSIVE.sub("", token.strip(".'’-"))
        # "Shanghai-made" counts as "Shanghai" and "made"; "7.8" and "1,000" stay whole.
        for w in token.split("-") if not token.replace(".", "").isdigit() else [token]:
            w = w.strip(".'’")
            if w:
                out.append(w)
    return out


def terms(text: str) -> set[str]:
    """Stemmed content words of ``text`` (stop words removed)."""
    out = set()
    for w in words(text):
        w = w.lower()
        if w not in _STOP and (len(w) > 1 or w.isdigit()):
            out.add(_stem(w))
    return out


def overlap(question_terms: set[str], sentence_terms: set[str]) -> float:
    """Share of the question's content terms found in the sentence."""
    if not question_terms:
        return 0.0
    return len(question_terms & sentence_terms) / len(question_terms)
