"""``Assistant.document_file`` / ``document_path``: only files inside the collection's
uploads are handed out, and every refusal says why in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import Assistant, DocumentFileError
from tests.fixtures.feeds import Item, NewsSite, article_page, rss2
from tests.fixtures.indexed import tiny_assistant
from tests.fixtures.workspace import WORKSPACE_DOCS

REPORT = Path(__file__).resolve().parents[2] / "fixtures" / "pdf_reports"
PDF = REPORT / "nordic-ev-outlook-2024.pdf"


def _bot(tmp_path: Path) -> Assistant:
    bot = tiny_assistant(tmp_path, {"volta.md": WORKSPACE_DOCS["volta.md"]}, feeds_host_delay_s=0)
    bot.uploads_dir.mkdir(parents=True)
    return bot


def _refusal(bot: Assistant, doc_id: str) -> str:
    with pytest.raises(DocumentFileError) as caught:
        bot.document_path(doc_id)
    assert bot.document_file(doc_id) is None
    message = str(caught.value)
    assert "\n" not in message and bot.collection_name in message
    return message


def test_an_uploaded_pdf_is_given_and_a_file_outside_the_uploads_is_not(tmp_path: Path) -> None:
    bot = _bot(tmp_path)
    upload = bot.uploads_dir / "nordic.pdf"
    shutil.copy(PDF, upload)
    report = bot.index([upload])
    assert report.added == 1 and not report.failed
    assert bot.document_file("nordic.pdf") == upload.resolve()
    assert bot.document_path("nordic.pdf").read_bytes() == PDF.read_bytes()
    # volta.md was indexed from a folder outside the uploads
    assert "indexed from a folder outside" in _refusal(bot, "volta.md")
    assert _refusal(bot, "no-such-doc").startswith("No document 'no-such-doc'")


def test_an_id_that_climbs_out_of_the_uploads_names_no_document(tmp_path: Path) -> None:
    bot = _bot(tmp_path)
    shutil.copy(PDF, bot.uploads_dir / "nordic.pdf")
    bot.index([bot.uploads_dir])
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    for doc_id in ["../../etc/passwd", "../secret.txt", str(secret), "nordic.pdf/../../volta.md"]:
        assert _refusal(bot, doc_id).startswith("No document")


def test_an_upload_removed_from_disk_is_not_given(tmp_path: Path) -> None:
    bot = _bot(tmp_path)
    upload = bot.uploads_dir / "nordic.pdf"
    shutil.copy(PDF, upload)
    bot.index([upload])
    upload.unlink()
    assert "deleted since it was indexed" in _refusal(bot, "nordic.pdf")


def test_a_link_in_the_uploads_to_a_file_outside_is_not_given(tmp_path: Path) -> None:
    bot = _bot(tmp_path)
    outside = tmp_path / "elsewhere.pdf"
    shutil.copy(PDF, outside)
    link = bot.uploads_dir / "linked.pdf"
    link.symlink_to(outside)
    bot.index([bot.uploads_dir])
    assert "linked.pdf" in {d.doc_id for d in bot.documents()}
    assert "a link to a file outside" in _refusal(bot, "linked.pdf")
    # Once the link is replaced by the file itself, it is given.
    link.unlink()
    shutil.copy(outside, link)
    assert bot.document_path("linked.pdf") == link.resolve()


def test_a_file_of_another_collections_uploads_is_not_given(tmp_path: Path) -> None:
    bot = _bot(tmp_path)
    shutil.copy(PDF, bot.uploads_dir / "nordic.pdf")
    bot.index([bot.uploads_dir])
    bot.create_collection("drafts")
    drafts = bot.for_collection("drafts")
    drafts.index([bot.uploads_dir / "nordic.pdf"])  # indexed in place, not uploaded to drafts
    assert "nordic.pdf" in {d.doc_id for d in drafts.documents()}
    assert "indexed from a folder outside" in _refusal(drafts, "nordic.pdf")
    assert bot.document_file("nordic.pdf") is not None


def test_a_web_article_has_no_file_and_names_its_link(tmp_path: Path, news_site: NewsSite) -> None:
    bot = _bot(tmp_path)
    news_site.put("/a.html", article_page("Fast chargers", ["Ionna opened 30 sites in Ohio."]))
    news_site.put("/feed.xml", rss2(news_site, "Wire", [Item("A", "/a.html", "2024-06-01", "s")]))
    bot.feeds.add(news_site.url("/feed.xml"))
    bot.feeds.sync()
    article = news_site.url("/a.html")
    assert article in {d.doc_id for d in bot.documents()}
    message = _refusal(bot, article)
    assert "web article" in message and message.endswith(f"{article}.")
