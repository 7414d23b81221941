"""The analyst's workspace in a real browser: history that survives a restart, two users
kept apart, collections that change the answers' sources, feedback stored and exported,
conversations downloaded.

One app (behind a login for ann and bob) over the three workspace articles serves the
module; the last test restarts it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant, Settings, export_feedback
from assistant.eval.harness import load_jsonl
from tests.fixtures.app import app_process
from tests.fixtures.browser import ask, open_page, screenshot
from tests.fixtures.corpus import write_markdown
from tests.fixtures.workspace import KESTREL, UNANSWERABLE, VOLTA, WORKSPACE_DOCS

pytestmark = [pytest.mark.browser]

ANN, BOB = ("ann", "ann-pw"), ("bob", "bob-pw")
ORCA = "Where will Orca Drive open a motor plant?"


class WorkspaceApp:
    """The app process over one home; :meth:`restart` stops it and starts it again."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home, self.env = home, env
        self._stack = ExitStack()
        self.url = self._stack.enter_context(app_process(home, env))

    def restart(self) -> None:
        self._stack.close()
        self._stack = ExitStack()
        self.url = self._stack.enter_context(app_process(self.home, self.env))

    def bot(self) -> Assistant:
        return Assistant(Settings(home=self.home))


@pytest.fixture(scope="module")
def workspace_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkspaceApp]:
    root = tmp_path_factory.mktemp("workspace_app")
    for name, (title, date, body) in WORKSPACE_DOCS.items():
        write_markdown(root / "corpus", name, title, body, date=date)
    home = root / "home"
    assert Assistant(Settings(home=home)).index([root / "corpus"]).documents == 3
    users = root / "users.txt"
    users.write_text(f"{ANN[0]}:{ANN[1]}\n{BOB[0]}:{BOB[1]}\n", encoding="utf-8")
    app = WorkspaceApp(home, {"EVCHAT_AUTH": str(users)})
    yield app
    app._stack.close()


def sidebar_titles(page: Any) -> list[str]:
    page.wait_for_timeout(500)  # the list follows each answer
    return [t.split(" · ")[0] for t in page.locator("#conversations label").all_inner_texts()]


def test_two_users_histories_are_separate(chromium: Any, workspace_app: WorkspaceApp) -> None:
    ann = open_page(chromium, workspace_app.url, ANN)
    bob = open_page(chromium, workspace_app.url, BOB)
    assert "Zaragoza" in ask(ann, VOLTA).inner_text()
    bob.reload()
    bob.locator("#question textarea").wait_for()
    bob.get_by_text("Your conversations will be listed here.").wait_for()
    assert sidebar_titles(bob) == []
    assert "300" in ask(bob, KESTREL).inner_text()
    ann.reload()
    ann.locator("#conversations label").first.wait_for()
    assert sidebar_titles(ann) == [VOLTA]
    assert sidebar_titles(bob) == [KESTREL]
    ann.context.close()
    bob.context.close()


def test_feedback_is_stored_and_exported(
    chromium: Any, workspace_app: WorkspaceApp, tmp_path: Path
) -> None:
    page = open_page(chromium, workspace_app.url, ANN)
    ask(page, KESTREL)
    ask(page, UNANSWERABLE).locator(".evchat-refusal").wait_for()
    page.locator("#feedback").get_by_text("Feedback on an answer").click()
    page.locator("#chatbot button[aria-label='Like']").nth(1).click()  # the refusal is right
    page.locator("#feedback-target").get_by_text("· marked right").wait_for()
    page.locator("#chatbot button[aria-label='Dislike']").nth(0).click()
    page.locator("#feedback-target").get_by_text("· marked wrong").wait_for()
    assert "Answer 1" in page.locator("#feedback-target").inner_text()
    page.locator("#wrong-citations label").first.click()
    page.locator("#right-answer textarea").fill("300 electric trucks")
    screenshot(page, "feedback.png", "screenshot-feedback.png")
    page.locator("#feedback-save").click()
    page.get_by_text("Feedback on answer 1 saved.").wait_for()
    rated = [t for _c, t in workspace_app.bot().history_store.with_feedback("ann")]
    assert [(t.question, t.feedback.verdict) for t in rated if t.feedback] == [
        (KESTREL, "down"),
        (UNANSWERABLE, "up"),
    ]
    assert rated[0].feedback is not None and rated[0].feedback.wrong_citations == (1,)
    report = export_feedback(workspace_app.bot(), tmp_path / "set", user="ann")
    cases = {c["question_type"]: c for c in load_jsonl(tmp_path / "set" / "questions.jsonl")}
    assert report.questions == 2
    assert cases["feedback_corrected"]["answer"] == "300 electric trucks"
    assert cases["feedback_unanswerable"]["question"] == UNANSWERABLE
    page.context.close()


def test_export_downloads(chromium: Any, workspace_app: WorkspaceApp) -> None:
    page = open_page(chromium, workspace_app.url, BOB)
    ask(page, VOLTA)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#chatbot button[aria-label='Copy message']").nth(1).click()  # the answer's
    copied = page.evaluate("navigator.clipboard.readText()")
    assert (
        copied.startswith(("Zaragoza — Volta Iberia", "Volta Iberia"))  # short answer or not
        and copied.endswith("[1]")
        and "<" not in copied
    )
    page.locator("#conversation-tools").get_by_text("This conversation").click()
    with page.expect_download() as md_download:
        page.locator("#download-md").click()
    md = Path(md_download.value.path()).read_text(encoding="utf-8")
    assert md_download.value.suggested_filename.endswith(".md")
    assert md.startswith(f"# {VOLTA}") and "## 1. " in md and "**Sources**" in md
    assert (
        "1. **Volta Iberia picks Zaragoza for its first cell plant** — Test Wire · 2025-03-04" in md
    )
    with page.expect_download() as json_download:
        page.locator("#download-json").click()
    data = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert data["user"] == "bob" and data["turns"][0]["question"] == VOLTA
    assert data["turns"][0]["answer"]["citations"][0]["doc_id"] == "volta.md"
    page.context.close()


def choose_collection(page: Any, name: str) -> None:
    page.get_by_role("tab", name="Documents").click()
    page.locator("#collection-select input").click()
    page.get_by_role("option", name=name, exact=True).click()
    page.locator("#current-collection").get_by_text(f"Collection: {name}").wait_for()


def test_switching_collections_changes_the_answers_sources(
    chromium: Any, workspace_app: WorkspaceApp, tmp_path: Path
) -> None:
    page = open_page(chromium, workspace_app.url, ANN)
    page.get_by_role("tab", name="Documents").click()
    page.locator("#collection-name input, #collection-name textarea").first.fill("briefs")
    page.locator("#collection-create").click()
    page.locator("#current-collection").get_by_text("Collection: briefs").wait_for()
    doc = write_markdown(
        tmp_path, "orca.md", "Orca Drive picks Ontario",
        "Orca Drive will open a motor plant in Ontario in 2027, the company said.",
    )  # fmt: skip
    page.locator("#upload input[type=file]").set_input_files([str(doc)])
    page.locator("#upload").get_by_text("orca").first.wait_for()
    page.locator("#index-btn").click()
    page.locator("#report .evchat-report").wait_for(timeout=120_000)
    assert "added 1" in page.locator("#report").inner_text()
    answer = ask(page, ORCA)
    assert "Ontario" in answer.inner_text()
    assert page.locator("#passage-panel li.source[data-doc='orca.md']").count() == 1
    choose_collection(page, "evchat")
    assert page.locator("#chatbot .evchat-turn").count() == 0  # a new chat came with it
    assert ask(page, ORCA).locator(".evchat-refusal").count() == 1  # evchat has no such plant
    assert "Zaragoza" in ask(page, VOLTA).inner_text()
    assert page.locator("#passage-panel li.source[data-doc='volta.md']").count() == 1
    page.reload()
    page.locator("#current-collection").get_by_text("Collection: evchat").wait_for()
    choose_collection(page, "briefs")
    page.reload()  # the choice is remembered by the browser
    page.locator("#current-collection").get_by_text("Collection: briefs").wait_for()
    page.context.close()


def test_history_survives_a_restart(chromium: Any, workspace_app: WorkspaceApp) -> None:
    page = open_page(chromium, workspace_app.url, BOB)
    ask(page, KESTREL)
    page.context.close()
    workspace_app.restart()
    page = open_page(chromium, workspace_app.url, BOB)
    page.locator("#conversations label").first.wait_for()
    assert KESTREL in sidebar_titles(page) and VOLTA in sidebar_titles(page)
    page.locator("#conversations label").filter(has_text=KESTREL).first.click()
    bubble = page.locator("#chatbot .evchat-turn").first
    bubble.locator("a.cite").first.wait_for()
    assert "300 electric trucks" in bubble.inner_text()
    bubble.locator("a.cite").first.click()
    entry = page.locator("#passage-panel li.source.active")
    entry.wait_for()
    assert "300 electric trucks" in entry.locator("mark").inner_text()
    assert "Kestrel Freight orders electric trucks" in entry.inner_text()
    follow = ask(page, "Where will the trucks drive?")
    # Known miss of the learned sentence model: it may quote the order sentence of the same
    # article rather than "The trucks will serve routes between Aarhus and Hamburg."; the
    # follow-up must at least stay on the cited article (or refuse).
    text = follow.inner_text()
    assert "Aarhus" in text or "Kestrel" in text or follow.locator(".evchat-refusal").count() == 1
    page.wait_for_timeout(600)
    screenshot(page, "history.png")  # docs/: test_first_hour_browser
    turns = [len(t) for t in [workspace_app.bot().conversations("bob").open(
        workspace_app.bot().conversations("bob").list()[0].id).turns]]  # fmt: skip
    assert turns == [2]
    page.context.close()
