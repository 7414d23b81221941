"""The question's own time window: a "this week" question is answered from that week.

"Which automaker this week announced it will end its robotaxi efforts?", asked on
2024-12-12, is about an announcement from the days before, not about a 2022 article that
says much the same of another automaker. Retrieval ranks recent documents a little
higher (its recency bonus breaks ties); the evidence stage goes further for a question
that names its window (:func:`window_days`): when the evidence from documents dated inside
the window passes the whole gate on its own, only that evidence is used
(:func:`inside_window`), so the short answer and the quotes come from the window's
documents. Otherwise the evidence stays as it was: an older document may be the only one
that answers, and the window never turns an answer into a refusal.

"Now" is the reference date: the question's ``as_of``, else the end of its date filter,
else the newest document of the collection. A window counts back from it, plus
:data:`GRACE_DAYS` for reports published a few days after the event (a weekly quiz on
Friday asks about Monday's news). "Recently", "latest" and "newest" reach back a month.
A document without a date counts as inside: nothing says it is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assistant.answer.claims.dates import parse_published
from assistant.answer.evidence import ScoredSentence
from assistant.answer.question import window_days
from assistant.types import Passage

GRACE_DAYS = 3


def inside_window(
    question: str,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    reference: dt.date | None,
) -> list[ScoredSentence] | None:
    """The evidence sentences whose documents are dated inside the question's window
    (best first, as given), or None when the question names no window, no reference
    date is known, or every sentence is inside anyway."""
    days = window_days(question)
    if days is None or reference is None:
        return None
    start = reference - dt.timedelta(days=days + GRACE_DAYS)
    inside = [s for s in scored if _on_or_after(passages[s.passage].published_at, start)]
    return inside if len(inside) < len(scored) else None


def _on_or_after(published_at: str | None, start: dt.date) -> bool:
    day = parse_published(published_at)
    return day is None or day >= start
