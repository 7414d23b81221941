"""Feedback becomes an evaluation set that ``evchat eval`` runs on (end to end)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant, BadInputError, Settings, export_feedback
from assistant.eval import run_eval
from assistant.eval.harness import load_jsonl
from tests.fixtures.workspace import KESTREL, UNANSWERABLE, VOLTA

DEV_FIELDS = {"qid", "question", "answer", "gold_doc_ids", "gold_evidence", "question_type",
              "answerable", "as_of_date"}  # fmt: skip


@pytest.fixture
def rated(workspace_bot: Assistant, user: str) -> str:
    """One conversation of ``user`` with every kind of feedback; returns its id."""
    chat = workspace_bot.conversations(user).new()
    chat.ask(VOLTA)
    chat.feedback(verdict="up")  # a regression case
    chat.ask(KESTREL)
    chat.feedback(verdict="down", right_answer="300 electric trucks")  # a corrected case
    chat.ask(UNANSWERABLE)
    chat.feedback(verdict="up")  # the user confirms: the documents don't say
    chat.ask("Where will the Kestrel Freight trucks drive?")
    chat.feedback(verdict="down")  # nothing to test: no right answer
    chat.ask("How many packs does the Quillon pilot line make?")
    chat.feedback(wrong_citations=[1])  # only a citation marked: skipped
    return chat.id


def test_feedback_is_exported_in_the_dev_set_format(
    workspace_bot: Assistant, user: str, rated: str, tmp_path: Path
) -> None:
    report = export_feedback(workspace_bot, tmp_path / "mine", user=user)
    assert (report.questions, report.by_type) == (
        3, {"feedback_confirmed": 1, "feedback_corrected": 1, "feedback_unanswerable": 1}
    )  # fmt: skip
    assert len(report.skipped) == 2 and "without the right answer" in report.skipped[0]
    cases = {c["question_type"]: c for c in load_jsonl(tmp_path / "mine" / "questions.jsonl")}
    for case in cases.values():
        assert set(case) >= DEV_FIELDS and case["qid"].startswith(f"fb-{rated}-")
        assert case["as_of_date"]  # the day it was asked: "this week" keeps its meaning
    confirmed = cases["feedback_confirmed"]
    assert confirmed["question"] == VOLTA and confirmed["gold_doc_ids"] == ["volta.md"]
    # the short answer when the answer had one, else its quote: either states the place
    assert "Zaragoza" in confirmed["answer"]
    assert len(confirmed["gold_evidence"]) == 1 and "Zaragoza" in confirmed["gold_evidence"][0]
    corrected = cases["feedback_corrected"]
    assert corrected["answer"] == "300 electric trucks" and corrected["gold_doc_ids"] == [
        "kestrel.md"
    ]
    unanswerable = cases["feedback_unanswerable"]
    assert unanswerable["answerable"] is False and unanswerable["gold_doc_ids"] == []
    docs = {d["doc_id"]: d for d in load_jsonl(tmp_path / "mine" / "documents.jsonl")}
    assert {"volta.md", "kestrel.md"} <= set(docs)
    assert confirmed["answer"] in docs["volta.md"]["text"]  # the quote is verbatim in it
    assert docs["volta.md"]["title"] == "Volta Iberia picks Zaragoza for its first cell plant"
    assert docs["volta.md"]["published_at"] == "2025-03-04"


def test_evchat_eval_runs_on_the_exported_feedback(
    workspace_bot: Assistant, user: str, rated: str, tmp_path: Path
) -> None:
    export_feedback(workspace_bot, tmp_path / "mine", user=user)
    result = run_eval(tmp_path / "mine", Settings(home=tmp_path / "eval-home"), show_progress=False)
    summary = result.summary()
    assert summary["n_questions"] == 3
    assert summary["answer_accuracy"] == 1.0  # both answerable cases answered as expected
    assert summary["refusal_recall"] == 1.0 and summary["false_refusal_rate"] == 0.0
    assert summary["hits_at_5"] == 1.0 and summary["quotes_verbatim"] == 1.0


def test_later_feedback_on_the_same_question_wins(
    workspace_bot: Assistant, user: str, tmp_path: Path
) -> None:
    chat = workspace_bot.conversations(user).new()
    chat.ask(KESTREL)
    chat.feedback(verdict="up")
    chat.ask(KESTREL)
    chat.feedback(verdict="down", right_answer="300")
    export_feedback(workspace_bot, tmp_path / "mine", user=user)
    [case] = load_jsonl(tmp_path / "mine" / "questions.jsonl")
    assert case["answer"] == "300" and case["question_type"] == "feedback_corrected"


def test_no_feedback_is_a_clear_error(workspace_bot: Assistant, user: str, tmp_path: Path) -> None:
    workspace_bot.conversations(user).new().ask(VOLTA)
    with pytest.raises(BadInputError, match="no feedback to export"):
        export_feedback(workspace_bot, tmp_path / "mine", user=user)
    assert not (tmp_path / "mine" / "questions.jsonl").exists()


def test_all_documents_exports_the_whole_collection(
    workspace_bot: Assistant, user: str, rated: str, tmp_path: Path
) -> None:
    export_feedback(workspace_bot, tmp_path / "all", user=user, all_documents=True)
    lines = (tmp_path / "all" / "documents.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["doc_id"] for line in lines) == [
        "kestrel.md",
        "quillon.md",
        "volta.md",
    ]
