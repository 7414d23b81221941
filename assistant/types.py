"""Typed results of the read path: passages, citations and answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its metadata and fused relevance score."""

    chunk_id: str
    doc_id: str
    text: str
    title: str
    source: str
    published_at: str | None
    page: int | None
    start: int  # offset of the chunk in the document text
    end: int
    score: float  # fused retrieval score (higher is better)
    url: str | None = None
    similarity: float = 0.0  # dense cosine similarity to the question (0 if BM25 found it)

    def to_dict(self) -> dict[str, Any]:
        """JSON form used by the CLI and the web API."""
        return {
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "published_at": self.published_at,
            "page": self.page,
            "text": self.text,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Citation:
    """A verified citation: ``quote`` appears verbatim in the passage's chunk.

    ``start``/``end`` are the quote's character offsets in the *document* text.
    """

    n: int
    chunk_id: str
    doc_id: str
    title: str
    source: str
    published_at: str | None
    page: int | None
    quote: str
    start: int
    end: int
    score: float  # support score of the quote for the sentence that cites it
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form used by the CLI and the web API."""
        return {
            "n": self.n,
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "published_at": self.published_at,
            "page": self.page,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer with the citation numbers it carries.

    An unsupported sentence says why: ``reason`` in one sentence, and, when its facts
    differ from the passage it would cite, the claim's facts that the passage does not
    state (``missing``, as written in the sentence) and the pairs that contradict it
    (``conflicts``: claim fact, passage fact), e.g. ``[("$69 billion", "$44 billion")]``.
    """

    text: str
    citations: tuple[int, ...]
    supported: bool
    reason: str | None = None
    missing: tuple[str, ...] = ()
    conflicts: tuple[tuple[str, str], ...] = ()

    def explanation(self) -> str:
        """Why the sentence is flagged, in plain words ("" when it is supported)."""
        if self.supported:
            return ""
        parts = [self.reason or "No passage supports this sentence."]
        if self.missing:
            parts.append("Not in the passage: " + "; ".join(self.missing) + ".")
        if self.conflicts:
            pairs = [f"{claim} (the passage says {said})" for claim, said in self.conflicts]
            parts.append("Differs from the passage: " + "; ".join(pairs) + ".")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON form used by the CLI and the web API."""
        return {
            "text": self.text,
            "citations": list(self.citations),
            "supported": self.supported,
            "reason": self.reason,
            "missing": list(self.missing),
            "conflicts": [list(pair) for pair in self.conflicts],
        }


@dataclass
class Answer:
    """The result of ``Assistant.ask``.

    ``text`` carries ``[n]`` markers that refer to ``citations`` by ``n``. When
    ``refused`` is true the documents do not contain the answer; ``passages`` then holds
    the closest passages anyway. ``short_answer`` is the thing the question asks for
    (a name, a number, a date, "Yes"/"No"), taken verbatim from a cited sentence, which
    ``text`` opens with; None when the question asks for no such thing or none was found.
    """

    text: str
    refused: bool
    citations: list[Citation]
    passages: list[Passage]
    standalone_question: str
    sentences: list[AnswerSentence] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    answerer: str = "extractive"
    warning: str | None = None  # e.g. "the model's stream was cut"
    short_answer: str | None = None  # "Tesla", "Yes", "up to 50%": the asked-for thing, first

    @property
    def unsupported(self) -> list[str]:
        """Sentences of the answer that no citation supports."""
        return [s.text for s in self.sentences if not s.supported]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``evchat ask --json``."""
        return {
            "answer": self.text,
            "short_answer": self.short_answer,
            "refused": self.refused,
            "standalone_question": self.standalone_question,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [
                {"doc_id": p.doc_id, "text": p.text, "score": round(p.score, 4)}
                for p in self.passages
            ],
            "sentences": [sentence.to_dict() for sentence in self.sentences],
            "unsupported": self.unsupported,
            "answerer": self.answerer,
            "warning": self.warning,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


def final_answer(items: Iterable[str | Answer]) -> Answer:
    """The final :class:`Answer` of a stream (text deltas first, the answer last)."""
    final: Answer | None = None
    for item in items:
        if isinstance(item, Answer):
            final = item
    if final is None:
        raise RuntimeError("the answer stream ended without an Answer")
    return final
