"""The "Open the document" link in a real browser, behind the app's login (``auth_app``).

Uploads a generated PDF report and a Word file through the Documents tab, asks a question
answered from the report, clicks "Open the document" under the citation and checks that
the tab it opens received the uploaded bytes; the Word file's row in the Documents tab
downloads the uploaded bytes. The same address without a login (a plain HTTP request, and
a browser that has not logged in) is refused, and a logged-in request for a file outside
the uploads gets one line. A citation of a bundled sample (indexed from ``samples/``, not
uploaded) says why it cannot be opened.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import CHROMIUM, ask, open_page, upload_and_index

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPORT = FIXTURES / "pdf_reports" / "nordic-ev-outlook-2024.pdf"
LOGIN = ("user", "pass")  # auth_app's EVCHAT_AUTH


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Kestrel fleet memo", level=1)
    document.add_paragraph("Kestrel Logistics ordered 140 electric vans for its Leeds depot.")
    # The newest document, so its row is the table's first (the table shows only a few).
    document.core_properties.created = dt.datetime(2026, 11, 2, 9, 0)
    document.save(str(path))
    return path


def _opened_bytes(page: Any, link: Any) -> bytes:
    """Click ``link`` (it opens a new tab) and return the bytes the server sent that tab.

    Chromium's PDF viewer hands the page a stub of its own in place of the body, so the
    request is passed on through a route that keeps the server's answer as it came."""
    bodies: list[bytes] = []

    def keep(route: Any) -> None:
        answer = route.fetch()
        assert answer.status == 200, answer.status
        bodies.append(answer.body())
        route.fulfill(response=answer)

    page.context.route("**/evchat/document?*", keep)
    try:
        with page.context.expect_page() as tab_info:
            link.click()
        tab = tab_info.value
        tab.wait_for_load_state()
        assert "/evchat/document?" in tab.url
        tab.close()
    finally:
        page.context.unroute("**/evchat/document?*", keep)
    assert len(bodies) == 1
    return bodies[0]


def _download(page: Any, link: Any) -> Any:
    """Click ``link``, whose new tab downloads the file (and closes): the download."""
    downloads: list[Any] = []

    def keep(download: Any) -> None:
        downloads.append(download)

    page.context.on("page", lambda tab: tab.on("download", keep))
    page.on("download", keep)
    link.click()
    deadline = time.monotonic() + 30
    while not downloads:
        assert time.monotonic() < deadline, "no download started"
        page.wait_for_timeout(100)
    return downloads[0]


def test_open_the_document_gives_the_upload_and_only_to_a_logged_in_user(
    chromium: Any, auth_app: str, tmp_path: Path
) -> None:
    report = tmp_path / REPORT.name
    shutil.copy(REPORT, report)
    memo = _docx(tmp_path / "kestrel-memo.docx")
    page = open_page(chromium, auth_app, LOGIN)
    assert "failed 0" in upload_and_index(page, [report, memo])

    turn = ask(page, "How many battery-electric cars were registered in Norway in 2023?")
    turn.locator("a.cite").first.click()
    entry = page.locator("#passage-panel li.source.active")
    assert entry.get_attribute("data-doc") == report.name
    link = entry.locator("a.open-doc")
    expect(link).to_have_text("Open the document")
    href = link.get_attribute("href") or ""
    assert _opened_bytes(page, link) == REPORT.read_bytes()

    # The Documents tab's row of the Word file downloads the file as it was uploaded.
    page.get_by_role("tab", name="Documents").click()
    cell = page.locator(f'#docs-table a[href$="doc={memo.name}"]').first
    expect(cell).to_have_text("Open the document")
    download = _download(page, cell)
    assert download.suggested_filename == memo.name
    assert Path(download.path()).read_bytes() == memo.read_bytes()

    # Without a login: refused, for a plain HTTP client and for a browser.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(auth_app + href, timeout=30)
    assert refused.value.code == 401 and REPORT.read_bytes() not in refused.value.read()
    stranger = chromium.new_context()
    try:
        anonymous = stranger.request.get(auth_app + href)
        assert anonymous.status == 401 and anonymous.body() != REPORT.read_bytes()
    finally:
        stranger.close()
    # Logged in, a path out of the uploads is no document at all.
    climbing = page.request.get(auth_app + href.replace(report.name, "../../etc/passwd"))
    assert climbing.status == 404 and climbing.text().startswith("No document '../../etc/passwd'")

    # A bundled sample was indexed from samples/, not uploaded: the panel says so.
    turn = ask(page, "Which automaker became the eighth investor in Ionna?")
    turn.locator("a.cite").first.click()
    said = page.locator("#passage-panel li.source.active .open-doc")
    expect(said).to_contain_text("indexed from a folder outside the collection's uploads")
    page.context.close()
