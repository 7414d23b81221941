"""What users type into the web app's fields, parsed into the API's arguments."""

from __future__ import annotations

from collections.abc import Sequence

from assistant import Filters, parse_iso_date


def date_or_none(value: str | None, what: str) -> str | None:
    """A validated YYYY-MM-DD date or None; ValueError with a clear message otherwise."""
    return parse_iso_date(value, what)


def filters(sources: Sequence[str] | None, date_from: str | None, date_to: str | None) -> Filters:
    """The retrieval filters of the chat tab's side panel."""
    return Filters(
        sources=tuple(sources or ()),
        date_from=date_or_none(date_from, "'from' date"),
        date_to=date_or_none(date_to, "'to' date"),
    )


def option_lines(text: str | None) -> list[str]:
    """The options of a multiple-choice question, typed one per line (blank lines ignored)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def passages(value: float | int | None) -> object:
    """The slider's k (a float like 6.0) as the whole number the API expects; anything
    else is passed on for the API to refuse with its own message."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
