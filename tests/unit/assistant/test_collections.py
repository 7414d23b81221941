"""Collections through the public API: create, list, ask in, rename, delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, BadInputError, Settings
from tests.fixtures.corpus import write_markdown
from tests.fixtures.indexed import tiny_assistant
from tests.fixtures.workspace import WORKSPACE_DOCS

BRIEF = "Orca Drive will open a motor plant in Ontario in 2027, the company said."


@pytest.fixture
def bot(tmp_path: Path) -> Assistant:
    return tiny_assistant(tmp_path, {"volta.md": WORKSPACE_DOCS["volta.md"]})


def test_a_new_collection_answers_from_its_own_documents(bot: Assistant, tmp_path: Path) -> None:
    assert bot.create_collection("briefs").documents == 0
    briefs = bot.for_collection("briefs")
    assert briefs.embedder is bot.embedder  # one model in memory for every collection
    doc = write_markdown(tmp_path / "briefs", "orca.md", "Orca Drive picks Ontario", BRIEF)
    briefs.index([doc])
    listed = {c.name: c.documents for c in bot.collections()}
    assert listed == {"evchat": 1, "briefs": 1}
    question = "Where will Orca Drive open a motor plant?"
    assert [c.doc_id for c in briefs.ask(question).citations] == ["orca.md"]
    assert bot.ask(question).refused  # the default collection does not have it
    chat = bot.conversations("ann").new(collection="briefs")
    assert chat.ask(question).citations[0].doc_id == "orca.md"


def test_rename_moves_documents_uploads_conversations_and_assistants(
    bot: Assistant, tmp_path: Path
) -> None:
    bot.create_collection("drafts")
    drafts = bot.for_collection("drafts")
    drafts.uploads_dir.mkdir(parents=True)
    doc = write_markdown(drafts.uploads_dir, "orca.md", "Orca Drive picks Ontario", BRIEF)
    drafts.index([doc])
    chat = bot.conversations("ann").new(collection="drafts")
    chat.ask("Where will Orca Drive open a motor plant?")
    bot.rename_collection("drafts", "briefs")
    assert [c.name for c in bot.collections()] == ["briefs", "evchat"]
    assert drafts.collection_name == "briefs"  # the assistant followed its collection
    assert (bot.settings.uploads_dir / "briefs" / "orca.md").is_file()
    assert not (bot.settings.uploads_dir / "drafts").exists()
    assert drafts.ask("Where will Orca Drive open a motor plant?").citations[0].doc_id == "orca.md"
    assert bot.conversations("ann").list()[0].collection == "briefs"
    assert bot.for_collection("briefs") is drafts


def test_delete_removes_the_collection_and_its_uploads(bot: Assistant) -> None:
    bot.create_collection("scratch")
    scratch = bot.for_collection("scratch")
    scratch.uploads_dir.mkdir(parents=True)
    (scratch.uploads_dir / "note.txt").write_text("Scratch note about chargers.")
    scratch.index([scratch.uploads_dir])
    bot.delete_collection("scratch")
    assert [c.name for c in bot.collections()] == ["evchat"]
    assert not scratch.uploads_dir.exists()
    with pytest.raises(BadInputError, match="no collection 'scratch'"):
        scratch.ask("What about chargers?")


def test_an_unknown_collection_is_a_clear_error_and_creates_nothing(tmp_path: Path) -> None:
    bot = Assistant(Settings(home=tmp_path / "home"), collection="typo")
    with pytest.raises(BadInputError, match="no collection 'typo'"):
        bot.ask("Where is BYD building its first European car plant?")
    assert not (tmp_path / "home" / "collections" / "typo--minilm").exists()
