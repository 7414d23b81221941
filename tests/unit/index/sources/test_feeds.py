"""Feeds against a news site on 127.0.0.1: RSS 2.0, RSS 1.0 and Atom, conditional GET,
updated entries, pages that are missing, too big, too slow or not UTF-8, malformed feeds."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Assistant, Filters, Settings
from index.embed.factory import ArrayEmbedder, make_embedder
from index.errors import BadInputError, StoreUnavailableError
from index.sources import feeds as feeds_module
from index.sources.feeds import FeedSources
from index.store.collection import Collection
from tests.fixtures.corpus import make_text
from tests.fixtures.feeds import Item, NewsSite, article_page, atom, rss1, rss2


@pytest.fixture(scope="module")
def minilm() -> ArrayEmbedder:
    """The real embedding model, loaded once for the module."""
    return make_embedder(Settings())


@pytest.fixture
def make_bot(tmp_path: Path, minilm: ArrayEmbedder) -> Callable[..., Assistant]:
    """Assistants over a private home that share the module's model."""

    def make(**settings: object) -> Assistant:
        options: dict[str, object] = {"feeds_host_delay_s": 0, "feeds_timeout_s": 5, **settings}
        bot = Assistant(Settings(home=tmp_path / "home", answerer="extractive", **options))  # type: ignore[arg-type]
        bot._embedder = minilm  # one model load per module, not per test
        return bot

    return make


def _publish(site: NewsSite, prefix: str, dates: list[str], seed: int) -> list[Item]:
    items = []
    for i, date in enumerate(dates):
        path = f"/{prefix}/article-{i}.html"
        paragraphs = make_text(seed + i, paragraphs=3).split("\n\n")
        title = f"{prefix.title()} story {i}"
        site.put(path, article_page(title, paragraphs))
        items.append(Item(title, path, date, f"Summary of {prefix} {i}."))
    return items


def _chunk_texts(bot: Assistant, doc_id: str) -> list[str]:
    col = Collection.open_for_read(bot.settings)
    return [row.text for row in col.manifest.all_chunks() if row.doc_id == doc_id]


def _document_text(bot: Assistant, doc_id: str) -> str:
    """The indexed text of a document, put together from its chunks' offsets."""
    col = Collection.open_for_read(bot.settings)
    text = ""
    for row in sorted(col.manifest.all_chunks(), key=lambda r: r.start):
        if row.doc_id == doc_id:
            text = text[: row.start].ljust(row.start) + row.text
    return text


def _words(text: str) -> list[str]:
    return text.split()


@pytest.fixture
def three_feeds(news_site: NewsSite) -> dict[str, list[Item]]:
    """An RSS 2.0, an RSS 1.0 and an Atom feed of two articles each."""
    feeds = {}
    for kind, build, dates, seed in (
        ("rss2", rss2, ["2024-03-04", "2024-05-20"], 10),
        ("rss1", rss1, ["2024-02-11", "2024-06-02"], 20),
        ("atom", atom, ["2024-01-15", "2024-04-30"], 30),
    ):
        items = _publish(news_site, kind, dates, seed)
        news_site.put(f"/{kind}.xml", build(news_site, f"{kind.upper()} Wire", items),
                      content_type="application/xml")  # fmt: skip
        feeds[kind] = items
    return feeds


def _follow_all(bot: Assistant, site: NewsSite, kinds: list[str]) -> None:
    for kind in kinds:
        bot.feeds.add(site.url(f"/{kind}.xml"))


def test_sync_indexes_every_kind_of_feed_with_title_source_date_url(
    make_bot: Callable[..., Assistant], news_site: NewsSite, three_feeds: dict[str, list[Item]]
) -> None:
    bot = make_bot()
    _follow_all(bot, news_site, list(three_feeds))
    report = bot.feeds.sync()
    assert report.failed == [] and report.summaries == []
    assert (report.feeds, report.new, report.updated, report.unchanged) == (3, 6, 0, 0)
    assert report.embedded > 0
    docs = {d.doc_id: d for d in bot.documents()}
    for kind, items in three_feeds.items():
        for item in items:
            doc = docs[news_site.url(item.path)]
            assert doc.title == item.title
            assert doc.source == f"{kind.upper()} Wire"
            assert doc.published_at == item.date
    text = _document_text(bot, news_site.url("/atom/article-0.html"))
    assert _words(text) == _words("Atom story 0 " + make_text(30, paragraphs=3))  # headline, body
    assert "All rights reserved" not in text and "Markets" not in text
    assert all("evchat" in agent for agent in news_site.user_agents)


def test_as_of_and_date_filters_apply_to_feed_articles(
    make_bot: Callable[..., Assistant], news_site: NewsSite, three_feeds: dict[str, list[Item]]
) -> None:
    bot = make_bot()
    _follow_all(bot, news_site, list(three_feeds))
    bot.feeds.sync()
    question = "What did the carmakers say about batteries, plants and charging?"
    early = {p.published_at for p in bot.search(question, k=20, as_of="2024-03-01")}
    assert early and all(d is not None and d <= "2024-03-01" for d in early)
    window = bot.search(question, k=20, filters=Filters(date_from="2024-04-01"))
    assert window and all((p.published_at or "") >= "2024-04-01" for p in window)
    assert {p.url for p in window} <= {p.doc_id for p in window}  # the URL is kept


def test_second_sync_is_conditional_and_embeds_nothing(
    make_bot: Callable[..., Assistant], news_site: NewsSite, three_feeds: dict[str, list[Item]]
) -> None:
    bot = make_bot()
    _follow_all(bot, news_site, list(three_feeds))
    bot.feeds.sync()
    again = bot.feeds.sync()
    assert (again.new, again.updated, again.unchanged, again.embedded) == (0, 0, 6, 0)
    assert again.failed == []
    for kind in three_feeds:
        assert news_site.hits(f"/{kind}.xml") == [200, 304]
        assert news_site.hits(f"/{kind}/article-0.html") == [200]  # not fetched again
    assert {f.status for f in bot.feeds.list()} == {"not modified"}


def test_unchanged_entries_of_a_changed_feed_are_not_fetched_again(
    make_bot: Callable[..., Assistant], news_site: NewsSite
) -> None:
    items = _publish(news_site, "rss2", ["2024-03-04", "2024-05-20"], 10)
    news_site.put("/rss2.xml", rss2(news_site, "Wire", items[:1]))
    bot = make_bot()
    bot.feeds.add(news_site.url("/rss2.xml"))
    bot.feeds.sync()
    news_site.put("/rss2.xml", rss2(news_site, "Wire", items))
    report = bot.feeds.sync()
    assert (report.new, report.unchanged) == (1, 1)
    assert news_site.hits("/rss2/article-0.html") == [200]


def test_an_updated_entry_replaces_its_chunks(
    make_bot: Callable[..., Assistant], news_site: NewsSite
) -> None:
    items = _publish(news_site, "rss2", ["2024-03-04", "2024-05-20"], 10)
    news_site.put("/rss2.xml", rss2(news_site, "Wire", items))
    bot = make_bot()
    bot.feeds.add(news_site.url("/rss2.xml"), name="Example Wire")
    bot.feeds.sync()
    url = news_site.url(items[0].path)
    old = _chunk_texts(bot, url)
    new_text = make_text(99, paragraphs=3)
    news_site.put(items[0].path, article_page(items[0].title, new_text.split("\n\n")))
    changed = Item(items[0].title + " (corrected)", items[0].path, "2024-03-05", "Corrected.")
    news_site.put("/rss2.xml", rss2(news_site, "Wire", [changed, items[1]]))
    report = bot.feeds.sync()
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    assert _words(_document_text(bot, url)) == _words(items[0].title + " " + new_text)
    assert not set(old) & set(_chunk_texts(bot, url))
    doc = next(d for d in bot.documents() if d.doc_id == url)
    assert (doc.title, doc.published_at, doc.source) == (
        changed.title,
        "2024-03-05",
        "Example Wire",
    )
    store = Collection.open_for_read(bot.settings).store
    assert store.existing_ids() == Collection.open_for_read(bot.settings).manifest.chunk_ids()


def test_a_page_that_cannot_be_fetched_indexes_the_entry_summary(
    make_bot: Callable[..., Assistant], news_site: NewsSite
) -> None:
    items = _publish(news_site, "rss2", ["2024-03-04", "2024-05-20"], 10)
    news_site.remove(items[1].path)
    news_site.put("/rss2.xml", rss2(news_site, "Wire", items))
    bot = make_bot()
    bot.feeds.add(news_site.url("/rss2.xml"))
    report = bot.feeds.sync()
    assert report.new == 2 and report.failed == []
    [note] = report.summaries
    assert note.url == news_site.url(items[1].path)
    assert note.error == "page not fetched (HTTP 404 Not Found); indexed the feed's summary instead"
    assert _chunk_texts(bot, note.url) == [items[1].summary]
    [feed] = bot.feeds.list()
    assert (feed.status, feed.error) == ("ok", "1 article page(s) not fetched")
    # The next sync tries the page again, and the full article replaces the summary.
    news_site.put(items[1].path, article_page("Back", ["The page is back with the full text."]))
    again = bot.feeds.sync()
    assert again.updated == 1 and again.summaries == []
    assert _chunk_texts(bot, note.url) == ["Back\n\nThe page is back with the full text."]


def test_a_removed_page_keeps_the_indexed_article(
    make_bot: Callable[..., Assistant], news_site: NewsSite
) -> None:
    items = _publish(news_site, "rss2", ["2024-03-04"], 10)
    news_site.put("/rss2.xml", rss2(news_site, "Wire", items))
    bot = make_bot()
    bot.feeds.add(news_site.url("/rss2.xml"))
    bot.feeds.sync()
    url = news_site.url(items[0].path)
    before = _chunk_texts(bot, url)
    news_site.remove(items[0].path)
    edited = Item(items[0].title, items[0].path, items[0].date, "A new summary.")
    news_site.put("/rss2.xml", rss2(news_site, "Wire", [edited]))
    report = bot.feeds.sync()
    assert [(f.url, f.error) for f in report.failed] == [
        (url, "page not fetched (HTTP 404 Not Found); the indexed copy is kept")
    ]
    assert _chunk_texts(bot, url) == before


def test_a_malformed_feed_fails_in_one_line_and_loses_nothing(
    make_bot: Callable[..., Assistant], news_site: NewsSite, three_feeds: dict[str, list[Item]]
) -> None:
    bot = make_bot()
    _follow_all(bot, news_site, ["rss2", "atom"])
    bot.feeds.sync()
    before = {d.doc_id for d in bot.documents()}
    news_site.put("/rss2.xml", "<html><body>Site maintenance {{ oops", content_type="text/html")
    report = bot.feeds.sync()
    [failure] = report.failed
    assert failure.url == news_site.url("/rss2.xml")
    assert failure.error.startswith("not a valid RSS or Atom feed (")
    assert "\n" not in failure.error
    assert {d.doc_id for d in bot.documents()} == before
    status = {f.url: (f.status, f.error) for f in bot.feeds.list()}
    assert status[failure.url] == ("failed", failure.error)
    assert status[news_site.url("/atom.xml")][0] == "not modified"


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_a_page_over_the_size_cap_is_not_downloaded(
    make_bot: Callable[..., Assistant], news_site: NewsSite, declared: bool
) -> None:
    items = _publish(news_site, "rss2", ["2024-03-04"], 10)
    huge = article_page("Huge", ["EV sales rose again. " * 40] * 3000)
    assert len(huge) > 2 * 1024 * 1024
    news_site.put(items[0].path, huge, declare_length=declared)
    news_site.put("/rss2.xml", rss2(news_site, "Wire", items))
    bot = make_bot(feeds_max_mb=1)
    bot.feeds.add(news_site.url("/rss2.xml"))
    report = bot.feeds.sync()
    [note] = report.summaries
    assert (
        note.error
        == "page not fetched (larger than the 1 MB limit); indexed the feed's summary instead"
    )


def test_a_slow_feed_times_out_in_one_line(
    make_bot: Callable[..., Assistant], news_site: NewsSite
) -> None:
    items = _publish(news_site, "rss2", ["2024-03-04"], 10)
    news_site.put("/slow.xml", rss2(news_site, "Slow", items), delay_s=3)
    news_site.put("/ok.xml", rss2(news_site, "Quick", items))
    bot = make_bot(feeds_timeout_s=1)
    bot.feeds.add(news_site.url("/slow.xml"))
    bot.feeds.add(news_site.url("/ok.xml"))
    report = bot.feeds.sync()
    assert [(f.url, f.error) for f in report.failed] == [
        (news_site.url("/slow.xml"), "feed not read: no answer within 1 s")
    ]
    assert report.new == 1


def test_a_page_that_trickles_past_the_time_limit_is_abandoned(
    make_bot: Callable[..., Assistant], news_site: NewsSite
) -> None:
    items = _publish(news_site, "rss2", ["2024-03-04"], 10)
    body = article_page("Slow page", ["Charging networks grew. " * 30] * 20)
    news_site.put(items[0].path, body, trickle_s=0.2)  # each 1 KB piece arrives in time
    news_site.put("/rss2.xml", rss2(news_site, "Wire", items))
    bot = make_bot(feeds_timeout_s=1)
    bot.feeds.add(news_site.url("/rss2.xml"))
    report = bot.feeds.sync()
    [note] = report.summaries
    assert note.error.startswith("page not fetched (no answer within 1 s)")


def test_non_utf8_pages_are_decoded_by_their_declared_charset(
    make_bot: Callable[..., Assistant], news_site: NewsSite
) -> None:
    header_text = "Müller’s “Škoda” plan costs €5 bn, the board said on Tuesday in Mladá Boleslav."
    meta_text = "Citroën’s new ë-C3 goes on sale in Besançon and Zürich this spring."
    page_a = article_page("Header charset", [header_text]).encode("cp1252")
    page_b = (
        article_page("Meta charset", [meta_text])
        .replace("<head>", '<head><meta charset="windows-1252">')
        .encode("cp1252")
    )
    news_site.put("/a.html", page_a, content_type="text/html; charset=windows-1252")
    news_site.put("/b.html", page_b, content_type="text/html")
    items = [Item("A", "/a.html", "2024-03-04", "a"), Item("B", "/b.html", "2024-03-05", "b")]
    feed = rss2(news_site, "Latin Wire", items).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    news_site.put("/latin.xml", feed.encode("latin-1"), content_type="application/rss+xml")
    bot = make_bot()
    bot.feeds.add(news_site.url("/latin.xml"))
    report = bot.feeds.sync()
    assert report.new == 2 and report.failed == [] and report.summaries == []
    assert _chunk_texts(bot, news_site.url("/a.html")) == ["Header charset\n\n" + header_text]
    assert _chunk_texts(bot, news_site.url("/b.html")) == ["Meta charset\n\n" + meta_text]


def test_requests_to_one_host_are_spaced_by_the_host_delay(
    make_bot: Callable[..., Assistant], news_site: NewsSite
) -> None:
    items = _publish(news_site, "rss2", ["2024-03-04", "2024-03-05"], 10)
    news_site.put("/rss2.xml", rss2(news_site, "Wire", items))
    bot = make_bot(feeds_host_delay_s=0.4)
    bot.feeds.add(news_site.url("/rss2.xml"))
    report = bot.feeds.sync()
    assert report.new == 2
    times = news_site.times
    assert len(times) == 3 and all(b - a >= 0.39 for a, b in itertools.pairwise(times))


def test_removing_a_feed_deletes_its_articles_only(
    make_bot: Callable[..., Assistant], news_site: NewsSite, three_feeds: dict[str, list[Item]]
) -> None:
    bot = make_bot()
    _follow_all(bot, news_site, ["rss2", "atom"])
    bot.feeds.sync()
    assert bot.feeds.remove(news_site.url("/rss2.xml")) == 2
    assert {d.source for d in bot.documents()} == {"ATOM Wire"}
    assert [f.url for f in bot.feeds.list()] == [news_site.url("/atom.xml")]


def test_bad_feed_addresses_are_refused_in_one_sentence(tmp_path: Path) -> None:
    feeds = FeedSources(Settings(home=tmp_path / "home"))
    with pytest.raises(BadInputError, match="must start with http:// or https://"):
        feeds.add("ftp://example.org/feed")
    feeds.add("http://127.0.0.1:9/feed.xml")
    with pytest.raises(BadInputError, match="already followed"):
        feeds.add("http://127.0.0.1:9/feed.xml")
    with pytest.raises(BadInputError, match="No feed"):
        feeds.remove("http://127.0.0.1:9/other.xml")


def test_a_sync_that_fails_while_indexing_records_nothing_and_is_done_again(
    make_bot: Callable[..., Assistant], news_site: NewsSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _publish(news_site, "rss2", ["2024-03-04", "2024-05-20"], 10)
    news_site.put("/rss2.xml", rss2(news_site, "Wire", items))
    bot = make_bot()
    bot.feeds.add(news_site.url("/rss2.xml"))

    def store_fails(*_args: object, **_kwargs: object) -> None:  # FAKE: a staged disk fault
        raise StoreUnavailableError(
            "Cannot write the manifest (disk full); the index is unchanged."
        )

    monkeypatch.setattr(feeds_module, "index_documents", store_fails)
    with pytest.raises(StoreUnavailableError):
        bot.feeds.sync()
    [feed] = bot.feeds.list()
    assert (feed.status, feed.etag, feed.entries) == ("never synced", None, 0)
    monkeypatch.undo()
    report = bot.feeds.sync()
    assert report.new == 2 and news_site.hits("/rss2.xml") == [200, 200]
