"""The Chat tab: the conversation, its side panel of filters, and the ``/ask`` endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant import Answer, Assistant, EvchatError, log_unexpected
from ui import forms
from ui import render as ui

EXAMPLES = [
    "Where is BYD building its first European car plant?",
    "What definitive EU duty applies to Tesla's Shanghai-made cars?",
    "Which automaker became the eighth investor in Ionna?",
    "What happened to lithium prices in 2023?",
]

ChatHistory = list[dict[str, str]]


@dataclass
class ChatTab:
    """The components of the Chat tab."""

    chatbot: gr.Chatbot
    question: gr.Textbox
    ask_btn: gr.Button
    clear_btn: gr.Button
    answer_html: gr.HTML
    sources_html: gr.HTML
    history: gr.State
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
            self.history,
            self.as_of,
            self.source_filter,
            self.date_from,
            self.date_to,
            self.answerer,
            self.k,
            self.options,
        ]

    def outputs(self) -> list[Any]:
        """The outputs of :meth:`ChatHandlers.respond`."""
        return [self.chatbot, self.answer_html, self.sources_html, self.history, self.question]


def _answerers(bot: Assistant) -> tuple[list[str], str]:
    choices = ["extractive"]
    if bot.answerer_name("auto") == "openai" or bot.settings.openai.openai_base_url:
        choices.append("openai")
    return choices, "openai" if bot.answerer_name() == "openai" else "extractive"


def build_chat_tab(bot: Assistant, sources: list[str]) -> ChatTab:
    """Lay out the Chat tab (call inside an open ``gr.Tab``)."""
    answerers, default_answerer = _answerers(bot)
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="Chat", height=380, buttons=["copy"], elem_id="chatbot")
            with gr.Row():
                question = gr.Textbox(
                    placeholder="Ask about the EV industry…",
                    show_label=False,
                    scale=5,
                    elem_id="question",
                )
                ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
            gr.Examples(EXAMPLES, inputs=question, label="Examples")
            answer_html = gr.HTML(elem_id="answer")
            sources_html = gr.HTML(elem_id="sources")
            clear_btn = gr.Button("Clear chat", size="sm")
        with gr.Column(scale=1):
            as_of = gr.Textbox(label="As of (YYYY-MM-DD)", placeholder="today")
            source_filter = gr.Dropdown(choices=sources, multiselect=True, label="Sources")
            date_from = gr.Textbox(label="Published from (YYYY-MM-DD)")
            date_to = gr.Textbox(label="Published to (YYYY-MM-DD)")
            answerer = gr.Radio(answerers, value=default_answerer, label="Answerer")
            k = gr.Slider(1, 20, value=bot.settings.retrieval.k, step=1, label="Passages (k)")
            options = gr.Textbox(
                label="Options (multiple choice, one per line)", lines=3, elem_id="options"
            )
    return ChatTab(
        chatbot, question, ask_btn, clear_btn, answer_html, sources_html, gr.State([]),
        as_of, source_filter, date_from, date_to, answerer, k, options,
    )  # fmt: skip


class ChatHandlers:
    """The Chat tab's event handlers and the ``/ask`` API over one assistant."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def respond(
        self,
        question: str,
        chat: ChatHistory,
        history: ChatHistory,
        as_of: str,
        sources: list[str],
        date_from: str,
        date_to: str,
        answerer: str,
        k: float,
        options: str = "",
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat, then show it with its sources."""
        chat, history = list(chat or []), list(history or [])
        question = (question or "").strip()
        if not question:
            gr.Warning("Please type a question.")
            yield chat, gr.update(), gr.update(), history, question
            return
        try:
            stream = self.bot.stream(
                question,
                history,
                forms.date_or_none(as_of, "'as of' date"),
                forms.filters(sources, date_from, date_to),
                forms.passages(k),  # type: ignore[arg-type]  # the API checks it
                answerer or None,
                forms.option_lines(options),
            )
            chat += [
                {"role": "user", "content": ui.escape_markdown(question)},
                {"role": "assistant", "content": "…"},
            ]
            yield chat, "", "", history, ""
            final = yield from self._stream_into(chat, history, stream)
        except Exception as e:  # a user error in one sentence; a bug by its log id only
            gr.Warning(str(e) if isinstance(e, EvchatError) else log_unexpected(e, "chat"))
            if chat and chat[-1].get("role") == "assistant" and chat[-1]["content"] == "…":
                chat = chat[:-2]
            yield chat, gr.update(), gr.update(), history, question
            return
        if final is not None:
            yield self._final(final, question, chat, history)

    @staticmethod
    def _stream_into(
        chat: ChatHistory, history: ChatHistory, stream: Iterator[str | Answer]
    ) -> Any:
        """Show the streamed text in the last bubble; return the final Answer."""
        text = ""
        for item in stream:
            if isinstance(item, Answer):
                return item
            text += item
            chat[-1] = {"role": "assistant", "content": ui.escape_markdown(text)}
            yield chat, gr.update(), gr.update(), history, ""
        return None

    @staticmethod
    def _final(
        final: Answer, question: str, chat: ChatHistory, history: ChatHistory
    ) -> tuple[Any, ...]:
        shown = ui.escape_markdown(final.text)
        if final.refused:
            shown = f"⛔ **{ui.REFUSAL_HEADING}.** " + shown
        chat[-1] = {"role": "assistant", "content": shown}
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": final.text},
        ]
        return chat, ui.render_answer(final, question), ui.render_sources(final), history, ""

    def api_ask(self, question: str, as_of: str = "", options: str = "") -> dict[str, Any]:
        """Answer a question from the indexed documents; returns the Answer as JSON.

        ``options``: the options of a multiple-choice question, one per line (optional).
        """
        try:
            answer = self.bot.ask(
                question,
                as_of=forms.date_or_none(as_of, "'as of' date"),
                choices=forms.option_lines(options),
            )
        except EvchatError as e:
            raise gr.Error(str(e)) from None
        except Exception as e:  # a bug: the log has the traceback, the caller its id
            raise gr.Error(log_unexpected(e, "/ask")) from None
        return answer.to_dict()


def wire_chat_tab(tab: ChatTab, handlers: ChatHandlers) -> None:
    """Connect the Chat tab's events and register ``/ask``."""
    for trigger in (tab.question.submit, tab.ask_btn.click):
        trigger(handlers.respond, tab.inputs(), tab.outputs(), api_visibility="private")
    tab.clear_btn.click(lambda: ([], "", "", [], ""), None, tab.outputs(), api_visibility="private")
    gr.api(handlers.api_ask, api_name="ask")
