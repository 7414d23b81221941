"""Dates and years: extraction, resolution against a published date, and matching.

A date fact is a set of constraints (year, month, day, weekday, quarter, half, or a span of
days).  Relative expressions ("Monday", "last week", "yesterday", "this year") are resolved
against the passage's ``published_at``; without it they match only the same expression.
A claim date is supported when some evidence date determines every constraint the claim
states: the claim may say less ("in 2024" for "March 5, 2024"), never more.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .lexicon import MONTHS, WEEKDAYS

_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY_WORDS = {
    w: n
    for n, w in enumerate(
        (
            "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
            "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
            "twenty-first twenty-second twenty-third twenty-fourth twenty-fifth twenty-sixth "
            "twenty-seventh twenty-eighth twenty-ninth thirtieth thirty-first"
        ).split(),
        1,
    )
}
_DAY = (
    r"(?P<day>[0-3]?\d(?:st|nd|rd|th)?|" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + ")"
)
_YEAR = r"(?P<year>(?:1[89]|20|21)\d{2})"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"(?<![\d-])" + _YEAR + r"-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?![\d-])")),
    ("slash", re.compile(r"(?<![\d/])(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/" + _YEAR + r"(?![\d/])")),
    (
        "dmy",
        re.compile(
            r"(?<![\d.,])" + _DAY + r"\s+(?:of\s+)?" + _MON + r"(?:,?\s+" + _YEAR + r")?(?![\w])"
        ),
    ),
    ("mdy", re.compile(r"\b" + _MON + r"\s+" + _DAY + r"(?![\d%])(?:,?\s+" + _YEAR + r"(?!\d))?")),
    ("my", re.compile(r"\b" + _MON + r",?\s+(?:of\s+)?" + _YEAR + r"(?!\d)")),
    (
        "quarter",
        re.compile(
            r"\b(?P<q>Q[1-4]|[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)"
            r"(?:[\s-]+quarter)?(?:\s+(?:of\s+)?" + _YEAR + r")?\b"
        ),
    ),
    (
        "half",
        re.compile(
            r"\b(?P<h>H[12]|[Ff]irst half|[Ss]econd half)(?:\s+(?:of\s+)?" + _YEAR + r")?\b"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast)\s+)?(?P<wd>Monday"
            r"|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?!s)\b"
        ),
    ),
    ("day", re.compile(r"\b(?P<rd>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight)\b")),
    (
        "period",
        re.compile(
            r"\b(?:(?:earlier|later)\s+)?(?P<mod>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast"
            r"|[Pp]revious|[Cc]oming)\s+(?P<unit>week|weekend|month|year|quarter)"
            r"\b"
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ahead",
        re.compile(
            r"\b(?P<pre>within|in|over)\s+(?:the\s+(?:next|coming)\s+)?"
            r"(?:(?:about|around|roughly|approximately|some|less than|under|up to)\s+)?"
            r"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
            r"(?P<unit>day|week|month|year)s?\b(?!\s+(?:ago|earlier|before|old)\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?P<mon>January|February|March|April|May|June|July|August"
            r"|September|October|November|December)\b"
        ),
    ),
    (
        "year",
        re.compile(
            r"(?<![\d$€£¥.,/])" + _YEAR + r"(?:\s*[-/–]\s*(?P<y2>\d{2}|\d{4}))?"
            r"(?![\d%s]|[.,]\d|\s*(?:%|percent|per cent|million|billion|trillion"
            r"|units|vehicles|cars|people|workers|jobs|miles|km|kilomet|tonnes|tons"
            r"|sq|square))"
        ),
    ),
)
# "May" is a month only after one of these words or before a day or year.
_MAY_BEFORE = frozenset(
    "in on since until by from of early mid late last next this through "
    "during till before after".split()
)
_NUM_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_FORWARD = frozenset({"next", "coming"})
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

View = dict[str, Any]  # field name -> value; "span" holds (first day, last day)


@dataclass(frozen=True, slots=True)
class DateFact:
    """One date expression: what it constrains and, for evidence, how it may be read."""

    surface: str
    start: int
    end: int
    fields: tuple[tuple[str, Any], ...]  # e.g. (("year", 2024), ("month", 3))
    span: tuple[dt.date, dt.date] | None = None  # a range of days ("last week")
    alts: tuple[dt.date, ...] = ()  # concrete readings of a weekday ("Monday")
    rel: str | None = None  # the relative expression, when it could not be resolved
    relative: bool = False  # written relative to the passage's date
    ahead: bool = False  # looks forward from it ("within three years", "next year")

    def claim_view(self) -> View:
        """The constraints a claim states with this date."""
        if self.span is not None:
            return {"span": self.span}
        if self.rel is not None:
            return {"rel": self.rel}
        return dict(self.fields)

    def views(self) -> list[View]:
        """Every reading of an evidence date, with all fields it determines."""
        if self.alts:
            return [_day_view(d) | {"rel": self.rel} for d in self.alts]
        fields = dict(self.fields)
        if {"year", "month", "day"} <= fields.keys():
            try:
                return [_day_view(dt.date(fields["year"], fields["month"], fields["day"]))]
            except (TypeError, ValueError):
                return [fields]
        if self.span is not None:
            return [_span_view(self.span)]
        if "month" in fields:
            fields["quarter"] = (fields["month"] - 1) // 3 + 1
            fields["half"] = 1 if fields["month"] <= 6 else 2
        if "quarter" in fields and "half" not in fields:
            fields["half"] = 1 if fields["quarter"] <= 2 else 2
        if self.rel is not None:
            fields["rel"] = self.rel
        return [fields]


def _day_view(d: dt.date) -> View:
    return {
        "date": d,
        "year": d.year,
        "month": d.month,
        "day": d.day,
        "weekday": d.weekday(),
        "quarter": (d.month - 1) // 3 + 1,
        "half": 1 if d.month <= 6 else 2,
    }


def _span_view(span: tuple[dt.date, dt.date]) -> View:
    a, b = span
    view: View = {"span": span}
    if a.year == b.year:
        view["year"] = a.year
        if a.month == b.month:
            view["month"] = a.month
        if (a.month - 1) // 3 == (b.month - 1) // 3:
            view["quarter"] = (a.month - 1) // 3 + 1
    return view


def _view_matches(claim: View, ev: View) -> bool:
    for key, value in claim.items():
        if key == "span":
            lo, hi = value
            if "date" in ev:
                if not lo <= ev["date"] <= hi:
                    return False
            elif "span" in ev:
                elo, ehi = ev["span"]
                if not (lo <= elo and ehi <= hi):
                    return False
            else:
                return False
        elif ev.get(key) != value:
            return False
    return True


def date_supported(claim: DateFact, evidence: list[DateFact]) -> bool:
    """True when some evidence date determines every constraint of ``claim``."""
    view = claim.claim_view()
    return any(_view_matches(view, ev) for fact in evidence for ev in fact.views())


def date_conflict(claim: DateFact, evidence: list[DateFact]) -> DateFact | None:
    """An evidence date that constrains the same things as ``claim`` differently, if any."""
    keys = set(claim.claim_view()) - {"rel"}
    if "span" in keys:
        keys = {"date", "span"}
    for fact in evidence:
        for ev in fact.views():
            if keys & set(ev) and not _view_matches(claim.claim_view(), ev):
                return fact
    return None


def _month(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


def _nearest_year(month: int, day: int, published: dt.date) -> int:
    """The year that puts a month-day nearest the passage's date."""
    best, best_gap = published.year, 10**6
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            gap = abs((dt.date(year, month, day) - published).days)
        except ValueError:
            continue
        if gap < best_gap:
            best, best_gap = year, gap
    return best


def _absolute(kind: str, m: re.Match[str], published: dt.date | None) -> DateFact | None:
    g = m.groupdict()
    fields: dict[str, Any] = {}
    if g.get("year"):
        fields["year"] = int(g["year"])
    if kind in ("iso", "slash"):
        fields["month"], fields["day"] = int(g["m"]), int(g["d"])
        if not (1 <= int(g["m"]) <= 12 and 1 <= int(g["d"]) <= 31):
            return None
    elif kind in ("dmy", "mdy", "my", "month"):
        fields["month"] = _month(g["mon"])
        if g.get("day"):
            day = _DAY_WORDS.get(g["day"].lower()) or int(g["day"].rstrip("stndrh"))
            if not 1 <= day <= 31:
                return None
            fields["day"] = day
    elif kind == "year" and g.get("y2"):
        second = g["y2"]
        y2 = int(second) if len(second) == 4 else int(g["year"][:2] + second)
        if y2 > int(g["year"]):  # a season "2023-24" or a range "2019-2023": both ends
            fields["years"] = (int(g["year"]), y2)
    if published and "day" in fields and "year" not in fields:
        month, day = fields["month"], fields["day"]
        year = _nearest_year(month, day, published)
        return DateFact(
            m.group(),
            m.start(),
            m.end(),
            tuple(fields.items()),
            alts=(_safe_date(year, month, day),),
        )
    return DateFact(m.group(), m.start(), m.end(), tuple(fields.items()))


def _safe_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, month, 28)


def _week(d: dt.date, offset: int) -> tuple[dt.date, dt.date]:
    monday = d - dt.timedelta(days=d.weekday()) + dt.timedelta(weeks=offset)
    return monday, monday + dt.timedelta(days=6)


def _weekday(m: re.Match[str], published: dt.date | None, is_claim: bool) -> DateFact:
    wd = WEEKDAYS[m.group("wd").lower()]
    mod = (m.group("mod") or "").lower()
    rel = (mod + " " if mod else "") + m.group("wd").lower()
    base = DateFact(m.group(), m.start(), m.end(), (("weekday", wd),), relative=True)
    if published is None or is_claim:
        return base
    back = (published.weekday() - wd) % 7
    previous = published - dt.timedelta(days=back)
    following = previous + dt.timedelta(days=7)
    if mod in ("last", "past"):
        prior = previous if back else previous - dt.timedelta(days=7)
        alts: tuple[dt.date, ...] = (prior, prior - dt.timedelta(days=7))
    elif mod == "next":
        alts = (following, following + dt.timedelta(days=7))
    elif mod == "this":
        alts = (_week(published, 0)[0] + dt.timedelta(days=wd),)
    else:
        alts = (previous, following)
    return DateFact(
        m.group(), m.start(), m.end(), (("weekday", wd),), alts=alts, rel=rel, relative=True
    )


def _relative_period(m: re.Match[str], published: dt.date) -> DateFact:
    mod, unit = m.group("mod").lower(), m.group("unit")
    offset = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[mod]

    def make(**kw: Any) -> DateFact:
        return DateFact(m.group(), m.start(), m.end(), relative=True, ahead=offset > 0, **kw)

    if unit in ("week", "weekend"):
        if mod == "past":
            return make(fields=(), span=(published - dt.timedelta(days=7), published))
        lo, hi = _week(published, offset)
        return make(
            fields=(), span=(lo + dt.timedelta(days=5), hi) if unit == "weekend" else (lo, hi)
        )
    if unit == "month":
        if mod == "past":
            return make(fields=(), span=(published - dt.timedelta(days=31), published))
        month_index = published.year * 12 + published.month - 1 + offset
        return make(fields=(("year", month_index // 12), ("month", month_index % 12 + 1)))
    if unit == "quarter":
        q_index = published.year * 4 + (published.month - 1) // 3 + offset
        return make(fields=(("year", q_index // 4), ("quarter", q_index % 4 + 1)))
    if mod == "past":
        return make(fields=(), span=(published - dt.timedelta(days=366), published))
    return make(fields=(("year", published.year + offset),))


def _relative(kind: str, m: re.Match[str], published: dt.date | None) -> DateFact:
    rel = re.sub(r"\s+", " ", m.group().lower())
    ahead = kind == "ahead" or (kind == "period" and m.group("mod").lower() in _FORWARD)
    if published is None:
        return DateFact(m.group(), m.start(), m.end(), (), rel=rel, relative=True, ahead=ahead)
    if kind == "day":
        shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[m.group("rd").lower()]
        d = published + dt.timedelta(days=shift)
        return DateFact(
            m.group(),
            m.start(),
            m.end(),
            (("year", d.year), ("month", d.month), ("day", d.day)),
            relative=True,
        )
    if kind == "period":
        return _relative_period(m, published)
    n_text = m.group("n").lower()
    n = int(n_text) if n_text.isdigit() else _NUM_WORDS[n_text]
    unit = m.group("unit").lower()
    if kind == "ahead":
        return _ahead(m, published, n, unit)
    if unit == "year":
        return DateFact(
            m.group(), m.start(), m.end(), (("year", published.year - n),), relative=True
        )
    days = {"day": 1, "week": 7, "month": 30}[unit] * n
    slack = {"day": 0, "week": 3, "month": 15}[unit]
    center = published - dt.timedelta(days=days)
    return DateFact(
        m.group(),
        m.start(),
        m.end(),
        (),
        span=(center - dt.timedelta(days=slack), center + dt.timedelta(days=slack)),
        relative=True,
    )


def _ahead(m: re.Match[str], published: dt.date, n: int, unit: str) -> DateFact:
    """ "within about three years" (from the passage's date up to three years on), "in two
    years" (the year two on), "in six months" (about six months on)."""
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
    if m.group("pre").lower() != "in":
        span = (published + dt.timedelta(days=1), published + dt.timedelta(days=days))
        return DateFact(m.group(), m.start(), m.end(), (), span=span, relative=True, ahead=True)
    if unit == "year":
        year = (("year", published.year + n),)
        return DateFact(m.group(), m.start(), m.end(), year, relative=True, ahead=True)
    slack = {"day": 0, "week": 3, "month": 15}[unit]
    center = published + dt.timedelta(days=days)
    span = (center - dt.timedelta(days=slack), center + dt.timedelta(days=slack))
    return DateFact(m.group(), m.start(), m.end(), (), span=span, relative=True, ahead=True)


def _quarter(kind: str, m: re.Match[str]) -> DateFact | None:
    fields: dict[str, Any] = {}
    if kind == "quarter":
        q = m.group("q")
        if not q.startswith("Q") and "quarter" not in m.group().lower():
            return None  # a bare ordinal is no quarter
        fields["quarter"] = int(q[1]) if q.startswith("Q") else _ORD[q.lower()]
    else:
        h = m.group("h").lower()
        fields["half"] = 1 if h in ("h1", "first half") else 2
    if m.group("year"):
        fields["year"] = int(m.group("year"))
    return DateFact(m.group(), m.start(), m.end(), tuple(fields.items()))


def _may_is_month(text: str, m: re.Match[str]) -> bool:
    before = text[: m.start()].split()
    return bool(before) and before[-1].lower().rstrip("-") in _MAY_BEFORE


_DIGIT = re.compile(r"\d")
_MONTH_WORD = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")


def _needed(text: str) -> set[str]:
    """The pattern kinds worth running on ``text`` (cheap tests first)."""
    low = text.lower()
    digit = _DIGIT.search(text) is not None
    month = bool(_MONTH_WORD.search(text))
    kinds = {"iso", "slash", "year"} if digit else set()
    if month:
        kinds |= {"dmy", "mdy", "my", "month"}
    if "quarter" in low or (digit and ("q" in low)) or any(o in low for o in _ORD):
        kinds.add("quarter")
    if "half" in low or (digit and "h" in low):
        kinds.add("half")
    if "day" in low:
        kinds |= {"weekday", "day"}
    if "tomorrow" in low or "tonight" in low:
        kinds.add("day")
    if any(w in low for w in ("week", "month", "year", "quarter")):
        kinds.add("period")
    if " ago" in low:
        kinds.add("ago")
    if any(w in low for w in ("within ", "in ", "over ")) and any(
        u in low for u in ("day", "week", "month", "year")
    ):
        kinds.add("ahead")
    return kinds


def _candidates(text: str, published: dt.date | None, is_claim: bool) -> Iterator[DateFact | None]:
    needed = _needed(text)
    for kind, pattern in _PATTERNS:
        if kind not in needed:
            continue
        for m in pattern.finditer(text):
            if kind == "month" and m.group("mon") == "May" and not _may_is_month(text, m):
                continue
            if kind == "weekday":
                yield _weekday(m, published, is_claim)
            elif kind in ("day", "period", "ago", "ahead"):
                yield _relative(kind, m, published)
            elif kind in ("quarter", "half"):
                yield _quarter(kind, m)
            else:
                yield _absolute(kind, m, published)


_TRIGGER = re.compile(
    r"\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|days?\b|[Tt]o(?:day|morrow|night)|week"
    r"|month|year|quarter|Q[1-4]|H[12]|half"
)


def extract_dates(
    text: str, published: dt.date | None, *, is_claim: bool = False
) -> tuple[DateFact, ...]:
    """Non-overlapping date expressions of ``text``, longest patterns first.

    Weekdays in a claim are not resolved: "Monday" in a claim only says which weekday.
    """
    if not _TRIGGER.search(text):
        return ()
    taken: list[tuple[int, int]] = []
    facts: list[DateFact] = []
    for fact in _candidates(text, published, is_claim):
        if fact is None or any(fact.start < e and s < fact.end for s, e in taken):
            continue
        taken.append((fact.start, fact.end))
        facts.extend(_split_years(fact))
    return tuple(sorted(facts, key=lambda f: f.start))


def _split_years(fact: DateFact) -> list[DateFact]:
    """A season "2023-24" is two year facts, each supported on its own."""
    fields = dict(fact.fields)
    years = fields.pop("years", None)
    if years is None:
        return [fact]
    return [DateFact(fact.surface, fact.start, fact.end, (("year", y),)) for y in years]


def later_than(fact: DateFact, published: dt.date | None) -> bool | None:
    """Whether ``fact`` reaches past the passage's date ``published`` (some of the time it
    names is after it): True for a forward expression ("within three years", "next year")
    or a date that ends after it; False for one that ends on or before it ("in 2017", the
    day it was published); None when it cannot be told (no date, no year)."""
    if fact.ahead:
        return True
    last = _last_day(fact)
    if last is None or published is None:
        return None
    return last > published


def _last_day(fact: DateFact) -> dt.date | None:
    ends = []
    for view in fact.views():
        if "date" in view:
            ends.append(view["date"])
        elif "span" in view:
            ends.append(view["span"][1])
        elif "year" in view:
            ends.append(_period_end(view))
    return max(ends) if ends else None


def _period_end(view: View) -> dt.date:
    """The last day of the year, half, quarter or month a view names."""
    year = view["year"]
    if "month" in view:
        month = view["month"]
    elif "quarter" in view:
        month = view["quarter"] * 3
    elif "half" in view:
        month = view["half"] * 6
    else:
        month = 12
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse_published(value: str | None) -> dt.date | None:
    """The ISO date ``YYYY-MM-DD`` (a longer timestamp is cut), or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
