"""The web app's feeds panel follows the session's collection: each collection has its
own feeds, sync and watched folder (real collections, a real feed on 127.0.0.1)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from assistant import Assistant
from tests.fixtures.corpus import write_corpus
from tests.fixtures.feeds import Item, NewsSite, article_page, rss2
from tests.fixtures.indexed import tiny_assistant
from ui.collections import CollectionBots
from ui.feeds import FeedHandlers


def _until(check: Callable[[], bool], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_feed_added_in_one_collection_syncs_into_that_collection(
    tmp_path: Path, news_site: NewsSite
) -> None:
    docs = {"a.md": ("Ionna grows", "2024-05-01", "BMW and Toyota invest in Ionna chargers.")}
    root: Assistant = tiny_assistant(tmp_path, docs, feeds_host_delay_s=0, feeds_interval_min=0)
    root.create_collection("research")
    handlers = FeedHandlers(CollectionBots(root))
    news_site.put("/a.html", article_page("Fast chargers", ["Ionna opened 30 sites in Ohio."]))
    news_site.put("/feed.xml", rss2(news_site, "Wire", [Item("A", "/a.html", "2024-06-01", "s")]))

    handlers.add(news_site.url("/feed.xml"), "", "research")
    _until(lambda: "1 new" in handlers.sync_markdown("research"))

    research = root.for_collection("research")
    assert [r[1] for r in handlers.rows("research")] == [news_site.url("/feed.xml")]
    assert handlers.rows(None) == [] and handlers.urls(root.collection_name) == []
    assert news_site.url("/a.html") in {d.doc_id for d in research.documents()}
    assert news_site.url("/a.html") not in {d.doc_id for d in root.documents()}
    assert handlers.sync_markdown(None).endswith("**last:** none yet")
    # Each collection's marker moves on its own, so only its Documents list refreshes.
    assert handlers.written_marker("research") != handlers.written_marker(None)


def test_the_watched_folder_indexes_into_the_collection_it_was_started_for(
    tmp_path: Path,
) -> None:
    docs = {"a.md": ("Ionna grows", "2024-05-01", "BMW and Toyota invest in Ionna chargers.")}
    root = tiny_assistant(tmp_path, docs, feeds_interval_min=0)
    root.create_collection("inbox")
    handlers = FeedHandlers(CollectionBots(root))
    folder = tmp_path / "dropbox"
    write_corpus(folder, 2)
    handlers.toggle_watch(str(folder), True, "inbox")
    try:
        _until(lambda: root.for_collection("inbox").stats().documents == 2)
        assert handlers.of("inbox").watcher.status().running
        assert not handlers.of(None).watcher.status().running
        assert root.stats().documents == 1
        assert "dropbox" in handlers.watch_markdown("inbox")
        assert "dropbox" not in handlers.watch_markdown(None)
    finally:
        handlers.toggle_watch(str(folder), False, "inbox")
    _until(lambda: not handlers.of("inbox").watcher.status().running, 30)


def test_what_a_new_feeds_first_sync_found_stays_after_the_next_sync(
    tmp_path: Path, news_site: NewsSite
) -> None:
    docs = {"a.md": ("Ionna grows", "2024-05-01", "BMW and Toyota invest in Ionna chargers.")}
    root: Assistant = tiny_assistant(tmp_path, docs, feeds_host_delay_s=0, feeds_interval_min=0)
    handlers = FeedHandlers(CollectionBots(root))
    items = []
    for i in range(2):
        news_site.put(f"/s{i}.html", article_page(f"Story {i}", [f"Ionna opened {i + 3} sites."]))
        items.append(Item(f"S{i}", f"/s{i}.html", f"2024-06-0{i + 1}", "s"))
    news_site.put("/feed.xml", rss2(news_site, "Wire", items))
    url = news_site.url("/feed.xml")

    handlers.add(url, "", None)
    _until(lambda: "first sync found 2 new" in handlers.sync_markdown(None))
    handlers.sync_now(None)
    _until(lambda: "0 new, 0 updated, 2 unchanged" in handlers.sync_markdown(None))
    line = handlers.sync_markdown(None)
    assert f"**Added** <{url}>: its first sync found 2 new" in line  # a link, no backslashes
    assert "\\" not in line.split("**Added**")[1]
