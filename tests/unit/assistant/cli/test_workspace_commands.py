"""evchat history, feedback export, collections, and ask --conversation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.cli import main
from tests.fixtures.workspace import KESTREL, UNANSWERABLE, VOLTA


@pytest.fixture
def home(workspace_bot: Assistant, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI reads the workspace corpus' home."""
    path = workspace_bot.settings.store.home
    monkeypatch.setenv("EVCHAT_HOME", str(path))
    monkeypatch.setenv("EVCHAT_ANSWERER", "extractive")
    return path


def evchat(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_history_lists_shows_and_exports(
    home: Path,
    workspace_bot: Assistant,
    user: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    chat = workspace_bot.conversations(user).new()
    chat.ask(VOLTA)
    chat.ask(KESTREL)
    code, out, _ = evchat(capsys, "history", "--user", user, "--json")
    assert code == 0
    [listed] = json.loads(out)
    assert (listed["id"], listed["title"], listed["turns"]) == (chat.id, VOLTA, 2)
    code, out, _ = evchat(capsys, "history", "--user", user)
    assert out.startswith(chat.id) and "[evchat]" in out and "(2 questions)" in out
    code, out, _ = evchat(capsys, "history", "show", chat.id[:6], "--user", user)
    assert code == 0 and out.startswith(f"# {VOLTA}") and "**Sources**" in out
    target = tmp_path / "chat.json"
    code, _, err = evchat(
        capsys,
        "history",
        "export",
        chat.id,
        "--user",
        user,
        "--format",
        "json",
        "--out",
        str(target),
    )
    assert code == 0 and "wrote" in err
    data = json.loads(target.read_text())
    assert [t["question"] for t in data["turns"]] == [VOLTA, KESTREL]
    assert data["turns"][1]["answer"]["citations"][0]["doc_id"] == "kestrel.md"
    code, out, _ = evchat(capsys, "history", "export", chat.id, "--user", user)
    assert code == 0 and "## 2. How many electric trucks" in out


def test_history_rename_delete_and_unknown_ids(
    home: Path, workspace_bot: Assistant, user: str, capsys: pytest.CaptureFixture[str]
) -> None:
    chat = workspace_bot.conversations(user).new()
    chat.ask(KESTREL)
    assert evchat(capsys, "history", "rename", chat.id, "Trucks", "--user", user)[0] == 0
    assert workspace_bot.conversations(user).list()[0].title == "Trucks"
    assert evchat(capsys, "history", "delete", chat.id, "--user", user)[0] == 0
    code, out, err = evchat(capsys, "history", "show", chat.id, "--user", user)
    assert code == 2 and out == "" and err == f"evchat: There is no conversation {chat.id!r}.\n"


def test_a_corrupt_history_is_one_line(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "history.sqlite"
    bad.write_bytes(b"\x00garbage" * 500)
    monkeypatch.setenv("EVCHAT_HISTORY_PATH", str(bad))
    code, _, err = evchat(capsys, "history")
    assert code == 2 and err.count("\n") == 1 and "cannot be read" in err
    code, out, err = evchat(capsys, "ask", VOLTA, "--conversation", "new")
    assert code == 0 and "Zaragoza" in out and "cannot be read" in err  # answering goes on


def test_ask_in_a_conversation_carries_its_history(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = evchat(capsys, "ask", VOLTA, "--conversation", "new", "--json")
    assert code == 0 and json.loads(out)["citations"][0]["doc_id"] == "volta.md"
    chat_id = err.split()[1].rstrip(",")
    code, out, err = evchat(
        capsys, "ask", "When does its production start?", "--conversation", chat_id, "--json"
    )
    assert code == 0 and "question 2" in err
    assert "Volta Iberia" in json.loads(out)["standalone_question"]


def test_feedback_export_then_eval_from_the_command_line(
    home: Path,
    workspace_bot: Assistant,
    user: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    chat = workspace_bot.conversations(user).new()
    chat.ask(VOLTA)
    chat.feedback(verdict="up")
    chat.ask(UNANSWERABLE)
    chat.feedback(verdict="up")
    folder = tmp_path / "my-questions"
    code, out, _ = evchat(capsys, "feedback", "export", str(folder), "--user", user)
    assert code == 0 and out.startswith("wrote 2 questions (1 confirmed, 1 unanswerable)")
    monkeypatch.setenv("EVCHAT_HOME", str(tmp_path / "eval-home"))
    code, out, _ = evchat(capsys, "eval", str(folder), "--json")
    report = json.loads(out)
    assert code == 0 and report["n_questions"] == 2
    assert report["answer_accuracy"] == 1.0 and report["refusal_recall"] == 1.0
    code, _, err = evchat(capsys, "feedback", "export", str(tmp_path / "none"), "--user", "nobody")
    assert code == 2 and "no feedback to export" in err


def test_collections_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EVCHAT_HOME", str(tmp_path / "home"))
    assert evchat(capsys, "collections", "create", "reports")[0] == 0
    assert evchat(capsys, "collections", "create", "drafts")[0] == 0
    code, out, _ = evchat(capsys, "collections", "--json")
    assert [c["name"] for c in json.loads(out)] == ["drafts", "reports"]
    assert evchat(capsys, "collections", "rename", "drafts", "briefs")[0] == 0
    code, _, err = evchat(capsys, "collections", "delete", "briefs")  # not a terminal: no prompt
    assert code == 2 and "--yes" in err
    assert evchat(capsys, "collections", "delete", "briefs", "--yes")[0] == 0
    code, out, _ = evchat(capsys, "collections")
    assert out.split()[0] == "reports" and "briefs" not in out
    code, _, err = evchat(capsys, "stats", "--collection", "briefs")
    assert code == 2 and "no collection 'briefs'" in err
