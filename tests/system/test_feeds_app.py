"""The feeds panel of the web app in a real browser (Debian chromium): add a feed served by
a news site on 127.0.0.1, watch it sync in the background, and see its status (what the
first sync found stays after the next one). A feed whose title carries markup shows it as
text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant import Settings
from index.ingest.pipeline import reindex
from tests.fixtures.app import _start_app
from tests.fixtures.browser import ARTIFACTS, CHROMIUM
from tests.fixtures.corpus import make_text, write_corpus
from tests.fixtures.feeds import Item, NewsSite, article_page, rss2
from tests.system.test_app_browser import browser  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]

HOSTILE = '<img src=x onerror="document.title=1">Wire'


@pytest.fixture(scope="module")
def feeds_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a home that already holds two notes (so samples are not indexed),
    with the scheduled sync off and no host delay."""
    home = tmp_path_factory.mktemp("feeds_app_home")
    write_corpus(home / "notes", 2)
    reindex([home / "notes"], Settings(home=home), show_progress=False)
    env = {"EVCHAT_FEEDS_INTERVAL_MIN": "0", "EVCHAT_FEEDS_HOST_DELAY_S": "0"}
    yield from _start_app(home, env)


def test_a_feed_added_in_the_browser_syncs_in_the_background(
    browser,  # noqa: F811
    feeds_app: str,
    news_site: NewsSite,
) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    items = []
    for i in range(2):
        news_site.put(f"/n{i}.html", article_page(f"Story {i}", make_text(40 + i).split("\n\n")))
        items.append(Item(f"Story {i}", f"/n{i}.html", f"2024-06-0{i + 1}", "summary"))
    news_site.put("/feed.xml", rss2(news_site, HOSTILE, items))
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(feeds_app)
        page.get_by_role("tab", name="Documents").click()
        expect(page.locator("#stats")).to_contain_text("Documents: 2")
        page.locator("#feed-url input, #feed-url textarea").first.fill(news_site.url("/feed.xml"))
        page.locator("#feed-add").click()
        table = page.locator("#feeds-table")
        expect(page.locator("#feed-status")).to_contain_text("2 new", timeout=120_000)
        expect(table).to_contain_text("ok")
        expect(table).to_contain_text(HOSTILE)  # the title is text, not markup
        # The documents list follows the background sync without a reload.
        expect(page.locator("#stats")).to_contain_text("Documents: 4", timeout=30_000)
        expect(page.locator("#docs-table")).to_contain_text("Story 1")
        assert page.title() != "1"
        # The first sync's finding stays on the page after the next sync, URL without
        # backslashes ("http://127\.0\.0\.1" was shown).
        status = page.locator("#feed-status")
        expect(status).to_contain_text(
            f"Added {news_site.url('/feed.xml')}: its first sync found 2 new"
        )
        page.locator("#feed-sync").click()
        expect(status).to_contain_text("0 new, 0 updated, 2 unchanged", timeout=120_000)
        assert "its first sync found 2 new" in status.inner_text()
        assert "\\" not in status.inner_text()
        page.screenshot(path=str(ARTIFACTS / "feeds-panel.png"), full_page=True)
    finally:
        context.close()
