"""A conversation as Markdown or JSON: every answer with its numbered sources.

Markdown lists each source with its title, source, date, page, URL and the verified
quote, in words only (no emoji a viewer's fonts may lack). Text that comes from documents
is escaped (``<``, ``>``, ``&`` as entities, and
the characters Markdown would turn into links or emphasis), and only ``http(s)`` URLs
become links, so an exported file shows a document's markup as text in any viewer.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from typing import Any

from assistant.answer.markers import strip_markers, with_markers
from assistant.conversations.records import ConversationInfo, Feedback, Turn
from assistant.types import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_ESCAPED_MARKER = re.compile(r"\\\[(\d{1,3})\\\]")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>()\[\]]+$", re.IGNORECASE)
REFUSAL_HEADING = "The documents don't say"


def iso(ts: float | None) -> str | None:
    """A UNIX time as an ISO-8601 UTC time (seconds)."""
    if not ts:
        return None
    return dt.datetime.fromtimestamp(ts, tz=dt.UTC).isoformat(timespec="seconds")


def md_text(text: str | None) -> str:
    """One line of document or model text, safe in Markdown; ``[n]`` markers stay."""
    flat = " ".join(str(text or "").split())
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
    return _ESCAPED_MARKER.sub(r"[\1]", escaped)


def _link(url: str | None) -> str | None:
    if url and _SAFE_URL.match(url.strip()):
        return f"<{url.strip()}>"
    return None


def _answer_lines(answer: Answer) -> list[str]:
    if answer.refused:
        return [f"> **{REFUSAL_HEADING}.** {md_text(answer.text)}"]
    if not answer.sentences:
        return [md_text(answer.text)]
    parts = []
    for s in answer.sentences:
        text = md_text(with_markers(strip_markers(s.text), s.citations))
        parts.append(text if s.supported else f"{text} *(unsupported)*")
    return [" ".join(parts)]


def _source_lines(c: Citation) -> list[str]:
    meta = [md_text(c.source), c.published_at or "undated"]
    if c.page is not None:
        meta.append(f"page {c.page}")
    link = _link(c.url) or _link(c.source)
    if link:
        meta.append(link)
    return [f"{c.n}. **{md_text(c.title)}** — {' · '.join(meta)}", f"   > “{md_text(c.quote)}”"]


def _feedback_line(fb: Feedback | None) -> list[str]:
    if fb is None:
        return []
    bits = {"up": "helpful", "down": "not helpful"}.get(fb.verdict or "", "")
    parts = [bits] if bits else []
    if fb.wrong_citations:
        parts.append("wrong citation " + ", ".join(f"[{n}]" for n in fb.wrong_citations))
    if fb.right_answer:
        parts.append(f"the right answer is “{md_text(fb.right_answer)}”")
    return ["", f"*Feedback: {'; '.join(parts)}*"] if parts else []


def _turn_lines(t: Turn) -> list[str]:
    out = ["", f"## {t.position}. {md_text(t.question)}", ""]
    context = []
    if t.standalone_question and t.standalone_question != t.question:
        context.append(f"searched for: {md_text(t.standalone_question)}")
    if t.as_of:
        context.append(f"as of {t.as_of}")
    if t.options:
        context.append("options: " + ", ".join(md_text(o) for o in t.options))
    if context:
        out += [f"*{' · '.join(context)}*", ""]
    out += _answer_lines(t.answer)
    if t.answer.citations and not t.answer.refused:
        out += ["", "**Sources**", ""]
        for c in sorted(t.answer.citations, key=lambda c: c.n):
            out += _source_lines(c)
    return out + _feedback_line(t.feedback)


def to_markdown(info: ConversationInfo, turns: Sequence[Turn]) -> str:
    """The conversation as a Markdown document."""
    out = [
        f"# {md_text(info.title) or 'Conversation'}",
        "",
        f"Collection `{info.collection}` · started {iso(info.created_at)} · "
        f"{len(turns)} question{'s' if len(turns) != 1 else ''} · conversation {info.id}",
    ]
    for t in turns:
        out += _turn_lines(t)
    return "\n".join(out) + "\n"


def turn_dict(t: Turn) -> dict[str, Any]:
    """One turn as JSON-ready data (the answer in the shape of ``evchat ask --json``)."""
    answer = t.answer.to_dict()
    urls = {c.n: c.url for c in t.answer.citations}
    for c in answer["citations"]:
        c["url"] = urls.get(c["n"])
    return {
        "position": t.position,
        "question": t.question,
        "standalone_question": t.standalone_question,
        "as_of": t.as_of,
        "options": list(t.options),
        "collection": t.collection,
        "asked_at": iso(t.created_at),
        "short_answer": t.short_answer,
        "answer": answer,
        "feedback": t.feedback.to_dict() if t.feedback else None,
    }


def to_dict(info: ConversationInfo, turns: Sequence[Turn]) -> dict[str, Any]:
    """The conversation as JSON-ready data."""
    return {
        "id": info.id,
        "title": info.title,
        "user": info.user,
        "collection": info.collection,
        "created_at": iso(info.created_at),
        "updated_at": iso(info.updated_at),
        "turns": [turn_dict(t) for t in turns],
    }
