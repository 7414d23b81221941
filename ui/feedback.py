"""Feedback on answers: thumbs up or down under each answer, and for one answer at a time the
citations that are wrong and "the right answer is …".

Every verdict is stored with its turn at once; ``evchat feedback export`` turns them
into evaluation cases. The panel under the chat is about the latest answer, or the one
last rated or clicked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import gradio as gr

from assistant import Conversation, EvchatError, Turn
from ui import render as ui
from ui.icons import icon

_VERDICTS: dict[object, Literal["up", "down"]] = {
    True: "up",
    False: "down",
    "Like": "up",
    "Dislike": "down",
}


@dataclass
class FeedbackPanel:
    """The components of the feedback panel."""

    target: gr.State  # the position (1-based) of the answer the panel is about
    label: gr.Markdown
    wrong: gr.CheckboxGroup
    right: gr.Textbox
    save_btn: gr.Button

    def outputs(self) -> list[Any]:
        """What :meth:`FeedbackHandlers.show` returns, in order."""
        return [self.target, self.label, self.wrong, self.right]


RATE_HINT = (
    f"Rate an answer with {icon('thumbs-up')}/{icon('thumbs-down')} under it; "
    "here you can say more."
)


def build_feedback_panel() -> FeedbackPanel:
    """Lay out the panel (call under the chat)."""
    with gr.Accordion("Feedback on an answer", open=False, elem_id="feedback"):
        label = gr.Markdown(
            RATE_HINT,
            elem_id="feedback-target",
        )
        wrong = gr.CheckboxGroup(
            choices=[], label="Citations that are wrong", elem_id="wrong-citations"
        )
        right = gr.Textbox(
            label="The right answer is …", placeholder="optional", elem_id="right-answer"
        )
        save_btn = gr.Button("Save feedback", size="sm", elem_id="feedback-save")
    return FeedbackPanel(gr.State(None), label, wrong, right, save_btn)


def _describe(number: int, turn: Turn) -> str:
    question = turn.question if len(turn.question) <= 90 else turn.question[:89] + "…"
    verdict = {"up": " · marked right", "down": " · marked wrong"}.get(
        (turn.feedback.verdict if turn.feedback else None) or "", ""
    )
    return f"**Answer {number}**{verdict}: {ui.escape_markdown(question)}"


class FeedbackHandlers:
    """What the thumbs and the panel do."""

    @staticmethod
    def show(chat: Conversation | None, position: int | None = None) -> tuple[Any, ...]:
        """The panel about answer ``position`` (default: the latest)."""
        if chat is None or not chat.turns:
            return (
                None,
                RATE_HINT,
                gr.update(choices=[], value=[]),
                "",
            )
        number = position or len(chat.turns)  # as the chat shows it: 1, 2, …
        turn = chat.turns[number - 1]
        fb = turn.feedback
        choices = [(f"[{c.n}] {c.title}", c.n) for c in turn.answer.citations]
        wrong = gr.update(choices=choices, value=list(fb.wrong_citations) if fb else [])
        return number, _describe(number, turn), wrong, (fb.right_answer or "") if fb else ""

    def like(self, chat: Conversation | None, data: gr.LikeData) -> tuple[Any, ...]:
        """The thumbs under an answer: store the verdict; the panel turns to that answer."""
        if chat is None or not chat.turns:
            return self.show(chat)
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        position = min(int(index) // 2 + 1, len(chat.turns))
        liked = data.liked if isinstance(data.liked, bool) else str(data.liked or "")
        verdict = _VERDICTS.get(liked)
        fb = chat.turns[position - 1].feedback
        try:
            chat.feedback(
                position,
                verdict,
                fb.wrong_citations if fb else (),
                fb.right_answer if fb else None,
            )
        except EvchatError as e:
            gr.Warning(str(e))
        return self.show(chat, position)

    def select(self, chat: Conversation | None, data: gr.SelectData) -> tuple[Any, ...]:
        """A click on a message: the panel turns to its answer."""
        if chat is None or not chat.turns:
            return self.show(chat)
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        return self.show(chat, min(int(index) // 2 + 1, len(chat.turns)))

    def save(
        self, chat: Conversation | None, position: int | None, wrong: list[int], right: str
    ) -> tuple[Any, ...]:
        """Save feedback: the citations marked wrong and the right answer."""
        if chat is None or not chat.turns or not position:
            gr.Warning("Ask a question first; feedback is about an answer.")
            return self.show(chat)
        fb = chat.turns[position - 1].feedback
        try:
            chat.feedback(
                position, fb.verdict if fb else None, [int(n) for n in wrong or []], right
            )
        except EvchatError as e:
            gr.Warning(str(e))
            return self.show(chat, position)
        gr.Info(f"Feedback on answer {position} saved.")
        return self.show(chat, position)
