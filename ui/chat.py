"""The Chat tab: the conversation sidebar, the chat with its one answer view, the source
panel and filters beside it, and the ``/ask`` endpoint.

The sidebar (:mod:`ui.history`), the answer view (:mod:`ui.answer_view`) and the feedback
panel (:mod:`ui.feedback`) are laid out here and live in their own modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import gradio as gr

from assistant import Answer, Assistant, Conversation, EvchatError, log_unexpected
from ui import answer_view, cited_page, forms, open_document
from ui.api import AnswerJSON, HistoryMessageJSON, endpoint, failure, refusal
from ui.collections import CollectionBots
from ui.feedback import FeedbackPanel, build_feedback_panel
from ui.history import HistorySidebar, build_sidebar, user_of

EXAMPLES = [
    "Where is BYD building its first European car plant?",
    "What definitive EU duty applies to Tesla's Shanghai-made cars?",
    "Which automaker became the eighth investor in Ionna?",
    "What happened to lithium prices in 2023?",
]

ChatHistory = list[dict[str, str]]
# What an empty chat says (a new chat, or a first visit with no saved conversation).
EMPTY_CHAT = (
    "**No conversation open.** Ask a question about the indexed EV-industry documents "
    "below, or pick an example; every answer cites its sources. Your saved conversations "
    "are listed on the left."
)


@dataclass
class ChatTab:
    """The components of the Chat tab."""

    chatbot: gr.Chatbot
    question: gr.Textbox
    ask_btn: gr.Button
    panel: gr.HTML  # the sources of the answers, beside the chat
    session: gr.State  # the open Conversation (None before the first answer)
    sidebar: HistorySidebar
    feedback: FeedbackPanel
    collection: gr.State  # the session's current collection
    as_of: gr.Textbox
    source_filter: gr.Dropdown
    date_from: gr.Textbox
    date_to: gr.Textbox
    answerer: gr.Radio
    k: gr.Slider
    options: gr.Textbox

    def inputs(self) -> list[Any]:
        """The inputs of :meth:`ChatHandlers.respond`, in its argument order."""
        return [
            self.question,
            self.chatbot,
            self.session,
            self.as_of,
            self.source_filter,
            self.date_from,
            self.date_to,
            self.answerer,
            self.k,
            self.options,
            self.collection,
        ]

    def outputs(self) -> list[Any]:
        """The outputs of :meth:`ChatHandlers.respond`."""
        return [self.chatbot, self.panel, self.session, self.question]


def _answerers(bot: Assistant) -> tuple[list[str], str]:
    choices = ["extractive"]
    if bot.answerer_name("auto") == "openai" or bot.settings.openai.openai_base_url:
        choices.append("openai")
    return choices, "openai" if bot.answerer_name() == "openai" else "extractive"


def build_chat_tab(bot: Assistant, sources: list[str], collection: gr.State) -> ChatTab:
    """Lay out the Chat tab (call inside an open ``gr.Tab``)."""
    with gr.Row():
        with gr.Column(scale=1, min_width=220, elem_id="history-sidebar"):
            sidebar = build_sidebar()
        with gr.Column(scale=3, min_width=420):
            chatbot = gr.Chatbot(
                label="Chat", show_label=False, height=520, buttons=["copy"],
                elem_id="chatbot", feedback_options=("Like", "Dislike"),
                placeholder=EMPTY_CHAT,
            )  # fmt: skip
            with gr.Row():
                question = gr.Textbox(
                    placeholder="Ask about the EV industry…",
                    show_label=False,
                    scale=5,
                    elem_id="question",
                )
                ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
            feedback = build_feedback_panel()
            gr.Examples(EXAMPLES, inputs=question, label="Examples")
        with gr.Column(scale=2, min_width=300):
            panel = gr.HTML(answer_view.panel([]), elem_id="passage-panel")
            filters = _build_filters(bot, sources)
    return ChatTab(
        chatbot, question, ask_btn, panel, gr.State(None), sidebar, feedback, collection,
        *filters,
    )  # fmt: skip


def _build_filters(bot: Assistant, sources: list[str]) -> tuple[Any, ...]:
    answerers, default_answerer = _answerers(bot)
    with gr.Accordion("Filters and options", open=False, elem_id="filters"):
        as_of = gr.Textbox(label="As of (YYYY-MM-DD)", placeholder="today")
        source_filter = gr.Dropdown(choices=sources, multiselect=True, label="Sources")
        date_from = gr.Textbox(label="Published from (YYYY-MM-DD)")
        date_to = gr.Textbox(label="Published to (YYYY-MM-DD)")
        answerer = gr.Radio(answerers, value=default_answerer, label="Answerer")
        k = gr.Slider(1, 20, value=bot.settings.retrieval.k, step=1, label="Passages (k)")
        options = gr.Textbox(
            label="Options (multiple choice, one per line)", lines=3, elem_id="options"
        )
    return as_of, source_filter, date_from, date_to, answerer, k, options


class ChatHandlers:
    """The Chat tab's event handlers and the ``/ask`` API, over the app's collections."""

    def __init__(self, bots: CollectionBots) -> None:
        self.bots = bots
        self.bot = bots.get(None)

    def respond(
        self,
        question: str,
        chat: ChatHistory,
        session: Conversation | None,
        as_of: str,
        sources: list[str],
        date_from: str,
        date_to: str,
        answerer: str,
        k: float,
        options: str = "",
        collection: str = "",
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat, then show it with clickable sources; the turn
        is saved in the open conversation (a new one in the current collection)."""
        chat = list(chat or [])
        question = (question or "").strip()
        if not question:
            gr.Warning("Please type a question.")
            yield chat, gr.update(), session, question
            return
        if session is None:
            current = self.bots.current(collection)
            if collection and current != collection:
                gr.Warning(f"Collection {collection!r} is gone; asking {current!r} instead.")
            session = self.bots.get(current).conversations(user_of(request)).new()
        try:
            stream = session.stream(
                question,
                forms.date_or_none(as_of, "'as of' date"),
                forms.filters(sources, date_from, date_to),
                forms.passages(k),  # type: ignore[arg-type]  # the API checks it
                answerer or None,
                forms.option_lines(options),
            )
            chat += [
                {"role": "user", "content": answer_view.user_bubble(question)},
                {"role": "assistant", "content": answer_view.streaming("")},
            ]
            yield chat, gr.update(), session, ""
            final = yield from self._stream_into(chat, session, stream)
        except Exception as e:  # a user error in one sentence; a bug by its log id only
            gr.Warning(str(e) if isinstance(e, EvchatError) else log_unexpected(e, "chat"))
            if chat and chat[-1].get("role") == "assistant" and chat[-1]["content"] == "…":
                chat = chat[:-2]
            yield chat, gr.update(), session, question
            return
        if final is not None:
            yield self._final(final, question, chat, session)

    @staticmethod
    def _stream_into(
        chat: ChatHistory, session: Conversation, stream: Iterator[str | Answer]
    ) -> Any:
        """Show the streamed text in the last bubble; return the final Answer."""
        text = ""
        for item in stream:
            if isinstance(item, Answer):
                return item
            text += item
            chat[-1] = {"role": "assistant", "content": answer_view.streaming(text)}
            yield chat, gr.update(), session, ""
        return None

    @staticmethod
    def _final(
        final: Answer, question: str, chat: ChatHistory, session: Conversation
    ) -> tuple[Any, ...]:
        turn = len(session.turns)
        chat[-1] = {"role": "assistant", "content": answer_view.bubble(final, turn, question)}
        if session.save_error:
            gr.Warning(session.save_error)
        bot = session.bot
        view = answer_view.joined(open_document.control(bot), cited_page.viewer(bot))
        return chat, answer_view.panel(session.turns, turn, view), session, ""

    def api_ask(
        self,
        question: str,
        as_of: str = "",
        options: str = "",
        collection: str = "",
        history: list[HistoryMessageJSON] | None = None,
    ) -> AnswerJSON:
        """Answer a question from the indexed documents; returns the Answer as JSON.

        ``options``: the options of a multiple-choice question, one per line (optional);
        ``collection``: the collection to ask (default: the app's default one);
        ``history``: the earlier turns as ``{"role", "content"}`` messages, an answer's
        message with the ``citations``, ``short_answer`` and ``standalone_question`` this
        endpoint returned, so that a follow-up stays on what was cited.
        """
        try:
            answer = self.bots.get(collection or None).ask(
                question,
                history=cast(list[dict[str, Any]], history) or None,
                as_of=forms.date_or_none(as_of, "'as of' date"),
                choices=forms.option_lines(options),
            )
        except EvchatError as e:
            raise refusal(e, "/ask") from None
        except Exception as e:  # a bug: the log has the traceback, the caller its id
            raise failure(e, "/ask") from None
        return cast(AnswerJSON, answer.to_dict())


def wire_chat_tab(tab: ChatTab, handlers: ChatHandlers) -> list[Any]:
    """Connect the question box and register ``/ask``; returns the ask events (the
    sidebar and the feedback panel follow each answer)."""
    events = [
        trigger(handlers.respond, tab.inputs(), tab.outputs(), api_visibility="private")
        for trigger in (tab.question.submit, tab.ask_btn.click)
    ]
    endpoint(handlers.api_ask, "ask", "answer")
    return events
