"""What a conversation keeps: its turns, the feedback on them, and answers as JSON.

An :class:`~assistant.types.Answer` is stored whole (its sentences with their flags, its
citations, the passages they cite) so that a reopened conversation shows every answer
exactly as it was given, even after the documents changed. The JSON is rebuilt into the
dataclasses field by field, by their type hints, so fields added to them later (with
defaults) neither break old rows nor get lost in new ones.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from assistant.types import Answer

Verdict = Literal["up", "down"]
T = TypeVar("T")

#: Closest passages kept with a refusal (what the refusal box shows).
REFUSAL_PASSAGES = 3


@dataclass(frozen=True)
class Feedback:
    """A user's verdict on one answer.

    ``verdict`` is ``"up"`` (right; for a refusal: the documents indeed don't say) or
    ``"down"``; ``wrong_citations`` are the numbers of citations the user marked wrong;
    ``right_answer`` is what the user says the answer should have been.
    """

    verdict: Verdict | None = None
    wrong_citations: tuple[int, ...] = ()
    right_answer: str | None = None
    at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "verdict": self.verdict,
            "wrong_citations": list(self.wrong_citations),
            "right_answer": self.right_answer,
            "at": self.at,
        }


@dataclass(frozen=True)
class Turn:
    """One question of a conversation and the answer it got."""

    id: int
    position: int  # 1, 2, … within its conversation
    question: str  # as the user typed it
    answer: Answer
    collection: str
    created_at: float
    as_of: str | None = None
    options: tuple[str, ...] = ()
    feedback: Feedback | None = None

    @property
    def standalone_question(self) -> str:
        """The question rewritten to stand alone (what retrieval searched for)."""
        return self.answer.standalone_question

    @property
    def short_answer(self) -> str | None:
        """The answer's short form, when the answerer gave one."""
        value = getattr(self.answer, "short_answer", None)
        return str(value) if value else None


@dataclass(frozen=True)
class ConversationInfo:
    """A conversation as the history sidebar and ``evchat history`` list it."""

    id: str
    title: str
    user: str
    collection: str
    created_at: float
    updated_at: float
    turns: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return dataclasses.asdict(self)


def kept_passages(answer: Answer) -> list[Any]:
    """The passages worth storing: those cited, or for a refusal the closest few."""
    cited = {c.chunk_id for c in answer.citations}
    if answer.refused:
        return list(answer.passages[:REFUSAL_PASSAGES])
    return [p for p in answer.passages if p.chunk_id in cited]


def answer_to_json(answer: Answer) -> str:
    """The answer as stored: every field, the passages trimmed to :func:`kept_passages`."""
    record = dataclasses.asdict(answer)
    record["passages"] = [dataclasses.asdict(p) for p in kept_passages(answer)]
    return json.dumps(record, ensure_ascii=False)


def answer_from_json(text: str) -> Answer:
    """The :class:`Answer` stored by :func:`answer_to_json`."""
    return build(Answer, json.loads(text))


def build(cls: type[T], data: Any) -> T:
    """A dataclass from its ``asdict`` form, nested dataclasses and tuples included;
    keys the class does not know are ignored, missing ones take their defaults."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kwargs = {k: _value(hints.get(k, Any), v) for k, v in dict(data).items() if k in known}
    return cls(**kwargs)


def _value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _value(inner[0], value) if len(inner) == 1 else value
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return build(hint, value)  # type: ignore[arg-type]
    if origin is list:
        return [_value(args[0] if args else Any, v) for v in value]
    if origin is tuple:
        return tuple(_value(args[0] if args else Any, v) for v in value)
    if origin is dict:
        return dict(value)
    return value
