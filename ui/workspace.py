"""The analyst's workspace wired together: current collection, conversation sidebar,
feedback, and what a page load restores.

* The session's collection lives in a ``gr.State`` and in the browser's local storage;
  switching it (or creating, renaming, deleting one) refreshes the header, the Documents
  tab and the Sources filter, and starts a new chat.
* Opening a conversation from the sidebar switches to its collection.
* The open conversation's id is kept in the browser's local storage, so a reload of the
  page opens it again (a first visit, or after "New chat", shows the empty chat's hint).
* After every answer the sidebar, the feedback panel and the download buttons follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant import Conversation
from ui.api import endpoint
from ui.chat import ChatTab
from ui.collections import CollectionBots, CollectionHandlers, CollectionPanel
from ui.confirm import confirmed_click
from ui.documents import DocumentViews
from ui.feedback import FeedbackHandlers
from ui.history import HistoryHandlers, export_files

PRIVATE: dict[str, Any] = {"api_visibility": "private"}


@dataclass
class Workspace:
    """The pieces the wiring connects."""

    bots: CollectionBots
    views: DocumentViews
    chat: ChatTab
    collections: CollectionPanel
    header: gr.Markdown
    remembered: gr.BrowserState  # the collection, across reloads of the page
    refreshed: list[Any]  # the Documents tab's outputs (table, selector, stats, Sources)


def wire_workspace(demo: gr.Blocks, ws: Workspace, asks: list[Any]) -> None:
    """Connect every event of the workspace; ``asks`` are the chat's ask events."""
    history = HistoryHandlers(ws.bots)
    _wire_sidebar(ws, history)
    _wire_feedback(ws, asks)
    for ask in asks:
        _remember(ws, ask).then(history.listing, [ws.chat.session], _listing(ws), **PRIVATE).then(
            export_files, [ws.chat.session], _downloads(ws), **PRIVATE
        )
    _wire_collections(ws)
    table = ws.refreshed[0]  # the documents table: it changes with every index or delete
    table.change(ws.bots.header, [ws.chat.collection], [ws.header], **PRIVATE)
    demo.load(ws.bots.current, [ws.remembered], [ws.chat.collection], **PRIVATE).then(
        _collection_changed(ws), [ws.chat.collection], _collection_outputs(ws), **PRIVATE
    ).then(
        history.reopen,
        [ws.chat.sidebar.remembered, ws.chat.session, ws.chat.collection],
        _opened(ws),
        **PRIVATE,
    ).then(_collection_changed(ws), [ws.chat.collection], _collection_outputs(ws), **PRIVATE).then(
        history.listing, [ws.chat.session], _listing(ws), **PRIVATE
    ).then(FeedbackHandlers.show, [ws.chat.session], ws.chat.feedback.outputs(), **PRIVATE)
    endpoint(history.api_chat, "chat", "reply")
    endpoint(history.api_conversations, "conversations", "conversations")
    endpoint(history.api_conversation, "conversation", "conversation")


def _remember(ws: Workspace, event: Any) -> Any:
    """After ``event``, keep the open conversation's id in the browser (None: none open)."""
    return event.then(
        HistoryHandlers.remembered_id, [ws.chat.session], [ws.chat.sidebar.remembered], **PRIVATE
    )


def _listing(ws: Workspace) -> list[Any]:
    return [ws.chat.sidebar.chats, ws.chat.sidebar.status]


def _downloads(ws: Workspace) -> list[Any]:
    return [ws.chat.sidebar.download_md, ws.chat.sidebar.download_json]


def _opened(ws: Workspace) -> list[Any]:
    """The outputs of :meth:`HistoryHandlers.open`."""
    tab = ws.chat
    return [
        tab.session, tab.chatbot, tab.panel, tab.collection, tab.sidebar.title,
        *_downloads(ws), tab.question,
    ]  # fmt: skip


def _wire_sidebar(ws: Workspace, history: HistoryHandlers) -> None:
    bar, tab = ws.chat.sidebar, ws.chat
    opened = bar.chats.input(history.open, [bar.chats, tab.collection], _opened(ws), **PRIVATE)
    _remember(ws, opened).then(
        _collection_changed(ws), [tab.collection], _collection_outputs(ws), **PRIVATE
    ).then(FeedbackHandlers.show, [tab.session], tab.feedback.outputs(), **PRIVATE)
    _remember(ws, bar.new_btn.click(_new_chat(ws), None, _chat_outputs(ws), **PRIVATE))
    _remember(ws, tab.chatbot.clear(_new_chat(ws), None, _chat_outputs(ws), **PRIVATE))
    bar.rename_btn.click(history.rename, [tab.session, bar.title], [tab.session], **PRIVATE).then(
        history.listing, [tab.session], _listing(ws), **PRIVATE
    )
    confirmed_click(
        bar.delete_btn,
        "Delete this conversation? This cannot be undone.",
        history.delete,
        [tab.session],
        [tab.session],
    ).then(_reset_if_deleted(ws), [tab.session], _chat_outputs(ws), **PRIVATE).then(
        history.listing, [tab.session], _listing(ws), **PRIVATE
    ).then(HistoryHandlers.remembered_id, [tab.session], [bar.remembered], **PRIVATE)


def _chat_outputs(ws: Workspace) -> list[Any]:
    tab = ws.chat
    return [
        tab.session, tab.chatbot, tab.panel, tab.sidebar.chats, tab.sidebar.title,
        *_downloads(ws), *tab.feedback.outputs(),
    ]  # fmt: skip


def _new_chat(ws: Workspace) -> Any:
    def new_chat() -> tuple[Any, ...]:
        session, chatbot, panel, chats, title, md, js, _ = HistoryHandlers.new_chat()
        return (session, chatbot, panel, chats, title, md, js, *FeedbackHandlers.show(None))

    return new_chat


def _reset_if_deleted(ws: Workspace) -> Any:
    new_chat = _new_chat(ws)

    def reset(session: Conversation | None) -> tuple[Any, ...]:
        if session is not None:
            return (gr.update(),) * len(_chat_outputs(ws))
        return new_chat()

    return reset


def _wire_feedback(ws: Workspace, asks: list[Any]) -> None:
    tab, fb = ws.chat, FeedbackHandlers()
    outputs = tab.feedback.outputs()
    tab.chatbot.like(fb.like, [tab.session], outputs, **PRIVATE)
    tab.chatbot.select(fb.select, [tab.session], outputs, **PRIVATE)
    tab.feedback.save_btn.click(
        fb.save,
        [tab.session, tab.feedback.target, tab.feedback.wrong, tab.feedback.right],
        outputs,
        **PRIVATE,
    )
    for ask in asks:
        ask.then(fb.show, [tab.session], outputs, **PRIVATE)


def _collection_outputs(ws: Workspace) -> list[Any]:
    return [ws.header, ws.collections.select, ws.remembered, *ws.refreshed]


def _collection_changed(ws: Workspace) -> Any:
    """What follows a change of the current collection: the header, the switcher, the
    remembered choice and the Documents tab."""

    def changed(name: str) -> tuple[Any, ...]:
        name = ws.bots.current(name)
        choices = gr.update(choices=ws.bots.names(), value=name)
        return (ws.bots.header(name), choices, name, *ws.views.refresh(name))

    return changed


def _wire_collections(ws: Workspace) -> None:
    panel, tab, handlers = ws.collections, ws.chat, CollectionHandlers(ws.bots)
    changed = _collection_changed(ws)
    outputs = [tab.collection, panel.select, panel.name]
    follow: dict[str, Any] = {"concurrency_id": "index", **PRIVATE}
    events = [
        panel.select.input(handlers.switch, [panel.select], [tab.collection], **PRIVATE),
        panel.create_btn.click(handlers.create, [panel.name, tab.collection], outputs, **follow),
        panel.rename_btn.click(handlers.rename, [panel.name, tab.collection], outputs, **follow),
        confirmed_click(
            panel.delete_btn,
            "Delete the current collection with all its documents? This cannot be undone.",
            handlers.delete,
            [tab.collection],
            outputs,
        ),
    ]
    new_chat = _new_chat(ws)

    def switched(name: str) -> tuple[Any, ...]:
        # one step, so no question can reach the old chat after the header has changed
        return (*changed(name), *new_chat())

    for event in events:
        switch = event.then(
            switched, [tab.collection], _collection_outputs(ws) + _chat_outputs(ws), **PRIVATE
        )
        _remember(ws, switch)
