"""A conversation reopened from the history shows its sources as a live answer does: the
Open the document link and, for a PDF citation, the cited page with the quote marked."""

from __future__ import annotations

import shutil
from pathlib import Path

import gradio as gr

from tests.fixtures.indexed import tiny_assistant
from tests.fixtures.workspace import WORKSPACE_DOCS
from ui.collections import CollectionBots
from ui.history import HistoryHandlers

REPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "pdf_reports"
PDF = REPORTS / "nordic-ev-outlook-2024.pdf"


def test_a_reopened_conversation_shows_the_cited_pdf_page(tmp_path: Path) -> None:
    bot = tiny_assistant(tmp_path, {"volta.md": WORKSPACE_DOCS["volta.md"]})
    bot.uploads_dir.mkdir(parents=True)
    upload = bot.uploads_dir / PDF.name
    shutil.copy(PDF, upload)
    assert bot.index([upload]).added == 1
    chat = bot.conversations("reader").new()
    answer = chat.ask("How many battery-electric cars were registered in Norway in 2023?")
    assert any(c.doc_id == PDF.name and c.page for c in answer.citations), answer.citations
    handlers = HistoryHandlers(CollectionBots(bot))
    opened = handlers.open(chat.id, bot.collection_name, gr.Request(username="reader"))
    panel = str(opened[2])
    assert '<figure class="cited-page"' in panel, panel[:500]
    assert "Open the document" in panel
