"""The one answer view: each answer once, in the conversation, its ``[n]`` opening the
cited passage in the panel beside the chat.

An answer's bubble is :func:`ui.render.render_answer` (unsupported sentences and refusals
keep their look) with each marker linking to ``#src-<turn>-<n>``; the source panel holds
the sources of every turn (:func:`ui.render.render_sources`, quote highlighted in its
passage), one turn shown at a time. ``ui/assets/evchat.js`` connects the two on click.
The chat component's sanitiser drops ``data-`` attributes, which is why the link's
target is in its ``href``. Everything shown comes from the escaping renderers of
:mod:`ui.render`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant import Answer, Citation, Turn
from ui import render

PageView = Callable[[Citation], str]

_CITE_HREF = re.compile(r'href="#cite-(\d+)"')
_CITE_ID = re.compile(r'id="cite-(\d+)"')
PANEL_HINT = (
    '<div class="evchat-panel-hint">Click a <span class="cite-sample">[n]</span> in an '
    "answer to see the passage it cites.</div>"
)


def joined(*views: PageView) -> PageView:
    """One view of a citation made of several, in order (the "Open the document" link,
    then the cited page)."""

    def view(c: Citation) -> str:
        return "".join(v(c) for v in views)

    return view


def bubble(answer: Answer, turn: int, question: str | None = None) -> str:
    """The chat bubble of answer number ``turn``: the answer, its markers as links."""
    html = render.render_answer(answer, question)
    html = _CITE_HREF.sub(lambda m: f'href="#src-{turn}-{m.group(1)}"', html)
    return f'<div class="evchat-turn" id="turn-{turn}">{html}</div>'


def user_bubble(question: str) -> str:
    """A question as the chat shows it (escaped: nothing typed becomes markup)."""
    return render.escape_markdown(question)


def streaming(text: str) -> str:
    """The answer while it is being written: plain escaped text."""
    return render.escape_markdown(text) if text else "…"


def turn_sources(answer: Answer, turn: int, page_view: PageView | None = None) -> str:
    """The sources of one answer for the panel (empty for a refusal)."""
    html = render.render_sources(answer, page_view)
    if not html:
        return ""
    html = _CITE_ID.sub(lambda m: f'id="src-{turn}-{m.group(1)}"', html)
    return f'<section class="evchat-turn-sources" id="srcs-{turn}">{html}</section>'


def panel(
    turns: Sequence[Turn | Answer], shown: int | None = None, page_view: PageView | None = None
) -> str:
    """The source panel for a conversation: every turn's sources, the one of answer
    ``shown`` (default: the latest with sources) visible; ``page_view`` adds the cited
    page of a PDF citation (``ui.cited_page.viewer``)."""
    answers = [t.answer if isinstance(t, Turn) else t for t in turns]
    sections = {i: turn_sources(a, i, page_view) for i, a in enumerate(answers, 1)}
    sections = {i: s for i, s in sections.items() if s}
    if not sections:
        return f'<div class="evchat-panel">{PANEL_HINT}</div>'
    visible = shown if shown in sections else max(sections)
    parts = [
        s if i == visible else s.replace("<section ", "<section hidden ", 1)
        for i, s in sections.items()
    ]
    heading = f'<div class="evchat-panel-turn">Sources of answer {visible}</div>'
    return f'<div class="evchat-panel">{PANEL_HINT}{heading}{"".join(parts)}</div>'


def messages(turns: Sequence[Turn]) -> list[dict[str, str]]:
    """The chat component's messages for saved turns (question, answer, …)."""
    out: list[dict[str, str]] = []
    for i, t in enumerate(turns, 1):
        out.append({"role": "user", "content": user_bubble(t.question)})
        out.append({"role": "assistant", "content": bubble(t.answer, i, t.question)})
    return out


def feedback_values(turns: Sequence[Turn]) -> list[str | None]:
    """The thumbs-up/down state of each answer, as the chat component shows it."""
    names = {"up": "Like", "down": "Dislike"}
    return [names.get(t.feedback.verdict or "") if t.feedback else None for t in turns]
