"""The "Open the document" link under a source and the route behind the app's login,
on a real Gradio app (its own ``/login`` and ``/gradio_api/login_check``) over a real
index, driven in-process with Starlette's test client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import gradio as gr
import pytest
from gradio.routes import App
from starlette.testclient import TestClient

from assistant import Assistant
from tests.fixtures.indexed import tiny_assistant
from tests.fixtures.workspace import WORKSPACE_DOCS
from ui.open_document import ROUTE, document_route, href, link, markdown_link

PDF = Path(__file__).resolve().parents[2] / "fixtures/pdf_reports/nordic-ev-outlook-2024.pdf"
PAGE = b"<html><body><script>alert(1)</script><p>Ionna plans 30,000 chargers.</p></body></html>"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An index with an uploaded PDF, an uploaded HTML page (an id needing escapes) and a
    Markdown file indexed from outside the uploads."""
    root = tmp_path_factory.mktemp("open_document")
    bot = tiny_assistant(root, {"volta.md": WORKSPACE_DOCS["volta.md"]})
    bot.uploads_dir.mkdir(parents=True)
    shutil.copy(PDF, bot.uploads_dir / "nordic.pdf")
    (bot.uploads_dir / "ionna & co (draft).html").write_bytes(PAGE)
    report = bot.index([bot.uploads_dir])
    assert report.added == 2 and not report.failed
    return bot


def _client(bot: Assistant, auth: list[tuple[str, str]] | None) -> Iterator[TestClient]:
    with gr.Blocks() as demo:
        gr.Markdown("evchat")
    demo.auth, demo.auth_message = auth, None  # what launch(auth=…) sets before the app
    app = App.create_app(demo, app_kwargs={"routes": [document_route(bot)]})
    with TestClient(app) as client:
        yield client


@pytest.fixture
def open_app(bot: Assistant) -> Iterator[TestClient]:
    yield from _client(bot, None)


@pytest.fixture
def login_app(bot: Assistant) -> Iterator[TestClient]:
    yield from _client(bot, [("ann", "ann-pw")])


def _login(client: TestClient, password: str) -> Any:
    return client.post("/login", data={"username": "ann", "password": password})


def test_the_link_names_the_document_of_its_own_collection(bot: Assistant) -> None:
    html = link(bot, "ionna & co (draft).html")
    assert 'class="open-doc"' in html and "Open the document" in html
    target = html.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    query = parse_qs(urlsplit(target).query)
    assert urlsplit(target).path == ROUTE
    assert query == {"collection": [bot.collection_name], "doc": ["ionna & co (draft).html"]}
    own = href(bot.collection_name, "nordic.pdf")
    assert markdown_link(bot, "nordic.pdf") == f"[Open the document]({own})"


def test_a_document_without_an_uploaded_file_links_its_article_or_says_why(bot: Assistant) -> None:
    article = link(bot, "volta.md", "https://example.com/volta")
    assert 'href="https://example.com/volta"' in article and "Open the article" in article
    for url in (None, "javascript:alert(1)"):
        said = link(bot, "volta.md", url)
        assert "<a" not in said and "indexed from a folder outside" in said
    assert "&lt;b&gt;" in link(bot, "<b>x</b>") and markdown_link(bot, "volta.md") == ""
    assert markdown_link(bot, "volta.md", "https://example.com/v(1)") == (
        "[Open the article](https://example.com/v%281%29)"
    )
    assert markdown_link(bot, "volta.md", "javascript:alert(1)") == ""


def test_without_a_login_configured_the_file_is_served_as_uploaded(
    bot: Assistant, open_app: TestClient
) -> None:
    got = open_app.get(href(bot.collection_name, "nordic.pdf"))
    assert got.status_code == 200 and got.content == PDF.read_bytes()
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("inline")
    page = open_app.get(href(bot.collection_name, "ionna & co (draft).html"))
    assert page.status_code == 200 and page.content == PAGE
    # An uploaded web page is never shown by the app's origin: downloaded, as bytes.
    assert page.headers["content-type"] == "application/octet-stream"
    assert page.headers["content-disposition"].startswith("attachment")
    assert page.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("collection", "doc_id", "said"),
    [
        (None, "../../etc/passwd", "No document '../../etc/passwd'"),
        (None, "volta.md", "indexed from a folder outside"),
        ("../uploads", "nordic.pdf", "No collection named '../uploads'"),
    ],
)
def test_anything_but_an_uploaded_file_is_refused_in_one_line(
    bot: Assistant, open_app: TestClient, collection: str | None, doc_id: str, said: str
) -> None:
    got = open_app.get(href(collection or bot.collection_name, doc_id))
    assert got.status_code == 404 and said in got.text and "\n" not in got.text.strip()


def test_behind_the_login_only_a_logged_in_session_gets_the_file(
    bot: Assistant, login_app: TestClient
) -> None:
    target = href(bot.collection_name, "nordic.pdf")
    refused = login_app.get(target)
    assert refused.status_code == 401 and refused.content != PDF.read_bytes()
    assert "Log in" in refused.text
    assert _login(login_app, "wrong").status_code == 400
    assert login_app.get(target).status_code == 401
    assert _login(login_app, "ann-pw").status_code == 200
    got = login_app.get(target)
    assert got.status_code == 200 and got.content == PDF.read_bytes()
    login_app.get("/logout", follow_redirects=False)
    assert login_app.get(target).status_code == 401
