"""The head of a plain-text news article: a title line, a dateline or "Published …" line,
a byline and a ``Source:`` line, as news files written by hand or saved from a site
begin. :func:`read_header` finds them in the first lines and says where the date came
from, so a wrong guess can be seen in the documents list; dates themselves are read by
``dateparser`` (many formats: ``2026-10-15``, ``Oct. 15, 2026``, ``Thursday 15 October
2026``, ``15/10/2026``), and only strings with a four-digit year count, so "yesterday" or
"3 min read" never become dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

_HEAD_LINES = 8  # non-blank lines looked at
_MAX_LINE = 160  # a longer line is the body
_LABELLED = re.compile(
    r"^(title|headline|source|date|dated|published|posted|updated|last updated)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s+(.+)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+(.+)$", re.IGNORECASE)
# A wire dateline opening the first paragraph: "BERLIN, Oct. 15, 2026 — ..." or
# "BERLIN (Reuters), 15 October 2026 - ...".
_WIRE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:\([^)]{1,30}\))?,\s+([^—–]{6,40}?)\s+[—–-]{1,2}\s")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_PARTS = re.compile(r"\s+[|·•]\s+|\s+[—–-]\s+|;\s+")
DATE_KINDS = {
    "published": "'Published' line",
    "posted": "'Published' line",
    "date": "'Date' line",
    "dated": "'Date' line",
    "updated": "'Updated' line",
    "last updated": "'Updated' line",
}


@dataclass(frozen=True)
class Header:
    """What the head of an article said, and the text without its metadata lines.

    ``date_from`` names where ``published_at`` was read (``"'Published' line"``,
    ``"dateline"``, ``"byline"`` …), None when no date was found.
    """

    text: str
    title: str | None = None
    source: str | None = None
    published_at: str | None = None
    date_from: str | None = None


def parse_date(value: str) -> str | None:
    """``value`` as an ISO date when it is one date with a four-digit year, else None."""
    value = value.strip().rstrip(".,;")
    if not value or len(value) > 60 or not _YEAR.search(value):
        return None
    parsed = _dateparser().parse(value, languages=["en"], settings=_SETTINGS)
    return parsed.date().isoformat() if parsed is not None else None


_SETTINGS: dict[str, Any] = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


@cache
def _dateparser() -> Any:
    import dateparser  # about two seconds to import: only when a head line may be a date

    return dateparser


def _date_in(value: str) -> str | None:
    """The first part of ``value`` (split at ``|``, ``·``, dashes) that is a date."""
    whole = parse_date(value)
    if whole:
        return whole
    for part in _PARTS.split(value):
        found = parse_date(re.sub(r"^(?:on|at|published|updated)\s+", "", part, flags=re.I))
        if found:
            return found
    return None


def read_header(text: str) -> Header:
    """The title, source and date at the head of ``text``, and ``text`` without the
    metadata lines that gave them (a bare title line stays: it is the article's first line).

    A labelled line (``Title:``, ``Source:``, ``Published …``, ``Date:``, ``Updated …``),
    a byline with a date (``By Jane Doe | October 15, 2026``) and a line that is only a date
    are read among the first lines; the first other short line is the title. Where the
    body begins, a wire dateline (``BERLIN, Oct. 15, 2026 — …``) still gives the date.
    A ``Published``/``Date`` line wins over an ``Updated`` line, a byline or a dateline.
    """
    lines = text.split("\n")
    found: dict[str, str] = {}
    dates: list[tuple[int, str, str]] = []  # (rank, date, where)
    drop: set[int] = set()
    seen = 0
    body_at = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > _HEAD_LINES or len(stripped) > _MAX_LINE:
            body_at = i
            break
        kind = _head_line(stripped, found, dates)
        if kind == "meta":
            drop.add(i)
        elif kind == "title":
            found.setdefault("title", stripped)
        else:  # the body begins
            body_at = i
            break
    if body_at < len(lines):
        wire = _WIRE.match(lines[body_at].strip())
        date = _date_in(wire.group(1)) if wire else None
        if date:
            dates.append((3, date, "dateline"))
    kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    best = min(dates, default=None)
    return Header(
        text=kept,
        title=found.get("title"),
        source=found.get("source"),
        published_at=best[1] if best else None,
        date_from=best[2] if best else None,
    )


def _head_line(line: str, found: dict[str, str], dates: list[tuple[int, str, str]]) -> str:
    """What one head line is: "meta" (read, then dropped), "title" or "body"."""
    labelled = _LABELLED.match(line)
    if labelled:
        label, value = labelled.group(1).lower(), labelled.group(2).strip()
        if label in ("title", "headline"):
            found.setdefault("title", value)
            return "meta"
        if label == "source":
            found.setdefault("source", value)
            return "meta"
        date = _date_in(value)
        if date:
            rank = 2 if label in ("updated", "last updated") else 0
            dates.append((rank, date, DATE_KINDS[label]))
            return "meta"
    byline = _BYLINE.match(line)
    if byline and len(line) < 100:
        date = _date_in(byline.group(1))
        if date:
            dates.append((1, date, "byline"))
        return "meta"
    date = parse_date(line)
    if date:
        dates.append((1, date, "dateline"))
        return "meta"
    if "title" in found or _WIRE.match(line):
        return "body"
    return "title"
