"""The compose stage: the verified draft, or a refusal, becomes the final :class:`Answer`.

An answer is a refusal when the evidence gate said no (no draft) or when no sentence of
the draft could be verified; a refusal still carries the closest passages.
"""

from __future__ import annotations

from assistant.answer.verify import VerifiedAnswer
from assistant.types import Answer, Passage


def compose(
    verified: VerifiedAnswer | None,
    passages: list[Passage],
    standalone: str,
    timings: dict[str, float],
    answerer: str,
    refusal_text: str,
) -> Answer:
    """The :class:`Answer` for ``verified`` (None: the evidence gate refused)."""
    verified = verified or VerifiedAnswer("", [], [])
    refused = not any(s.supported for s in verified.sentences)
    return Answer(
        text=refusal_text if refused else verified.text,
        refused=refused,
        citations=[] if refused else verified.citations,
        passages=passages,
        standalone_question=standalone,
        sentences=verified.sentences,
        timings_ms=timings,
        answerer=answerer,
        warning=verified.warning,
        short_answer=None if refused else verified.short_answer,
    )
