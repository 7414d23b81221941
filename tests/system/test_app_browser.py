"""The web app in a real browser (Debian chromium via Playwright's sync API).

Asks a sample-corpus question and follows a citation from the answer in the chat to its
passage in the panel beside it, uploads and indexes a new
document and gets it cited, rejects bad uploads, and checks that markup inside an
indexed document is shown as text, never run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.browser import (
    ANSWER_TIMEOUT_MS,
    CHROMIUM,
    INDEX_TIMEOUT_MS,
    ask,
    screenshot,
    upload_and_index,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    """The module's headless Debian chromium (``tests.fixtures.browser``)."""
    return chromium


@pytest.fixture()
def page(browser, running_app: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    p.set_default_timeout(30_000)
    p.goto(running_app)
    p.locator("#question textarea").wait_for()
    yield p
    context.close()


def open_filters(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("#filters").get_by_text("Filters and options").click()


def test_ask_and_follow_citation(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "Which automaker became the eighth investor in Ionna?")
    cite = page.locator("#chatbot a.cite[href='#src-1-1']").first
    cite.wait_for()
    assert "Toyota" in page.locator("#chatbot").inner_text()
    shorts = page.locator("#chatbot b.short-answer")  # shown when the show model trusts it
    assert shorts.count() == 0 or shorts.last.inner_text() == "Toyota"
    cite.click()
    entry = page.locator("#passage-panel li#src-1-1")
    entry.wait_for()
    page.wait_for_function("document.querySelector('#src-1-1').classList.contains('active')")
    mark = entry.locator("mark")
    assert mark.is_visible()
    assert mark.inner_text().strip()
    assert "ionna" in (entry.get_attribute("data-doc") or "").lower()
    assert entry.is_visible()
    page.wait_for_timeout(600)  # let the smooth scroll finish before the screenshot
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "chat.png")  # docs/: test_first_hour_browser


def test_conversation_does_not_leak_into_a_standalone_question(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "What did CATL announce about battery costs, and when?")
    first = page.locator("#chatbot .evchat-turn").nth(0).inner_text()
    assert "CATL" in first  # (known miss: the lede is quoted, not the 50% cost sentence)
    page.locator("#chatbot .evchat-turn").nth(0).locator("a.cite").first.click()
    passage = page.locator("#passage-panel li#src-1-1")
    passage.wait_for()
    assert "CATL" in passage.inner_text()  # the cited passage is the quoted one's
    ask(page, "and what about solid-state batteries?")
    second = page.locator("#chatbot .evchat-turn").nth(1).locator(".evchat-answer")
    second.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "Searched for:" in second.inner_text() and "solid-state" in second.inner_text()
    ask(page, "What did Zorblax Motors say about its hyperdrive sedan?")
    third = page.locator("#chatbot .evchat-turn").nth(2)
    third.locator(".evchat-refusal").wait_for(timeout=ANSWER_TIMEOUT_MS)
    shown = third.inner_text()
    assert "Searched for:" not in shown  # asked as written, not with the battery questions
    assert "solid-state" not in shown.split("Closest passages")[0]
    bubbles = page.locator("#chatbot").inner_text()
    assert bubbles.count("Zorblax") == 1 and "don't say" in bubbles


def test_upload_index_and_cite(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "volta-iberia-zaragoza.md"
    doc.write_text(
        "---\n"
        'title: "Volta Iberia picks Zaragoza for its first battery cell plant"\n'
        "date: 2025-03-04\n"
        'source: "evchat test upload"\n'
        "---\n\n"
        "Volta Iberia, a Spanish battery start-up, said on 4 March 2025 that it will build "
        "its first lithium iron phosphate cell plant in Zaragoza, with production due to "
        "start in 2026. The factory is planned for an initial capacity of 12 gigawatt-hours "
        "a year and about 1,400 jobs.\n\n"
        "The company said the Zaragoza site was chosen for its rail links and its access to "
        "solar power, and that carmakers with plants in Aragon are likely customers.\n",
        encoding="utf-8",
    )
    report = upload_and_index(page, [doc])
    assert "added 1" in report, report
    page.get_by_role("tab", name="Documents").click()
    page.get_by_text("volta-iberia-zaragoza.md").first.wait_for()
    screenshot(page, "documents.png")  # docs/: test_first_hour_browser

    ask(page, "Where will Volta Iberia build its battery cell plant?")
    page.locator("#chatbot a.cite").first.wait_for()
    sources = page.locator("#passage-panel")
    assert "Volta Iberia" in sources.inner_text()
    assert page.locator("#passage-panel li.source[data-doc*='volta-iberia']").count() >= 1
    assert "Zaragoza" in page.locator("#chatbot").inner_text()


def test_bad_uploads_are_rejected(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exe = tmp_path / "bad.exe"
    exe.write_bytes(b"MZ\x90\x00not really a program")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    report = upload_and_index(page, [exe, empty])
    assert "bad.exe" in report and "unsupported file type" in report, report
    assert "empty.txt" in report and "empty" in report.split("empty.txt", 1)[1], report


def test_document_markup_is_never_run(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "quillon-tromso.md"
    doc.write_text(
        "---\n"
        'title: "Quillon Motors <script>window.__pwned=1</script> opens a pilot line"\n'
        "date: 2025-02-10\n"
        "---\n\n"
        "Quillon Motors said its pilot line in Tromsø makes 4,800 sodium-ion packs a year "
        '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> '
        "[click](javascript:window.__pwned=1) for delivery vans.\n\n"
        "The Quillon Motors pilot line in Tromsø makes 4,800 sodium-ion packs a year.\n",
        encoding="utf-8",
    )
    report = upload_and_index(page, [doc])
    assert "added 1" in report, report
    ask(page, "How many sodium-ion packs does the Quillon Motors pilot line in Tromsø make?")
    page.locator("#chatbot a.cite").first.wait_for()
    assert page.locator("#passage-panel li.source[data-doc*='quillon']").count() >= 1
    page.wait_for_timeout(500)
    # the markup is shown as text...
    assert "<script>window.__pwned=1</script>" in page.locator("#passage-panel").inner_text()
    # ...and never run
    assert page.evaluate("window.__pwned") is None
    scripts = page.evaluate(
        "Array.from(document.querySelectorAll('script')).filter(s => "
        "s.textContent.includes('__pwned')).length"
    )
    assert scripts == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0


def test_options_box_makes_a_multiple_choice_question(page) -> None:  # type: ignore[no-untyped-def]
    open_filters(page)
    page.locator("#options textarea").fill("Sweden\nNorway\nDenmark")
    ask(page, "Which country's share of electric new cars reached about nine in ten in 2024?")
    text = page.locator("#chatbot .evchat-answer").inner_text()
    assert text.startswith("Norway — ") or "Norway — " in text, text
    assert page.locator("#chatbot a.cite[href='#src-1-1']").count() >= 1


def test_bad_as_of_date_warns(page) -> None:  # type: ignore[no-untyped-def]
    open_filters(page)
    page.get_by_label("As of (YYYY-MM-DD)").fill("2024-13-45")
    page.locator("#question textarea").fill("Where is BYD building its first European car plant?")
    page.locator("#ask").click()
    page.get_by_text("is not a date of the form YYYY-MM-DD").first.wait_for(timeout=20_000)
    assert page.locator("#chatbot .evchat-answer").count() == 0


def index_again(page, doc: Path) -> str:  # type: ignore[no-untyped-def]
    """Upload and index ``doc`` when a report is already shown; the new report's text."""
    before = page.locator("#report .evchat-report").inner_text()
    # Indexing emptied the upload box (no file left to index twice).
    page.wait_for_function("() => !document.querySelector(\"#upload button[aria-label='Clear']\")")
    page.locator("#upload input[type=file]").set_input_files([str(doc)])
    page.locator("#upload").get_by_text(doc.stem).first.wait_for()
    page.locator("#index-btn").click()
    page.wait_for_function(
        "(before) => { const r = document.querySelector('#report .evchat-report');"
        " return r && r.innerText !== before; }",
        arg=before,
        timeout=INDEX_TIMEOUT_MS,
    )
    return str(page.locator("#report .evchat-report").inner_text())


def test_a_taken_name_is_kept_beside_unless_replace_is_chosen(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "sarnia-depot.md"
    doc.write_text("# Sarnia depot\n\nLakeview Transit charges 12 buses in Sarnia.\n", "utf-8")
    assert "added 1" in upload_and_index(page, [doc])
    doc.write_text("# Sarnia depot\n\nLakeview Transit charges 18 buses in Sarnia.\n", "utf-8")
    report = index_again(page, doc)
    assert "added 1" in report, report  # kept beside the first, under a new name
    page.get_by_text("the upload is stored as sarnia-depot-2.md").first.wait_for()
    page.locator("#on-duplicate").get_by_label("replace").check()
    doc.write_text("# Sarnia depot\n\nLakeview Transit charges 24 buses in Sarnia.\n", "utf-8")
    report = index_again(page, doc)
    assert "added 0, updated 1" in report, report
