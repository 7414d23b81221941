"""Checks of what a caller hands ``Assistant.ask``/``stream``: one clear sentence per mistake.

Every surface (Python, CLI, web chat, ``/ask``) goes through these, so a bad ``k``, a date
with trailing text or a question with unencodable characters gets the same answer
everywhere: a :class:`~assistant.errors.BadInputError` saying what is expected, never a
``TypeError`` from deep inside. Text is made encodable (lone surrogates become U+FFFD)
and NFC-normalised, as document text is, so the tokenizer never sees what it cannot take.
"""

from __future__ import annotations

import numbers
import unicodedata
from collections.abc import Sequence
from typing import Any

from assistant.answer.choices import clean_choices
from assistant.answer.condense import Message
from assistant.answer.retrieve import Filters, parse_iso_date
from assistant.errors import BadInputError
from index.ingest.text_clean import encodable

MAX_QUESTION_CHARS = 2000
MAX_K = 50  # the bound of RetrievalSettings.k
MAX_OPTIONS = 20
MAX_OPTION_CHARS = 300
ANSWERERS = ("auto", "extractive", "openai", "local")


def clean_text(value: str) -> str:
    """Text from a user: encodable as UTF-8 and NFC-normalised."""
    return unicodedata.normalize("NFC", encodable(value))


def check_question(question: Any) -> str:
    """The question, stripped and cleaned; refused when empty, not text or too long."""
    if not isinstance(question, str) or not question.strip():
        raise BadInputError("Please type a question.")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadInputError(f"The question is too long (over {MAX_QUESTION_CHARS:,} characters).")
    return clean_text(question).strip()


def check_k(k: Any) -> int | None:
    """``k`` as given (None: the configured default); a whole number from 1 to 50."""
    if k is None:
        return None
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= int(k) <= MAX_K:
        raise BadInputError(
            f"k (passages per answer) must be a whole number from 1 to {MAX_K}, not {k!r}."
        )
    return int(k)


def check_as_of(as_of: Any) -> str | None:
    """An as-of date written exactly YYYY-MM-DD, or None."""
    return parse_iso_date(_date_like(as_of, "as-of date"), "as-of date")


def check_filters(filters: Any) -> Filters | None:
    """Filters with text tuples and exact dates, the range in order; refused otherwise."""
    if filters is None:
        return None
    if not isinstance(filters, Filters):
        raise BadInputError("filters must be an assistant.Filters object.")
    date_from = parse_iso_date(_date_like(filters.date_from, "'from' date"), "'from' date")
    date_to = parse_iso_date(_date_like(filters.date_to, "'to' date"), "'to' date")
    if date_from and date_to and date_from > date_to:
        raise BadInputError(f"The 'from' date {date_from} is after the 'to' date {date_to}.")
    return Filters(
        sources=_texts(filters.sources, "sources"),
        doc_ids=_texts(filters.doc_ids, "doc_ids"),
        date_from=date_from,
        date_to=date_to,
    )


def check_choices(choices: Any) -> list[str]:
    """The options of a multiple-choice question: texts, at most 20, each short."""
    if choices is None:
        return []
    if isinstance(choices, str) or not isinstance(choices, Sequence):
        raise BadInputError("choices must be a list of option texts.")
    if not all(isinstance(c, str) for c in choices):
        raise BadInputError("Every option must be text.")
    if len(choices) > MAX_OPTIONS:
        raise BadInputError(f"At most {MAX_OPTIONS} options can be given, not {len(choices)}.")
    if any(len(c) > MAX_OPTION_CHARS for c in choices):
        raise BadInputError(f"An option is longer than {MAX_OPTION_CHARS} characters.")
    return clean_choices([clean_text(c) for c in choices])


def check_answerer(name: Any) -> str | None:
    """One of auto, extractive, openai, local (None: the configured one)."""
    if name is None or name == "":
        return None
    if name not in ANSWERERS:
        raise BadInputError(f"Unknown answerer {name!r}; use one of {', '.join(ANSWERERS)}.")
    return str(name)


def check_history(history: Any) -> list[Message]:
    """Earlier turns as messages: dicts with role and content, or (question, answer) pairs.

    An assistant message may also carry what its answer cited, as ``Answer.to_dict``
    gives it (that JSON itself, with ``"role": "assistant"``, is a message): ``citations``
    (objects with at least a ``doc_id``), ``short_answer``, ``standalone_question`` and
    ``refused``; follow-ups are resolved against them
    (:mod:`assistant.answer.followup`)."""
    out: list[Message] = []
    if history is None:
        return out
    if isinstance(history, str) or not isinstance(history, Sequence):
        raise BadInputError("history must be a list of messages.")
    for item in history:
        if isinstance(item, dict):
            content = item.get("content", item.get("answer"))  # an answer's JSON as it is
            if isinstance(content, str):
                role = str(item.get("role", "user"))
                message: Message = {"role": role, "content": clean_text(content)}
                if role == "assistant":
                    message.update(_cited(item))
                out.append(message)
        elif isinstance(item, tuple | list) and len(item) == 2:
            out.append({"role": "user", "content": clean_text(str(item[0]))})
            if item[1]:
                out.append({"role": "assistant", "content": clean_text(str(item[1]))})
    return out


_CITATION_TEXTS = ("doc_id", "chunk_id", "quote", "title", "source", "published_at", "url")


def _cited(reply: dict[str, Any]) -> Message:
    """The checked record of what an assistant message's answer cited."""
    out: Message = {}
    citations = reply.get("citations")
    if citations is not None:
        if not isinstance(citations, Sequence) or isinstance(citations, str):
            raise BadInputError("A message's citations must be a list of objects.")
        kept = []
        for c in citations:
            if not isinstance(c, dict) or not isinstance(c.get("doc_id"), str):
                raise BadInputError("Every citation in the history needs a doc_id (text).")
            kept.append({k: clean_text(c[k]) for k in _CITATION_TEXTS if isinstance(c.get(k), str)})
        out["citations"] = kept
    for key in ("short_answer", "standalone_question"):
        if isinstance(reply.get(key), str):
            out[key] = clean_text(reply[key])
    if "refused" in reply:
        out["refused"] = bool(reply["refused"])
    return out


def _texts(values: Any, what: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence | set | frozenset):
        raise BadInputError(f"Filters.{what} must be a list of texts.")
    if not all(isinstance(v, str) for v in values):
        raise BadInputError(f"Every entry of Filters.{what} must be text.")
    return tuple(clean_text(v) for v in values)


def _date_like(value: Any, what: str) -> Any:
    if value is None or isinstance(value, str):
        return value
    import datetime as dt

    if isinstance(value, dt.date):
        return value
    raise BadInputError(f"The {what} must be a date written YYYY-MM-DD, not {value!r}.")
