"""The background work of the web app: the scheduled feed sync (which never holds up a
question) and the folder-watch thread."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Assistant, BadInputError, FeedScheduler, Settings, WatchThread
from tests.fixtures.corpus import write_corpus
from tests.fixtures.feeds import Item, NewsSite, article_page, rss2
from tests.fixtures.indexed import tiny_assistant


def _until(check: Callable[[], bool], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def bot(tmp_path: Path) -> Assistant:
    """An Assistant over two Markdown notes, feeds without host delay."""
    docs = {"a.md": ("Ionna grows", "2024-05-01", "BMW and Toyota invest in Ionna chargers.")}
    return tiny_assistant(tmp_path, docs, feeds_host_delay_s=0)


def test_scheduled_syncs_run_on_their_own(bot: Assistant, news_site: NewsSite) -> None:
    news_site.put("/a.html", article_page("Fast chargers", ["Ionna opened 30 sites."]))
    news_site.put("/feed.xml", rss2(news_site, "Wire", [Item("A", "/a.html", "2024-06-01", "s")]))
    bot.feeds.add(news_site.url("/feed.xml"))
    scheduler = FeedScheduler(bot.feeds, interval_min=0.02)  # every 1.2 s
    scheduler.start()
    try:
        _until(lambda: news_site.hits("/feed.xml") == [200, 304])
    finally:
        scheduler.stop()
    status = scheduler.status()
    assert status.last_error is None and status.last_report is not None
    assert news_site.url("/a.html") in {d.doc_id for d in bot.documents()}


def test_questions_are_answered_while_a_sync_runs(bot: Assistant, news_site: NewsSite) -> None:
    news_site.put("/slow.xml", rss2(news_site, "Slow", []), delay_s=10)
    bot.feeds.add(news_site.url("/slow.xml"), name="Slow")
    assert bot.embedder is not None  # loaded before the race this test is not about
    scheduler = FeedScheduler(bot.feeds, interval_min=0)
    scheduler.run_now()
    try:
        _until(lambda: scheduler.status().message == "Reading Slow (0/1)", 120)
        answer = bot.ask("Who invests in Ionna chargers?")
        assert not answer.refused and "Ionna" in answer.text
        status = scheduler.status()  # the sync is still waiting for its feed
        assert status.running and status.message == "Reading Slow (0/1)"
    finally:
        scheduler.stop()
        _until(lambda: not scheduler.status().running, 30)


def test_no_interval_means_no_scheduled_sync(bot: Assistant, news_site: NewsSite) -> None:
    news_site.put("/feed.xml", rss2(news_site, "Wire", []))
    bot.feeds.add(news_site.url("/feed.xml"))
    scheduler = FeedScheduler(bot.feeds, interval_min=0)
    scheduler.start()
    time.sleep(1.0)
    scheduler.stop()
    assert news_site.hits("/feed.xml") == [] and scheduler.status().last_finished is None


def test_the_watch_thread_indexes_a_folder_and_stops(bot: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    write_corpus(folder, 2)
    watcher = WatchThread(bot)
    watcher.start(str(folder))
    try:
        _until(lambda: watcher.status().message.startswith("watching"))
        assert {"doc-000.md", "doc-001.md"} <= {d.doc_id for d in bot.documents()}
    finally:
        watcher.stop()
    assert not watcher.status().running and watcher.status().message == "not watching"
    with pytest.raises(BadInputError, match="not a folder"):
        watcher.start(str(tmp_path / "missing"))


def test_settings_name_the_feed_interval(tmp_path: Path) -> None:
    assert Settings(home=tmp_path).sources.feeds_interval_min == 60
    assert Settings(home=tmp_path, feeds_interval_min=0).sources.feeds_interval_min == 0
