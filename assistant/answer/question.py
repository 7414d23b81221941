"""The question, analysed once: what it asks for, what it states, and its time.

Every stage of the answer pipeline used to read the question again (which kind it asks
for, its names and dates, whether it is a yes/no question), some with their own patterns.
:func:`analyse_question` reads it once, with the span extractors of :mod:`.spans` and the
yes/no test of :mod:`.yesno`, and the stages take the :class:`QuestionAnalysis`. The
learned decisions (:mod:`.features`, :mod:`.decisions`) score candidates from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.answer.sentences import terms
from assistant.answer.spans import (
    DATE,
    NAME,
    NUMBER,
    Span,
    asked_kind,
    asks_person,
    asks_place,
    specifics,
)

# Money is asked for by what it buys or costs ("How much did the plant cost?").
_ASKS_MONEY = re.compile(
    r"\b(?:cost|costs|costing|price|priced|prices|worth|paid|pay|pays|invest\w*|spend\w*|"
    r"spent|funding|raised?|valu\w+|revenue|profit|loss|sales|fine|fined|budget|deal)\b",
    re.IGNORECASE,
)
_AUX = r"(?:does|did|do|is|was|were|are|has|have|had|can|could|will|would|should)"
_WH_CLAUSE = r",\s*(?:who|whom|whose|what|which|where|why|how)\b"
_YES_NO = re.compile(
    r"^\s*(?:does|did|do|is|was|were|are|has|have|had|can|could|will|would|should)\b"
    r"|,\s*(?:is|was|are|were)\s+there\b|\bis\s+there\s+(?:any\s+)?(?:consistency|a difference)"
    # "After A reported X, did B agree …?": a scene-setting clause, then the yes/no question
    rf"|^\s*(?:after|before|between|following|given|since|considering|based on|in light of"
    rf"|when)\b(?:(?!{_WH_CLAUSE})[^?])*?,['\"’”]?\s*{_AUX}\b(?![^?]*{_WH_CLAUSE})",
    re.IGNORECASE,
)
# (phrase, days back from the reference date); the first phrase found in the question wins.
_WINDOWS: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(rf"\b(?:{p})\b", re.IGNORECASE), days)
    for p, days in (
        (r"today|tonight|this morning|this afternoon", 1),
        (r"yesterday", 2),
        (r"(?:this|past) (?:week|weekend)|(?:past|last) (?:seven|7) days", 7),
        (r"last week(?:end)?", 14),
        (r"(?:this|past) month|(?:past|last) (?:30|thirty) days", 31),
        (r"recent(?:ly)?|latest|newest", 31),
        (r"last month", 62),
        (r"(?:this|past) year", 366),
        (r"last year", 731),
    )
)


def window_days(question: str) -> int | None:
    """How many days back the question's own time phrase reaches ("this week" → 7), or
    None when it names no window."""
    for pattern, days in _WINDOWS:
        if pattern.search(question):
            return days
    return None


# A question about what is still to happen ("When will it open?", "When is production due
# to start?"): its answer is a time the evidence puts after its own date.
_FUTURE = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:(?!\b(?:will|did|was|were)\b)[\w’'-]+\s+){0,6}?"
    r"(?:expected|due|set|scheduled|planned|slated|going|likely)\s+to"
    r"|(?:expects?|plans?|aims?|intends?|hopes?)\s+to)\b",
    re.IGNORECASE,
)


def asks_future(question: str) -> bool:
    """A question about what is still to happen, in the future tense."""
    return bool(_FUTURE.search(question))


_SUPERLATIVE = re.compile(
    r"\b(?:first|last|latest|earliest|newest|largest|biggest|highest|lowest|most|least|top)\b",
    re.IGNORECASE,
)


def is_yes_no(question: str) -> bool:
    """A question answered by Yes/No (or Similar/Different), not by a quote."""
    return bool(_YES_NO.search(question))


@dataclass(frozen=True)
class QuestionAnalysis:
    """What the pipeline needs to know about a question, computed once."""

    text: str
    kind: str | None  # NAME, NUMBER, DATE, or None (asks for no particular kind)
    person: bool  # a "who / which executive" question
    place: bool  # a "where / which country" question
    money: bool  # a quantity question about cost, price, funding...
    yes_no: bool  # answered Yes/No (or a comparison verdict)
    superlative: bool  # "first", "latest", "largest"...
    window_days: int | None  # the time window it names ("this week" → 7)
    future: bool  # a DATE question about what is still to happen ("When will it open?")
    specifics: tuple[Span, ...]  # the names, numbers and dates it states
    terms: frozenset[str]  # its stemmed content words

    @property
    def checked(self) -> tuple[Span, ...]:
        """The specifics an answer's evidence must bear out: names and dates (numbers are
        paraphrased too often to refuse on; they rank evidence)."""
        return tuple(s for s in self.specifics if s.kind != NUMBER)

    @property
    def numbers(self) -> tuple[Span, ...]:
        """The numbers the question states."""
        return tuple(s for s in self.specifics if s.kind == NUMBER)


@lru_cache(maxsize=256)
def analyse_question(question: str) -> QuestionAnalysis:
    """The :class:`QuestionAnalysis` of ``question`` (cached: stages share one)."""
    kind = asked_kind(question)
    return QuestionAnalysis(
        text=question,
        kind=kind,
        person=kind == NAME and asks_person(question),
        place=kind == NAME and asks_place(question),
        money=kind == NUMBER and bool(_ASKS_MONEY.search(question)),
        yes_no=is_yes_no(question),
        superlative=bool(_SUPERLATIVE.search(question)),
        window_days=window_days(question),
        future=kind == DATE and asks_future(question),
        specifics=tuple(specifics(question)),
        terms=frozenset(terms(question)),
    )


__all__ = ["DATE", "NAME", "NUMBER", "QuestionAnalysis", "analyse_question"]
