"""A PDF citation in a real browser: the cited page is shown with the quoted cell marked.

Uploads a generated report (``tests/fixtures/pdf_reports``) through the Documents tab,
asks a question answered by a table cell, clicks the citation and checks the figure of the
cited page beside the answer: the right page, a picture, and the highlight on the cell.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.browser import CHROMIUM, ask, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
REPORT = Path(__file__).resolve().parents[1] / "fixtures" / "pdf_reports"
INDEX_TIMEOUT_MS = 120_000


def test_clicking_a_pdf_citation_shows_its_page_with_the_cell_marked(
    chromium: Any, running_app: str, tmp_path: Path
) -> None:
    upload = tmp_path / "nordic-ev-outlook-2024.pdf"
    shutil.copy(REPORT / upload.name, upload)
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(30_000)
    page.goto(running_app)
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files([str(upload)])
    page.locator("#upload").get_by_text(upload.stem).first.wait_for()
    page.locator("#index-btn").click()
    page.locator("#report .evchat-report").wait_for(timeout=INDEX_TIMEOUT_MS)

    turn = ask(page, "How many battery-electric cars were registered in Norway in 2023?")
    turn.locator("a.cite").first.wait_for()
    assert "104,600" in turn.inner_text()
    turn.locator("a.cite").first.click()
    entry = page.locator("#passage-panel li.source.active")
    entry.wait_for()
    assert "nordic-ev-outlook-2024.pdf" in (entry.get_attribute("data-doc") or "")
    figure = entry.locator("figure.cited-page")
    figure.wait_for()
    assert figure.get_attribute("data-page") == "1"
    assert entry.locator("mark").inner_text().endswith("Norway, 2023: 104,600.")
    marked = (figure.get_attribute("data-marked") or "").split()
    assert {"Norway", "2023", "104,600"} <= set(marked)
    assert "138,300" not in marked  # the neighbouring cell is not highlighted
    image = figure.locator("img")
    assert image.is_visible()
    assert page.evaluate("(img) => img.naturalWidth > 500", image.element_handle())
    figure.scroll_into_view_if_needed()
    screenshot(page, "pdf-citation.png", "screenshot-pdf-citation.png")
