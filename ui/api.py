"""The web app's named API endpoints, as ``gradio_client`` sees them (``Client.view_api()``).

* Every endpoint's output is typed (the TypedDicts below, the JSON shapes of the public
  API's ``to_dict``) and named, so ``view_api()`` documents what comes back instead of
  ``Any``: :func:`endpoint` registers a function with ``gr.api`` and names its output, and
  :func:`typed_json` makes a ``gr.JSON`` output that documents its shape.
* A user's mistake (:class:`~assistant.EvchatError`) reaches the caller as its one
  sentence and the server log as one INFO line with an id (:func:`refusal`); a bug reaches
  the caller as its log id only and the log with its traceback (:func:`failure`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Literal, TypedDict

import gradio as gr
from gradio.context import get_blocks_context
from gradio_client.utils import python_type_to_json_schema

from assistant import BadInputError, EvchatError, log_unexpected, log_user_error

ConversationFormat = Literal["json", "md"]
FORMATS: tuple[str, ...] = ("json", "md")


class CitationJSON(TypedDict):
    """A verified citation: the quote and its offsets in the document."""

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
    score: float


class PassageJSON(TypedDict):
    """A passage the answer was written from."""

    doc_id: str
    text: str
    score: float


class SentenceJSON(TypedDict):
    """One sentence of the answer, its citation numbers, and why it is unsupported."""

    text: str
    citations: list[int]
    supported: bool
    reason: str | None
    missing: list[str]
    conflicts: list[list[str]]


class AnswerJSON(TypedDict):
    """``Answer.to_dict()``: the shape ``evchat ask --json`` prints."""

    answer: str
    short_answer: str | None
    refused: bool
    standalone_question: str
    citations: list[CitationJSON]
    passages: list[PassageJSON]
    sentences: list[SentenceJSON]
    unsupported: list[str]
    answerer: str
    warning: str | None
    timings_ms: dict[str, float]


class HistoryMessageJSON(TypedDict, total=False):
    """One earlier turn of ``/ask``'s ``history``: ``role`` and ``content``, and for an
    answer what ``/ask`` returned of it (its citations keep a follow-up on what was cited)."""

    role: str
    content: str
    citations: list[CitationJSON]
    short_answer: str | None
    standalone_question: str
    refused: bool


class ChatJSON(TypedDict):
    """``/chat``: the answer and the conversation it was saved in."""

    conversation_id: str
    turn: int
    saved: bool
    history_error: str | None
    answer: AnswerJSON


class ConversationInfoJSON(TypedDict):
    """A saved conversation as ``/conversations`` lists it."""

    id: str
    title: str
    user: str
    collection: str
    created_at: float
    updated_at: float
    turns: int


class FeedbackJSON(TypedDict):
    """The user's verdict on one answer."""

    verdict: str | None
    wrong_citations: list[int]
    right_answer: str | None
    at: float


class TurnJSON(TypedDict):
    """One question of a conversation with the answer it got."""

    position: int
    question: str
    standalone_question: str
    as_of: str | None
    options: list[str]
    collection: str
    asked_at: str
    short_answer: str | None
    answer: AnswerJSON
    feedback: FeedbackJSON | None


class ConversationJSON(TypedDict):
    """``/conversation`` with ``format="json"``: the conversation with every turn."""

    id: str
    title: str
    user: str
    collection: str
    created_at: str
    updated_at: str
    turns: list[TurnJSON]


class StatsJSON(TypedDict, total=False):
    """``/stats``: the index's size and where it is (zeros and ``error`` when the store
    cannot be read)."""

    documents: int
    chunks: int
    collection: str
    model: str
    store: str
    last_indexed: str | None
    error: str


class FileErrorJSON(TypedDict):
    """A file that was not indexed, and why."""

    file: str
    error: str


class RenamedJSON(TypedDict):
    """An upload kept beside a document of the same name, under a new name."""

    file: str
    stored_as: str


class IndexReportJSON(TypedDict, total=False):
    """``/index``: what indexing the uploads did."""

    added: int
    updated: int
    unchanged: int
    removed: int
    failed: list[FileErrorJSON]
    rejected: list[FileErrorJSON]
    renamed: list[RenamedJSON]
    documents: int
    chunks: int
    embedded: int
    seconds: float
    interrupted: bool


def endpoint(fn: Callable[..., Any], api_name: str, output: str) -> None:
    """Register ``fn`` as the endpoint ``/api_name`` whose output is called ``output``.

    Gradio reads the return type from ``inspect.signature(fn)``, which leaves postponed
    annotations (``from __future__ import annotations``) as strings it cannot read, so
    the signature is handed over resolved; and ``gr.api`` names outputs "1st", "2nd".
    """
    signature = inspect.signature(fn, eval_str=True)

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    call.__signature__ = signature  # type: ignore[attr-defined]
    dependency = gr.api(call, api_name=api_name)
    blocks = get_blocks_context()
    if blocks is not None:
        for block_id in dependency.get("outputs", []):
            blocks.blocks[block_id].label = output  # type: ignore[union-attr]


def typed_json(returns: Any, **kwargs: Any) -> gr.JSON:
    """A ``gr.JSON`` output documented in the API as the TypedDict ``returns`` rather than
    "any valid json".

    Its ``api_info`` is replaced on the instance: a subclass of a Gradio component makes
    Gradio write a ``.pyi`` stub beside the module that defines it.
    """
    component = gr.JSON(**kwargs)
    schema = python_type_to_json_schema(returns)
    component.api_info = lambda: schema  # type: ignore[method-assign]
    return component


def refusal(error: EvchatError, where: str) -> gr.Error:
    """The ``gr.Error`` for a user's mistake: its one sentence to the caller, one INFO
    line with an id to the log, no traceback."""
    log_user_error(error, where)
    return gr.Error(str(error), print_exception=False)


def failure(error: BaseException, where: str) -> gr.Error:
    """The ``gr.Error`` for a bug: the caller sees its log id, the log its traceback
    (written once, by ``log_unexpected``)."""
    return gr.Error(log_unexpected(error, where), print_exception=False)


def check_format(fmt: str) -> str:
    """A conversation's format, ``json`` or ``md``; ``BadInputError`` in one sentence
    otherwise."""
    if fmt not in FORMATS:
        raise BadInputError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return fmt
