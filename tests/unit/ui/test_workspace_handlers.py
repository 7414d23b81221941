"""The sidebar, feedback and collection handlers over a real history and collection store."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr
import pytest

from assistant import Assistant, EvchatError
from tests.fixtures.workspace import KESTREL, VOLTA
from ui.collections import CollectionBots
from ui.feedback import FeedbackHandlers
from ui.history import HistoryHandlers, export_files


def test_the_sidebar_lists_only_the_logged_in_users_conversations(
    workspace_bot: Assistant, user: str
) -> None:
    chat = workspace_bot.conversations(user).new()
    chat.ask(VOLTA)
    workspace_bot.conversations(user + "-other").new().ask(KESTREL)
    handlers = HistoryHandlers(CollectionBots(workspace_bot))
    listing, status = handlers.listing(chat, gr.Request(username=user))
    assert listing["choices"] == [(f"{VOLTA} · evchat", chat.id)] and listing["value"] == chat.id
    assert status == ""
    opened = handlers.open(chat.id, "evchat", gr.Request(username=user))
    assert opened[0].id == chat.id and opened[3] == "evchat"
    assert 'href="#src-1-1"' in opened[1]["value"][1]["content"]
    # Its sources say whether their documents can be opened (indexed here from a folder
    # outside the uploads: no file to open, and why).
    assert 'class="open-doc none"' in opened[2] and "indexed from a folder outside" in opened[2]
    assert handlers.open(chat.id, "evchat", gr.Request(username="intruder"))[0] == gr.update()


def test_downloads_are_written_for_the_open_conversation(
    workspace_bot: Assistant, user: str
) -> None:
    chat = workspace_bot.conversations(user).new()
    assert export_files(chat)[0]["interactive"] is False  # nothing to download yet
    chat.ask(KESTREL)
    md, js = export_files(chat)
    assert Path(md["value"]).read_text().startswith(f"# {KESTREL}")
    assert json.loads(Path(js["value"]).read_text())["turns"][0]["question"] == KESTREL


def test_thumbs_and_the_panel_store_feedback(workspace_bot: Assistant, user: str) -> None:
    chat = workspace_bot.conversations(user).new()
    chat.ask(VOLTA)
    chat.ask(KESTREL)
    fb = FeedbackHandlers()
    shown = fb.like(chat, gr.LikeData(None, {"index": 1, "value": "", "liked": True}))
    assert shown[0] == 1 and "marked right" in shown[1]
    shown = fb.like(chat, gr.LikeData(None, {"index": 3, "value": "", "liked": False}))
    assert shown[0] == 2 and "marked wrong" in shown[1]
    fb.save(chat, 2, [1], "300 trucks")
    turns = workspace_bot.conversations(user).open(chat.id).turns
    assert [t.feedback.verdict if t.feedback else None for t in turns] == ["up", "down"]
    assert turns[1].feedback is not None and turns[1].feedback.wrong_citations == (1,)
    assert turns[1].feedback.right_answer == "300 trucks"


def test_the_default_collection_cannot_be_renamed_or_deleted_from_the_app(
    workspace_bot: Assistant,
) -> None:
    bots = CollectionBots(workspace_bot)
    assert "evchat" in bots.names() and bots.current("nope") == "evchat"
    assert bots.header(None).startswith("Collection: **evchat** · 3 documents")
    with pytest.raises(EvchatError, match="default collection"):
        bots.delete("evchat")
    with pytest.raises(EvchatError, match="default collection"):
        bots.rename("evchat", "other")


def test_a_reload_reopens_only_the_users_own_remembered_conversation(
    workspace_bot: Assistant, user: str
) -> None:
    chat = workspace_bot.conversations(user).new()
    chat.ask(VOLTA)
    handlers = HistoryHandlers(CollectionBots(workspace_bot))
    assert HistoryHandlers.remembered_id(chat) == chat.id
    assert HistoryHandlers.remembered_id(None) is None
    opened = handlers.reopen(chat.id, None, "evchat", gr.Request(username=user))
    assert opened[0].id == chat.id and VOLTA in opened[1]["value"][0]["content"]
    nothing = (gr.update(),) * 8
    assert handlers.reopen(None, None, "evchat", gr.Request(username=user)) == nothing
    assert handlers.reopen(chat.id, None, "evchat", gr.Request(username="other")) == nothing
    assert handlers.reopen(chat.id, chat, "evchat", gr.Request(username=user)) == nothing
