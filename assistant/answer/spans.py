"""Typed spans of text: the names, numbers and dates a question asks about or for.

One small module so it can give way to the claim checker's extractors (numbers with units,
dates, named entities with their aliases) when those land. Everything here is surface
form: a name is a run of capitalised words, a number keeps its currency and unit, a date
is a month with a day or year, a year, or a weekday.

:func:`asked_kind` reads what a question asks for ("Which automaker …" → a name, "How
many …" → a number, "When …" → a date); :func:`find_spans` finds spans of a kind in a
sentence; :func:`specifics` lists the names, numbers and dates a question itself states,
which an answer's evidence has to bear out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME, NUMBER, DATE = "name", "number", "date"

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?(?:\s+(?:19|20)\d\d)?"
    rf"|(?:{_MONTHS})\.?\s+(?:19|20)\d\d|(?:early|mid|late)[- ](?:19|20)\d\d"
    rf"|(?:19|20)\d\d-\d\d-\d\d|(?:in|since|by|until)\s+(?:19|20)\d\d|(?:{_WEEKDAYS}))\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_UNIT = (
    r"%|\s?percent|\s?per cent|\s?(?:million|billion|trillion|thousand|bn|tn|mn)\b"
    r"|\s?(?:GWh|MWh|kWh|Wh/kg|Wh|GW|MW|kW|miles|mile|km|kilometres|kilometers|tonnes|tons"
    r"|jobs|workers|employees|vehicles|cars|units|people|years|months|days|hours|minutes"
    r"|stations|chargers|barrels|euros|dollars|yuan|reais|points)\b"
)
_NUMBER = re.compile(
    rf"(?:(?:about|around|roughly|nearly|almost|more than|over|up to|at least|some)\s+)?"
    rf"(?:[$€£¥]\s?)?(?<![\w.])\d+(?:[.,]\d+)*(?:(?:{_UNIT})(?:\s?(?:{_UNIT}))?)?"
)
_NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|hundred|dozens?|hundreds|thousands|millions|billions)"
    r"(?:\s+(?:thousand|million|billion|percent))?\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w’'&.-]*[\w&]|[A-Z])"
    r"(?:(?:\s+(?:of|de|du|la|von|van|der|&))?\s+(?:[A-Z][\w’'&.-]*[\w&]|[A-Z]))*"
)
_POSSESSIVE = re.compile(r"['’]s$")
COMMON_CAPS = frozenset(
    """The A An In On At For But And Or It Its This That These Those He She They Their His
    Her We Our Some Other Many Most According After Before While When Where What Which Who
    Why How If As By From With About Over Under Last Next Since During Such Both Each Every
    Even Also Still Yet Now Then There Here Not No Yes All Any Only Meanwhile However Today
    Tomorrow Yesterday Earlier Later Recent Recently New Mr Mrs Ms Dr CEO Chief Around
    Nearly About Almost Several Despite Although Because Through Among Without""".split()
)
# Capitalised words that are kinds of things, not names of one ("the EV market").
_KINDS = frozenset("EV EVs SUV SUVs CEO CEOs CFO AI IPO GDP PHEV PHEVs BEV BEVs".split())
_NOT_NAMES = frozenset(_MONTHS.split("|")) | frozenset(_WEEKDAYS.split("|")) | _KINDS

# What a question asks for. A "which <thing>" with a kind of organisation, place or
# person asks for a name; quantity words ask for a number; "when"/"what year" for a date.
_ASKS_NUMBER = re.compile(
    r"\b(?:how (?:many|much|far|long|big|fast|high|large|low)|what (?:percentage|share|"
    r"proportion|amount|number)|by how much|(?:what|which) (?:is|was|were|are|will be) the\b"
    r"[^?]{0,40}?\b(?:price|cost|rate|share|number|percentage|duty|tariff|amount|density|"
    r"range|capacity|value|figure|total|level|size)|what (?:price|milestone|figure|level|"
    r"rate|tariff|duty))\b",
    re.IGNORECASE,
)
_ASKS_DATE = re.compile(
    r"^\s*when\b|\b(?:what|which) (?:year|month|day|date)\b|\bby when\b", re.IGNORECASE
)
_ASKS_NAME = re.compile(
    r"\b(?:who|whom|whose)\b|\b(?:which|what)\s+(?:(?!(?:is|are|was|were|do|does|did|has|"
    r"have|had|will|would|can|could|the|a|an)\b)[\w’'-]+\s+){0,3}?(?:company|companies|"
    r"automaker|automakers|carmaker|carmakers|maker|firm|brand|country|countries|nation|"
    r"state|city|province|region|group|giant|manufacturer|startup|bank|person|executive|"
    r"ceo|leader|president|product|model|car|vehicle|retailer|supplier|investor|team|"
    r"agency|organization|organisation|app|platform|service|chain|airline|party|court|"
    r"union|university|exchange|fund|network|rival|partner|buyer|owner|individual|entity"
    r")\b|^\s*where\b|\bin which (?:country|city|state|nation|region|province)\b",
    re.IGNORECASE,
)
_PLACE_Q = re.compile(
    r"^\s*where\b|\b(?:country|countries|nation|state|city|province|region)\b", re.IGNORECASE
)
_PERSON_Q = re.compile(
    r"\b(?:who|whom|person|executive|ceo|leader|president|individual)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Span:
    """A typed piece of a sentence: ``text == sentence[start:end]``."""

    start: int
    end: int
    text: str
    kind: str


def asked_kind(question: str) -> str | None:
    """What ``question`` asks for: :data:`NAME`, :data:`NUMBER`, :data:`DATE`, or None."""
    if _ASKS_NUMBER.search(question):
        return NUMBER
    if _ASKS_NAME.search(question):
        return NAME
    if _ASKS_DATE.search(question):
        return DATE
    return None


def asks_place(question: str) -> bool:
    """A "where / which country / which city" question."""
    return bool(_PLACE_Q.search(question))


def asks_person(question: str) -> bool:
    """A "who / which executive" question."""
    return bool(_PERSON_Q.search(question))


def find_spans(sentence: str, kind: str) -> list[Span]:
    """The spans of ``kind`` in ``sentence``, in order."""
    if kind == NUMBER:
        # The day of "3 November 2026" is part of a date, not an amount: a short answer
        # "3" to "How much did it cost?" would be wrong and unverifiable.
        dates = [(m.start(), m.end()) for m in _DATE.finditer(sentence)]
        found = [
            Span(m.start(), m.end(), m.group(0), NUMBER)
            for pattern in (_NUMBER, _NUMBER_WORD)
            for m in pattern.finditer(sentence)
            if not _YEAR.fullmatch(m.group(0))
            and not any(a <= m.start() and m.end() <= b for a, b in dates)
        ]
        return sorted(found, key=lambda s: s.start)
    if kind == DATE:
        dated = [Span(m.start(), m.end(), m.group(0), DATE) for m in _DATE.finditer(sentence)]
        taken = [(s.start, s.end) for s in dated]
        years = [
            Span(m.start(), m.end(), m.group(0), DATE)
            for m in _YEAR.finditer(sentence)
            if not any(a <= m.start() < b for a, b in taken)
        ]
        return sorted(dated + years, key=lambda s: s.start)
    return names(sentence)


_TITLE_WORDS = re.compile(
    r"\s+(?:CEO|CFO|President|Chairman|Chairwoman|Chief|Minister|Secretary|Senator|Governor"
    r"|Founder|Director)\s+"
)


def _runs(sentence: str) -> list[tuple[int, int, str]]:
    """Capitalised runs, split at a title ("Microsoft CEO Satya Nadella" is two names)."""
    out = []
    for m in _NAME.finditer(sentence):
        pos = m.start()
        for piece in _TITLE_WORDS.split(m.group(0)):
            at = sentence.index(piece, pos)
            out.append((at, at + len(piece), piece))
            pos = at + len(piece)
    return out


def names(sentence: str) -> list[Span]:
    """Runs of capitalised words, without a leading common word ("The", "In") or a
    trailing possessive ("Tesla's" → "Tesla"); months and weekdays are not names."""
    out = []
    for m_start, m_end, m_text in _runs(sentence):
        start, text = m_start, m_text
        words = text.split()
        while words and (words[0] in COMMON_CAPS or words[0] in _NOT_NAMES):
            start = sentence.index(words[1], start) if len(words) > 1 else m_end
            words = words[1:]
        if not words:
            continue
        text = sentence[start:m_end]
        text = _POSSESSIVE.sub("", text).rstrip(".’'")
        if text and text not in _NOT_NAMES and any(ch.isalpha() for ch in text):
            out.append(Span(start, start + len(text), text, NAME))
    return out


_VAGUE = re.compile(r"^(?:one|dozens?|hundreds|thousands|millions|billions|some)$", re.IGNORECASE)
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Z0-9&.]{1,9})\)")


def specifics(question: str) -> list[Span]:
    """The names, numbers and dates ``question`` states itself (its first word aside).

    A name followed by its acronym in brackets is one specific whose text is both
    ("US Environmental Protection Agency (EPA)"); vague amounts ("billions") are none.
    """
    first = re.match(r"\s*\S+", question)
    offset = first.end() if first else 0
    rest = question[offset:]
    found = [*find_spans(rest, NUMBER), *find_spans(rest, DATE)]
    found = [s for s in found if not _VAGUE.match(s.text)]
    spans = names(rest)
    skip: set[int] = set()
    for i, sp in enumerate(spans):
        m = _ACRONYM_AFTER.match(rest, sp.end)
        if m and i + 1 < len(spans) and spans[i + 1].text == m.group(1):
            found.append(Span(sp.start, m.end(), rest[sp.start : m.end()], NAME))
            skip |= {i, i + 1}
        elif i not in skip:
            found.append(sp)
    found = [s for s in found if not _is_question_word(s.text)]
    return [Span(s.start + offset, s.end + offset, s.text, s.kind) for s in found]


def alternatives(span: Span) -> list[str]:
    """The forms a specific may take: "Name (ACR)" is "Name" or "ACR"."""
    m = re.fullmatch(r"(.+?)\s*\(([^)]+)\)", span.text)
    return [m.group(1), m.group(2)] if m else [span.text]


def _is_question_word(text: str) -> bool:
    return text.lower() in {"i", "us", "u.s", "does", "did", "is", "was", "which", "what"}


def key(text: str) -> str:
    """A span's comparison form: lowercase words, possessives and punctuation dropped."""
    return " ".join(
        _POSSESSIVE.sub("", w.strip(".,;:!?’'\"“”()")).strip(".,;:!?’'\"“”()")
        for w in text.lower().split()
    )


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_PREFIX = 4  # a variant shares this many leading letters (see choices._variant)


def _digits(text: str) -> set[str]:
    return {m.group(0).replace(",", "") for m in _DIGITS.finditer(text)}


def _word_found(word: str, words: set[str]) -> bool:
    if word in words:
        return True
    return len(word) > _PREFIX and any(
        w[:_PREFIX] == word[:_PREFIX] and abs(len(w) - len(word)) <= 3 and len(w) > _PREFIX
        for w in words
    )


def found(span: Span, text: str) -> bool:

    if span.kind == NUMBER:
        wanted = _digits(span.text)
        if not wanted or not wanted <= _digits(text):
            return False
        # "70 years" is not "$70 million": percent, scale, currency and time units must
        # agree where the number stands in ``text``; count nouns ("vehicles", "SUVs") may vary
        number = re.escape(sorted(wanted, key=len)[-1])
        plain = text.replace(",", "")
        return any(
            _units(m.group(0)) == _units(span.text.replace(",", ""))
            for m in re.finditer(rf"[$€£¥]?\s?(?<![\d.]){number}(?![\d])\s?[%\w]*", plain)
        )
    words = set(key(text).split())
    for form in alternatives(span):
        needed = [w for w in key(form).split() if len(w) > 2] or key(form).split()
        if needed and all(_word_found(w, words) for w in needed):
            return True
    return False


_UNIT_CLASSES = (
    ("%", re.compile(r"%|percent|per cent", re.I)),
    ("scale", re.compile(r"\d\s?(?:million|billion|trillion|bn|tn|mn)\b", re.I)),
    ("currency", re.compile(r"[$€£¥]")),
    ("time", re.compile(r"\d\s?(?:years?|months?|days?|weeks?|hours?)\b", re.I)),
)


def _units(text: str) -> frozenset[str]:
    return frozenset(name for name, pattern in _UNIT_CLASSES if pattern.search(text))


# A full name set off by a comma before a verb of saying: "Lisa Brankin, said" or
# "Kevin Kelly, a spokesman, told" (a company is rarely written so).
_SAID_AFTER = re.compile(
    r"^\s*,\s*(?:[^,]{0,60},\s*)?(?:said|says|told|warned|wrote|added|argued|noted|explained"
    r"|insisted|claimed|stated)\b"
)
_TITLED = re.compile(
    r"\b(?:President|CEO|chief executive|founder|spokes(?:man|woman|person)|Sen\.|Rep\.|Mr\.?"
    r"|Ms\.?|Mrs\.?|Dr\.?|minister|Minister|Secretary|Chancellor|chairman|chairwoman|analyst"
    r"|professor|said|says|told)\s*$"
)


def reads_as_person(span: Span, sentence: str, passage: str) -> bool:
    """The name reads as a person's: after a title ("CEO Elon Musk"), a full name before
    ", said" ("Lisa Brankin, said"), or one word that ends a full name read so elsewhere
    in the passage ("Musk" after "CEO Elon Musk"; "Brankin warned" after "Lisa Brankin,
    said"). A company speaks too, so "Ford said" alone is not a person's."""
    if titled(sentence, span.start):
        return True
    if " " in span.text:
        return bool(_SAID_AFTER.match(sentence[span.end :]))
    for m in re.finditer(rf"\b[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+{re.escape(span.text)}\b", passage):
        if titled(passage, m.start()) or _SAID_AFTER.match(passage[m.end() :]):
            return True
    return False


def titled(text: str, start: int) -> bool:
    """A title or a verb of saying just before ``start`` ("CEO Elon Musk", "said Musk")."""
    return bool(_TITLED.search(text[max(0, start - 30) : start]))
