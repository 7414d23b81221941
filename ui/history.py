"""The conversation sidebar of the Chat tab, and the history endpoints of the app's API.

The sidebar lists the logged-in user's conversations (titled by their first question,
newest first); one click opens a conversation with every answer as it was given, ready
to continue. "New chat" starts one; the current one can be renamed, deleted and
downloaded as Markdown or JSON. With ``EVCHAT_AUTH`` every user (``request.username``)
sees only their own; without it everyone shares the anonymous history. When the history
file cannot be used, the sidebar says so in one line and the chat keeps answering.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import gradio as gr

from assistant import Conversation, EvchatError, HistoryUnavailableError
from ui import answer_view, cited_page, forms, open_document
from ui.api import (
    AnswerJSON,
    ChatJSON,
    ConversationFormat,
    ConversationInfoJSON,
    ConversationJSON,
    check_format,
    failure,
    refusal,
)
from ui.collections import CollectionBots
from ui.icons import icon

_SLUG = re.compile(r"[^A-Za-z0-9]+")
EXPORTS = Path(tempfile.gettempdir()) / "evchat-exports"
SHOWN = 100  # conversations listed in the sidebar


def user_of(request: gr.Request | None) -> str:
    """The logged-in user's name ("" without login)."""
    return str(getattr(request, "username", None) or "")


@dataclass
class HistorySidebar:
    """The components of the conversation sidebar."""

    new_btn: gr.Button
    chats: gr.Radio
    status: gr.Markdown
    title: gr.Textbox
    rename_btn: gr.Button
    delete_btn: gr.Button
    download_md: gr.DownloadButton
    download_json: gr.DownloadButton
    remembered: gr.BrowserState  # the open conversation's id, across reloads of the page


def build_sidebar() -> HistorySidebar:
    """Lay out the sidebar (call inside the Chat tab's first column)."""
    new_btn = gr.Button("+ New chat", variant="secondary", elem_id="new-chat")
    # The open conversation's tools come before the list, which scrolls on its own, so
    # however many conversations there are, rename, delete and download stay in view.
    with gr.Accordion("This conversation", open=False, elem_id="conversation-tools"):
        title = gr.Textbox(label="Title", elem_id="chat-title")
        with gr.Row():
            rename_btn = gr.Button("Rename", size="sm", elem_id="chat-rename")
            delete_btn = gr.Button("Delete", size="sm", variant="stop", elem_id="chat-delete")
        download_md = gr.DownloadButton(
            "Download Markdown", size="sm", elem_id="download-md", interactive=False
        )
        download_json = gr.DownloadButton(
            "Download JSON", size="sm", elem_id="download-json", interactive=False
        )
    chats = gr.Radio(choices=[], label="Conversations", elem_id="conversations")
    status = gr.Markdown(elem_id="history-status")
    remembered = gr.BrowserState(None, storage_key="evchat-conversation")
    return HistorySidebar(
        new_btn, chats, status, title, rename_btn, delete_btn, download_md, download_json,
        remembered,
    )  # fmt: skip


def export_files(chat: Conversation | None) -> tuple[Any, Any]:
    """Fresh Markdown and JSON files of ``chat`` for the download buttons."""
    if chat is None or not chat.turns:
        return gr.update(value=None, interactive=False), gr.update(value=None, interactive=False)
    folder = EXPORTS / (_SLUG.sub("_", chat.user) or "anonymous")
    folder.mkdir(parents=True, exist_ok=True)
    stem = (_SLUG.sub("-", chat.title).strip("-")[:60] or "conversation") + f"-{chat.id[:6]}"
    md, js = folder / f"{stem}.md", folder / f"{stem}.json"
    md.write_text(chat.to_markdown(), encoding="utf-8")
    js.write_text(json.dumps(chat.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return gr.update(value=str(md), interactive=True), gr.update(value=str(js), interactive=True)


class HistoryHandlers:
    """The sidebar's events and the ``/chat``, ``/conversations``, ``/conversation`` API."""

    def __init__(self, bots: CollectionBots) -> None:
        self.bots = bots

    def listing(self, chat: Conversation | None, request: gr.Request) -> tuple[Any, Any]:
        """The sidebar's list (the open conversation selected) and its status line."""
        try:
            found = self.bots.root.conversations(user_of(request)).list(limit=SHOWN + 1)
        except HistoryUnavailableError as e:
            return gr.update(choices=[], value=None), f"{icon('warning')}{e}"
        choices = [(f"{c.title} · {c.collection}", c.id) for c in found[:SHOWN]]
        current = chat.id if chat is not None and any(c.id == chat.id for c in found) else None
        hint = "" if found else "Your conversations will be listed here."
        if len(found) > SHOWN:
            hint = f"The newest {SHOWN} are listed; `evchat history` lists them all."
        return gr.update(choices=choices, value=current), hint

    def open(
        self, conversation_id: str | None, current: str, request: gr.Request
    ) -> tuple[Any, ...]:
        """Open a conversation: its answers, sources, collection, title and downloads."""
        if not conversation_id:
            return (gr.update(),) * 8
        try:
            chat = self.bots.root.conversations(user_of(request)).open(conversation_id)
        except EvchatError as e:
            gr.Warning(str(e))
            return (gr.update(),) * 8
        collection = chat.collection
        opener = None
        if collection in self.bots.names():
            bot = self.bots.get(collection)
            # as under a live answer: the Open the document link, then the cited PDF page
            opener = answer_view.joined(open_document.control(bot), cited_page.viewer(bot))
        else:
            gr.Warning(f"This conversation's collection {collection!r} no longer exists.")
            collection = current
        chatbot = gr.update(
            value=answer_view.messages(chat.turns),
            feedback_value=answer_view.feedback_values(chat.turns),
        )
        panel = answer_view.panel(chat.turns, page_view=opener)
        return (chat, chatbot, panel, collection, chat.title, *export_files(chat), "")

    def reopen(
        self,
        remembered: str | None,
        chat: Conversation | None,
        current: str,
        request: gr.Request,
    ) -> tuple[Any, ...]:
        """After a page load: open the conversation this browser had open (as a click on
        it would), so a reload does not leave the chat empty. Nothing on a first visit,
        after "New chat", or when it is gone or another user's (the empty chat's hint
        says what to do)."""
        if chat is not None or not remembered:
            return (gr.update(),) * 8
        chats = self.bots.root.conversations(user_of(request))
        try:
            known = {c.id for c in chats.list(limit=SHOWN)}
        except EvchatError:  # the sidebar's status line says why
            return (gr.update(),) * 8
        if remembered not in known:
            return (gr.update(),) * 8
        return self.open(remembered, current, request)

    @staticmethod
    def remembered_id(chat: Conversation | None) -> str | None:
        """What the browser keeps of the open conversation: its id (None: none is open)."""
        return chat.id if chat is not None and chat.turns else None

    @staticmethod
    def new_chat() -> tuple[Any, ...]:
        """The "New chat" button: an empty chat (saved once it has an answer)."""
        none = gr.update(value=None, interactive=False)
        return None, [], answer_view.panel([]), gr.update(value=None), "", none, none, ""

    def rename(self, chat: Conversation | None, title: str) -> Any:
        """Rename the open conversation."""
        if chat is None or not chat.turns:
            gr.Warning("Ask a question first: a conversation is saved with its first answer.")
            return chat
        try:
            chat.rename(title)
        except EvchatError as e:
            gr.Warning(str(e))
        return chat

    def delete(self, confirmed: bool, chat: Conversation | None, request: gr.Request) -> Any:
        """Delete the open conversation (after the browser's confirmation)."""
        if not confirmed or chat is None or not chat.turns:
            return chat
        try:
            self.bots.root.conversations(user_of(request)).delete(chat.id)
        except EvchatError as e:
            gr.Warning(str(e))
            return chat
        gr.Info(f"Deleted “{chat.title}”.")
        return None

    # --- the API ---------------------------------------------------------------------
    def api_chat(
        self,
        question: str,
        conversation_id: str = "",
        as_of: str = "",
        options: str = "",
        collection: str = "",
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> ChatJSON:
        """Ask in a saved conversation (a new one when ``conversation_id`` is empty, in
        ``collection`` or the default one); the answer with the conversation's id."""
        try:
            chats = self.bots.root.conversations(user_of(request))
            chat = (
                chats.open(conversation_id)
                if conversation_id
                else chats.new(collection=collection or self.bots.default)
            )
            answer = chat.ask(
                question,
                as_of=forms.date_or_none(as_of, "'as of' date"),
                choices=forms.option_lines(options),
            )
        except EvchatError as e:
            raise refusal(e, "/chat") from None
        except Exception as e:  # a bug: the log has the traceback, the caller its id
            raise failure(e, "/chat") from None
        return {
            "conversation_id": chat.id,
            "turn": len(chat.turns),
            "saved": chat.save_error is None,
            "history_error": chat.save_error,
            "answer": cast(AnswerJSON, answer.to_dict()),
        }

    def api_conversations(self, request: gr.Request = None) -> list[ConversationInfoJSON]:  # type: ignore[assignment]
        """The logged-in user's conversations, newest first."""
        try:
            chats = self.bots.root.conversations(user_of(request)).list()
        except EvchatError as e:
            raise refusal(e, "/conversations") from None
        return [cast(ConversationInfoJSON, c.to_dict()) for c in chats]

    def api_conversation(
        self,
        conversation_id: str,
        format: ConversationFormat = "json",
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> ConversationJSON | str:
        """One conversation of the logged-in user: JSON data (``format="json"``) or
        Markdown text (``"md"``)."""
        try:
            check_format(format)
            chat = self.bots.root.conversations(user_of(request)).open(conversation_id)
        except EvchatError as e:
            raise refusal(e, "/conversation") from None
        return chat.to_markdown() if format == "md" else cast(ConversationJSON, chat.to_dict())
