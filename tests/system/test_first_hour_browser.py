"""What a newcomer meets in the first hour, in a real browser (Debian chromium): the login
page names the product and logging out returns to it; a reload opens the conversation that
was open (a first visit's empty chat says what to do); the conversation list scrolls and keeps its
buttons in view; the source panel never covers "Filters and options"; document text shows
as plain text (no ``##`` or ``*``, no headings from passages); no icon needs an emoji font;
a text file's own title and "Published" date reach the documents list; Index twice stores
one file.

One app behind a login over the indexed samples serves the module; ``ann`` has many saved
conversations, ``newcomer`` none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from assistant import Assistant, Settings
from tests.fixtures.app import app_process
from tests.fixtures.browser import CHROMIUM, ask, screenshot
from tests.paths import REPO

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
ANN, NEWCOMER = ("ann", "ann-pw"), ("newcomer", "new-pw")
SAVED = 24  # ann's conversations: more than the sidebar shows without scrolling
LONG_PASSAGE_Q = "What did BYD sign in Turkey in July 2024?"  # "*Update (July 2024):*"
HEADINGS_Q = "Which Chinese carmaker did Volkswagen turn to?"  # "## Volkswagen turns to Xpeng"
REFUSED_Q = "What did Zorblax Motors say about its hyperdrive sedan?"
INDEX_TIMEOUT_MS = 120_000
# Symbols that only an emoji or symbol font draws: technical, enclosed, miscellaneous
# symbols and dingbats (⛔ ⚠ ✓), emoji. Arrows and geometric shapes (Gradio's own ▼) are
# in every common text font.
FONT_SYMBOLS = re.compile(
    "[\u2300-\u23ff\u2460-\u24ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]"
)
VIEWPORTS = [(1400, 1000), (1280, 720)]


@pytest.fixture(scope="module")
def first_hour_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("first_hour")
    home = root / "home"
    bot = Assistant(Settings(home=home))
    bot.index([REPO / "samples"])
    chats = bot.conversations(ANN[0])
    for i in range(SAVED):
        chats.new().ask(f"Where is BYD building its first European car plant? ({i + 1})")
    users = root / "users.txt"
    users.write_text(f"{ANN[0]}:{ANN[1]}\n{NEWCOMER[0]}:{NEWCOMER[1]}\n", encoding="utf-8")
    with app_process(home, {"EVCHAT_AUTH": str(users)}) as url:
        yield url


def login_page(chromium: Any, url: str, size: tuple[int, int] = VIEWPORTS[0]) -> Any:
    context = chromium.new_context(
        viewport={"width": size[0], "height": size[1]}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.locator("input[type=password]").wait_for()
    return page


def log_in(page: Any, user: tuple[str, str]) -> None:
    page.locator("input[data-testid=textbox]").fill(user[0])
    page.locator("input[type=password]").fill(user[1])
    page.get_by_role("button", name="Login").click()
    page.locator("#question textarea").wait_for()


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not displayed"
    return found


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def no_markdown_syntax(text: str) -> None:
    assert "##" not in text, text
    assert "*" not in text, text


def test_login_names_the_product_and_logout_returns_to_it(
    chromium: Any, first_hour_app: str
) -> None:
    page = login_page(chromium, first_hour_app)
    try:
        login_text = page.locator("body").inner_text()
        assert "evchat" in login_text
        assert "pause for 1 s, doubling with each further failure up to 60 s" in login_text
        log_in(page, NEWCOMER)
        expect(page.locator("#signed-in-as")).to_contain_text("Signed in as newcomer")
        # A first visit: no conversation yet, and the chat says what to do.
        expect(page.locator("#chatbot")).to_contain_text("No conversation open")
        page.locator("#logout").click()
        page.locator("input[type=password]").wait_for()
        assert "evchat" in page.locator("body").inner_text()
        page.goto(first_hour_app)  # the session is gone: the login page again
        page.locator("input[type=password]").wait_for()
        assert page.locator("#question textarea").count() == 0
    finally:
        page.context.close()


def test_reload_reopens_the_conversation_and_the_list_scrolls(
    chromium: Any, first_hour_app: str
) -> None:
    page = login_page(chromium, first_hour_app, VIEWPORTS[1])
    try:
        log_in(page, ANN)
        answer = ask(page, LONG_PASSAGE_Q)
        assert "Turkey" in answer.inner_text()
        checked = page.locator("#conversations input:checked")
        expect(checked).to_have_count(1)  # listed once the browser has kept its id
        page.reload()
        page.locator("#question textarea").wait_for()
        page.locator("#chatbot .evchat-turn").first.wait_for()  # opened without a click
        assert LONG_PASSAGE_Q in page.locator("#chatbot").inner_text()
        expect(checked).to_have_count(1)
        # The list scrolls inside the sidebar; the conversation's tools stay in view.
        wrap = page.locator("#conversations .wrap:not([data-testid=status-tracker])").first
        assert wrap.evaluate("e => e.scrollHeight > e.clientHeight + 10")
        page.locator("#conversation-tools").get_by_text("This conversation").click()
        for button in ("#chat-rename", "#chat-delete", "#download-md"):
            b = box(page, button)
            assert b["y"] + b["height"] <= 720, (button, b)
        screenshot(page, "history-1280x720.png", "screenshot-history.png")
    finally:
        page.context.close()


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_source_panel_never_covers_the_filters(
    chromium: Any, first_hour_app: str, size: tuple[int, int]
) -> None:
    page = login_page(chromium, first_hour_app, size)
    try:
        log_in(page, NEWCOMER)
        ask(page, HEADINGS_Q)
        page.locator("#chatbot .evchat-turn").last.locator("a.cite").first.click()
        page.locator("#passage-panel section:not([hidden]) li.source").first.wait_for()
        page.locator("#filters").get_by_text("Filters and options").click()
        page.get_by_label("As of (YYYY-MM-DD)").wait_for()
        content = page.locator("#passage-panel .evchat-panel")
        # A long passage scrolls inside the panel, clipped by it, instead of running on.
        assert content.evaluate("e => e.scrollHeight > e.clientHeight"), "no long passage"
        assert content.evaluate("e => getComputedStyle(e).overflowY") in ("auto", "scroll")
        for scroll in (0, 300, 800):
            page.evaluate(f"window.scrollTo(0, {scroll})")
            page.wait_for_timeout(200)
            panel, filters = box(page, "#passage-panel"), box(page, "#filters")
            text = box(page, "#passage-panel .evchat-panel")
            assert not overlap(panel, filters), (scroll, panel, filters)
            assert not overlap(text, filters), (scroll, text, filters)
            assert text["y"] + text["height"] <= filters["y"] + 1
            # What is drawn at the filters' title is the filters, not passage text.
            x, y = filters["x"] + 20, filters["y"] + 12
            if 0 <= y < size[1]:
                assert page.evaluate(
                    f"document.elementFromPoint({x}, {y}).closest('#filters') !== null"
                ), (scroll, x, y)
        page.evaluate("window.scrollTo(0, 0)")
        if size == VIEWPORTS[0]:
            page.wait_for_timeout(400)
            screenshot(page, "chat-1400x1000.png", "screenshot-chat.png")
    finally:
        page.context.close()


def test_document_text_shows_no_markdown_and_no_icon_needs_a_font(
    chromium: Any, first_hour_app: str
) -> None:
    page = login_page(chromium, first_hour_app)
    try:
        log_in(page, NEWCOMER)
        page.locator("#history-sidebar").get_by_text("+ New chat").click()
        for question in (LONG_PASSAGE_Q, HEADINGS_Q):
            bubble = ask(page, question)
            bubble.locator("a.cite").first.click()
            no_markdown_syntax(bubble.inner_text())
            page.locator("#passage-panel section:not([hidden]) li.source").first.wait_for()
            no_markdown_syntax(page.locator("#passage-panel").inner_text())
        refusal = ask(page, REFUSED_Q).locator(".evchat-refusal")
        refusal.wait_for()
        refusal.get_by_text("Closest passages").click()
        no_markdown_syntax(refusal.inner_text())
        # No passage became a heading: the only heading in the chat is the refusal's own.
        assert page.locator("#chatbot .evchat-turn :is(h1, h2, h3)").count() == 0
        icon = refusal.locator("h4 .evchat-icon.icon-stop")
        assert icon.count() == 1
        drawn = icon.evaluate(
            "e => { const s = getComputedStyle(e); return [e.getBoundingClientRect().width,"
            " s.maskImage || s.webkitMaskImage]; }"
        )
        assert drawn[0] > 8 and "svg" in drawn[1], drawn
        shown = page.locator("body").inner_text()
        assert not FONT_SYMBOLS.findall(shown), FONT_SYMBOLS.findall(shown)
    finally:
        page.context.close()


def test_text_file_date_in_the_list_and_index_twice_stores_one(
    chromium: Any, first_hour_app: str, tmp_path: Path
) -> None:
    doc = tmp_path / "kestrel-recycling.txt"
    doc.write_text(
        "Kestrel Recycling opens its first plant in Sarnia\n"
        "Published 2026-10-15\n\n"
        "Kestrel Recycling said it recovers 300 tonnes of battery metals a year in Sarnia.\n",
        encoding="utf-8",
    )
    page = login_page(chromium, first_hour_app)
    try:
        log_in(page, NEWCOMER)
        page.get_by_role("tab", name="Documents").click()
        page.locator("#upload input[type=file]").set_input_files([str(doc)])
        page.locator("#upload").get_by_text(doc.stem).first.wait_for()
        page.locator("#index-btn").click()
        report = page.locator("#report .evchat-report")
        report.wait_for(timeout=INDEX_TIMEOUT_MS)
        assert "added 1" in report.inner_text() and "failed 0" in report.inner_text()
        # The box is emptied: a second click indexes nothing and says so.
        page.wait_for_function(
            "() => !document.querySelector('#upload').innerText.includes('kestrel-recycling')"
        )
        page.locator("#index-btn").click()
        page.get_by_text("Choose one or more files to upload first.").first.wait_for()
        assert "failed 0" in report.inner_text()
        # The same bytes under another name are already indexed, whatever the name policy.
        again = tmp_path / "kestrel-copy.txt"
        again.write_bytes(doc.read_bytes())
        page.locator("#upload input[type=file]").set_input_files([str(again)])
        page.locator("#upload").get_by_text(again.stem).first.wait_for()
        page.locator("#index-btn").click()
        page.wait_for_function(
            "() => document.querySelector('#report').innerText.includes('already indexed')",
            timeout=INDEX_TIMEOUT_MS,
        )
        assert "added 0" in report.inner_text() and "failed 0" in report.inner_text()
        table = page.locator("#docs-table")
        title = "Kestrel Recycling opens its first plant in Sarnia"
        expect(table).to_contain_text(title)
        # One row (doc id, title, date, where the date came from, source, chunks): newest.
        cells = [c.strip() for c in table.inner_text().split("\n") if c.strip()]
        assert cells.count(title) == 1, cells
        at = cells.index(title)
        assert cells[at - 1 : at + 3] == [
            "kestrel-recycling.txt",
            title,
            "2026-10-15",
            "'Published' line",
        ]
        assert "kestrel-copy" not in table.inner_text()
        assert "kestrel-recycling-2" not in table.inner_text()
        page.add_style_tag(content=".toast-wrap { display: none !important; }")  # for the picture
        screenshot(page, "documents-1400x1000.png", "screenshot-documents.png")
    finally:
        page.context.close()
