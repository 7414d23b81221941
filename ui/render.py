"""HTML rendering for the web app: answers with clickable citations, sources, reports.

Every piece of document text (titles, passages, quotes, sources) goes through
:func:`html.escape` before it reaches HTML, and only ``http(s)`` URLs ever become links,
so an indexed document can never inject markup or script into the page.

Document text is shown as plain text with its paragraphs, the form the index stores
(Markdown files are stored as plain text: ``index.ingest.markdown_text``): line breaks
become ``<br>``, so the HTML of an answer has no line break for the chat's Markdown
renderer to act on, and a ``## …`` or ``*…*`` in a plain-text document stays as written.
Icons are :mod:`ui.icons` (no emoji font needed).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import Any

from assistant import (
    Answer,
    AnswerSentence,
    Citation,
    Passage,
    replace_markers,
    strip_markers,
)
from ui.icons import icon

_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)
_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>`]+", re.IGNORECASE)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")

REFUSAL_HEADING = "The documents don't say"


@cache
def _asset(name: str) -> str:
    return resources.files("ui").joinpath("assets", name).read_text(encoding="utf-8")


def css() -> str:
    """The app's style sheet (``ui/assets/evchat.css``)."""
    return _asset("evchat.css")


def head() -> str:
    """The page's extra ``<head>``: the script that opens a cited source on click."""
    return f"<script>\n{_asset('evchat.js')}</script>\n"


def esc(text: object) -> str:
    """HTML-escape any value (None becomes an empty string)."""
    return html.escape("" if text is None else str(text), quote=True)


def esc_text(text: object) -> str:
    """Escaped document text with its line breaks as ``<br>`` (paragraphs kept, and no
    newline left for a Markdown renderer around the HTML to turn into a heading)."""
    return esc(text).replace("\n", "<br>")


def escape_markdown(text: str) -> str:
    """Text safe to show in a Markdown-rendering component: no markup; an ``http(s)`` URL
    becomes an autolink ``<url>``, whose text Markdown shows as written (a backslash
    escape inside a bare URL is shown, since the renderer links URLs before unescaping)."""
    out: list[str] = []
    at = 0
    for m in _URL_IN_TEXT.finditer(text):
        url = m.group(0).rstrip(".,;:!?…)")
        if not safe_url(url):
            continue
        out.append(_escape_plain(text[at : m.start()]))
        out.append(f"<{url}>")
        at = m.start() + len(url)
    out.append(_escape_plain(text[at:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) URL, else None (no javascript:, data:, ...)."""
    if url and _SAFE_URL.match(url.strip()):
        return url.strip()
    return None


def _marker_link(n: int) -> str:
    return f'<a href="#cite-{n}" class="cite" data-n="{n}" title="Show source {n}">[{n}]</a>'


def _markers_to_links(escaped: str) -> str:
    return replace_markers(escaped, _marker_link)


def render_answer(answer: Answer, question: str | None = None) -> str:
    """The answer with clickable ``[n]`` markers, or a refusal box."""
    parts = ['<div class="evchat-answer">']
    if question is not None and _norm(answer.standalone_question) != _norm(question):
        parts.append(
            f'<div class="evchat-standalone">Searched for: {esc(answer.standalone_question)}</div>'
        )
    if answer.warning:
        parts.append(f'<div class="evchat-warning">{icon("warning")}{esc(answer.warning)}</div>')
    if answer.refused:
        parts.append(render_refusal(answer))
    elif answer.sentences:
        shown = []
        for i, s in enumerate(answer.sentences):
            links = "".join(_marker_link(n) for n in s.citations)
            text = _with_short_answer(
                strip_markers(s.text), answer.short_answer if i == 0 else None
            )
            if s.supported:
                shown.append(f'<span class="sentence">{text} {links}</span>')
            else:
                shown.append(f'<span class="sentence unsupported">{text} {links}{_flag(s)}</span>')
        parts.append("<p>" + " ".join(shown) + "</p>")
    else:
        parts.append("<p>" + _markers_to_links(esc_text(answer.text)) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def _flag(sentence: AnswerSentence) -> str:
    """The "unsupported" badge: the explanation on hover and, expanded, below it."""
    why = esc(sentence.explanation())
    return (
        f'<details class="badge-unsupported" title="{why}"><summary>{icon("warning")}unsupported'
        "</summary>"
        f'<span class="why">{why}</span></details>'
    )


def _split_short(text: str, short: str | None) -> tuple[str, str] | None:
    """``(short answer, the rest)`` when ``text`` opens with the short answer."""
    if short and text.startswith(short):
        return short, text[len(short) :]
    return None


def _with_short_answer(text: str, short: str | None) -> str:
    """Escaped ``text`` with its opening short answer in bold."""
    split = _split_short(text, short)
    if split is None:
        return esc_text(text)
    return f'<b class="short-answer">{esc_text(split[0])}</b>{esc_text(split[1])}'


def answer_markdown(answer: Answer) -> str:
    """The answer text for a Markdown chat bubble: escaped, its short answer in bold."""
    split = None if answer.refused else _split_short(answer.text, answer.short_answer)
    if split is None:
        return escape_markdown(answer.text)
    return f"**{escape_markdown(split[0])}**{escape_markdown(split[1])}"


def render_refusal(answer: Answer, closest: int = 3) -> str:
    """A visible refusal, with the closest passages anyway (folded, to keep the chat short)."""
    out = [
        '<div class="evchat-refusal">',
        f"<h4>{icon('stop')}{REFUSAL_HEADING}</h4>",
        f"<p>{esc_text(answer.text)}</p>",
    ]
    if answer.passages:
        shown = len(answer.passages[:closest])
        out.append(f'<details class="closest"><summary>Closest passages ({shown})</summary><ol>')
        for p in answer.passages[:closest]:
            snippet = p.text if len(p.text) <= 300 else p.text[:300] + "…"
            out.append(
                f"<li><b>{esc(p.title)}</b> <span class='meta'>{esc(p.published_at or '')}"
                f" · {esc(p.source)}</span><br><span>{esc_text(snippet)}</span></li>"
            )
        out.append("</ol></details>")
    out.append("</div>")
    return "".join(out)


def _passage_for(c: Citation, passages: Sequence[Passage]) -> Passage | None:
    for p in passages:
        if p.chunk_id == c.chunk_id:
            return p
    return None


def _highlighted(c: Citation, passage: Passage | None) -> str:
    """The passage text with the quote wrapped in ``<mark>`` (all pieces escaped)."""
    if passage is None:
        return f"<mark>{esc(c.quote)}</mark>"
    text = passage.text
    start = c.start - passage.start
    if not (start >= 0 and text[start : start + len(c.quote)] == c.quote):
        start = text.find(c.quote)
    if start < 0:
        return f"<mark>{esc(c.quote)}</mark>"
    end = start + len(c.quote)
    return f"{esc(text[:start])}<mark>{esc(text[start:end])}</mark>{esc(text[end:])}"


def render_sources(answer: Answer, page_view: Callable[[Citation], str] | None = None) -> str:
    """The sources panel: one entry per citation, quote highlighted in its passage, and
    what ``page_view`` gives for the cited page (``ui.cited_page.viewer``), if anything."""
    if answer.refused or not answer.citations:
        return ""
    items = []
    for c in sorted(answer.citations, key=lambda c: c.n):
        url = safe_url(c.url) or safe_url(c.source)
        source = (
            f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">'
            f"{esc(c.source)}</a>"
            if url
            else esc(c.source)
        )
        meta = [esc(c.published_at) if c.published_at else "undated", source]
        if c.page is not None:
            meta.append(f"page {esc(c.page)}")
        items.append(
            f'<li class="source" id="cite-{c.n}" data-doc="{esc(c.doc_id)}">'
            f"<b>[{c.n}] {esc(c.title)}</b>"
            f'<div class="meta">{" · ".join(meta)}</div>'
            f'<div class="passage">{_highlighted(c, _passage_for(c, answer.passages))}</div>'
            f"{page_view(c) if page_view else ''}</li>"
        )
    return '<div class="evchat-sources"><h4>Sources</h4><ol>' + "".join(items) + "</ol></div>"


def render_report(
    report: dict[str, Any],
    rejected: Sequence[tuple[str, str]] = (),
    already: Sequence[tuple[str, str]] = (),
) -> str:
    """An indexing report: counts, then every rejected or failed file with its reason and
    every upload that was ``already`` indexed (``(name, indexed as)``)."""
    counts = ", ".join(
        f"{k} {int(report.get(k, 0) or 0)}" for k in ("added", "updated", "unchanged", "removed")
    )
    failed = list(report.get("failed") or [])
    out = [
        '<div class="evchat-report">',
        f"<p><b>Indexed:</b> {esc(counts)}, failed {len(failed) + len(rejected)}"
        + (
            f" — {int(report.get('documents', 0) or 0)} documents,"
            f" {int(report.get('chunks', 0) or 0)} chunks in the index."
            if "documents" in report
            else ""
        )
        + "</p>",
    ]
    errors = [(name, why) for name, why in rejected]
    errors += [(str(f.get("path", "")), str(f.get("error", ""))) for f in failed]
    if errors or already:
        out.append("<ul>")
        out.extend(f'<li class="err"><b>{esc(n)}</b>: {esc(w)}</li>' for n, w in errors)
        out.extend(
            f'<li class="already"><b>{esc(n)}</b>: already indexed (the same file as {esc(d)})</li>'
            for n, d in already
        )
        out.append("</ul>")
    out.append("</div>")
    return "".join(out)


def format_timestamp(ts: float | str | None) -> str:
    """A UNIX time (or an ISO time string) as ``YYYY-MM-DD HH:MM``, or "never"."""
    if not ts:
        return "never"
    if isinstance(ts, str):
        return ts.replace("T", " ")[:16]
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip("?.! ")
