"""A follow-up's evidence, kept to what its pronoun was bound to.

"When will it open?" after "Where is BYD building its first European car plant?" is
asked as "When will BYD's first European car plant in Szeged open?" (:mod:`.anaphora`).
The article the first answer cited also says that "BYD opened the Rayong plant in
Thailand": a sentence about another plant of the same company, which shares many of the
question's words ("BYD", "opened", "plant") but not what "it" stands for. The names the
binding put into the question ("BYD", "European", "Szeged": those of the standalone
question that the follow-up as asked does not state) are what the follow-up is about.

The follow-up's evidence is then the sentences whose paragraph bears out the largest
share of those names (:func:`.features.coverage`, as the sentence features read a
question's names), when they pass the refusal gate on their own, as the evidence of a
question's time window does (:mod:`.time_window`); otherwise the evidence stays as it
was, so binding never turns an answer into a refusal. A paragraph, not the sentence:
"production expected to begin within about three years" names none of them, the
paragraph it ends (which opens "BYD will build its first European passenger-car factory
near Szeged") names them all; the Rayong sentence's paragraph names only "BYD".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.evidence import ScoredSentence
from assistant.answer.features import coverage
from assistant.answer.question import QuestionAnalysis
from assistant.answer.spans import Span, key
from assistant.types import Passage

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def bound_names(question: str, qa: QuestionAnalysis) -> list[Span]:
    """The names and dates of the standalone question (``qa``) that the follow-up as
    asked (``question``) does not state: what its binding put in."""
    asked = f" {key(question)} "
    return [s for s in qa.checked if f" {key(s.text)} " not in asked]


def paragraph(text: str, start: int, end: int) -> str:
    """The paragraph of ``text`` (between blank lines) holding ``text[start:end]``."""
    breaks = [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(text)]
    lo = max((b for a, b in breaks if b <= start), default=0)
    hi = min((a for a, b in breaks if a >= end), default=len(text))
    return text[lo:hi]


def on_bound(
    question: str,
    qa: QuestionAnalysis,
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
) -> list[ScoredSentence] | None:
    """The evidence sentences whose paragraph names most of what the follow-up
    ``question`` was bound to (best first, as given); None when it was bound to no name,
    no paragraph names any of them, or every sentence's paragraph names as many."""
    wanted = bound_names(question, qa)
    if not wanted or not scored:
        return None
    shares = [coverage(wanted, paragraph(passages[s.passage].text, s.start, s.end)) for s in scored]
    best = max(shares)
    if best == 0.0:
        return None
    kept = [s for s, share in zip(scored, shares, strict=True) if share == best]
    return kept if len(kept) < len(scored) else None
