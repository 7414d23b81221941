"""``evchat feeds`` and ``evchat mcp``/``watch`` argument handling, in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from tests.fixtures.feeds import Item, NewsSite, article_page, rss2

SYNC_KEYS = {"feeds", "new", "updated", "unchanged", "failed", "embedded", "seconds"}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private EVCHAT_HOME, feeds without host delay."""
    monkeypatch.setenv("EVCHAT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EVCHAT_FEEDS_HOST_DELAY_S", "0")
    return tmp_path / "home"


def test_feeds_add_list_sync_remove(
    home: Path, news_site: NewsSite, capsys: pytest.CaptureFixture[str]
) -> None:
    news_site.put("/a.html", article_page("Sodium cells", ["CATL showed its Naxtra cells."]))
    news_site.put("/feed.xml", rss2(news_site, "Wire", [Item("A", "/a.html", "2025-04-21", "s")]))
    url = news_site.url("/feed.xml")
    assert main(["feeds", "add", url, "--name", "Battery Wire"]) == 0
    assert "following" in capsys.readouterr().out
    assert main(["feeds", "sync", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) >= SYNC_KEYS
    assert (report["feeds"], report["new"], report["failed"]) == (1, 1, [])
    assert main(["feeds", "list", "--json"]) == 0
    [feed] = json.loads(capsys.readouterr().out)
    assert (feed["url"], feed["name"], feed["status"], feed["entries"]) == (
        url, "Battery Wire", "ok", 1,
    )  # fmt: skip
    assert main(["feeds", "sync"]) == 0
    captured = capsys.readouterr()
    assert "1 feeds read: 0 new, 0 updated, 1 unchanged, 0 failed" in captured.out
    assert "[0/1] Reading Battery Wire" in captured.err
    assert main(["feeds", "remove", url]) == 0
    assert "1 of its articles deleted" in capsys.readouterr().out
    assert main(["feeds", "list"]) == 0
    assert "no feeds" in capsys.readouterr().out


def test_a_failed_feed_is_one_line_on_stderr(
    home: Path, news_site: NewsSite, capsys: pytest.CaptureFixture[str]
) -> None:
    news_site.put("/bad.xml", "not a feed at all", content_type="text/plain")
    main(["feeds", "add", news_site.url("/bad.xml")])
    capsys.readouterr()
    assert main(["feeds", "sync", "--json"]) == 1  # the only feed could not be read
    captured = capsys.readouterr()
    [line] = captured.err.strip().splitlines()
    assert line.startswith(f"failed: {news_site.url('/bad.xml')}: not a valid RSS or Atom feed")
    assert json.loads(captured.out)["failed"][0]["url"] == news_site.url("/bad.xml")
    news_site.put("/a.html", article_page("Sodium cells", ["CATL showed its Naxtra cells."]))
    news_site.put("/ok.xml", rss2(news_site, "Wire", [Item("A", "/a.html", "2025-04-21", "s")]))
    main(["feeds", "add", news_site.url("/ok.xml")])
    capsys.readouterr()
    assert main(["feeds", "sync"]) == 0  # one feed of two read: the run did its job


def test_user_errors_exit_2_with_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feeds", "add", "example.org/feed"]) == 2
    assert capsys.readouterr().err.strip() == (
        "evchat: A feed address must start with http:// or https:// (got 'example.org/feed')."
    )
    assert main(["feeds", "remove", "https://example.org/feed.xml"]) == 2
    assert "No feed https://example.org/feed.xml is followed" in capsys.readouterr().err
    assert main(["watch", str(home / "missing")]) == 2
    assert "not a folder" in capsys.readouterr().err
