"""evchat web app: chat over EV-industry documents with verified citations.

``python app.py`` indexes the bundled ``samples/`` on first start (when the index is
empty), then serves the app on ``EVCHAT_HOST``/``EVCHAT_PORT``, behind a login when
``EVCHAT_AUTH`` is set. The tabs and their handlers live in ``ui/``; everything goes
through the public ``assistant`` API.
"""

from __future__ import annotations

import signal
import socket
import sys
from pathlib import Path
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant import Assistant, Settings, log_to_stream, warm_up_in_background
from ui import render
from ui.api import endpoint
from ui.auth import (
    ClientAddress,
    HideApiInfoWhenLoggedOut,
    LoginThrottle,
    build_account_bar,
    login_message,
    parse_auth,
    wire_account_bar,
)
from ui.chat import ChatHandlers, build_chat_tab, wire_chat_tab
from ui.collections import CollectionBots, build_collection_panel
from ui.documents import (
    DocumentHandlers,
    DocumentViews,
    add_index_endpoint,
    build_documents_tab,
    wire_documents_tab,
)
from ui.feeds import FeedHandlers, build_feeds_panel, wire_feeds_panel
from ui.open_document import document_route
from ui.workspace import Workspace, wire_workspace

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


def build_app(assistant: Assistant | None = None) -> gr.Blocks:
    """The Gradio Blocks app around ``assistant`` (a default one if None)."""
    bot = assistant or Assistant(Settings())
    bots = CollectionBots(bot)
    views = DocumentViews(bot)
    documents = DocumentHandlers(bot, views)
    feeds = FeedHandlers(bots)
    # Uploads nobody indexed are deleted after an hour, and all of them at shutdown.
    with gr.Blocks(title="evchat", delete_cache=(600, 3600)) as demo:
        with gr.Row(elem_id="header"):
            gr.Markdown("## evchat — EV-industry news with verified citations")
            header = gr.Markdown(bots.header(None), elem_id="current-collection")
            account = build_account_bar()
        collection = gr.State(bots.default)
        remembered = gr.BrowserState(bots.default, storage_key="evchat-collection")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chat_tab = build_chat_tab(bot, views.sources(), collection)
            with gr.Tab("Documents", id="documents"):
                collections = build_collection_panel(bots)
                docs_tab = build_documents_tab(views)
                feeds_panel = build_feeds_panel(feeds)
        add_index_endpoint(documents)
        asks = wire_chat_tab(chat_tab, ChatHandlers(bots))
        wire_feeds_panel(feeds_panel, feeds, collection)
        refreshed = wire_documents_tab(docs_tab, documents, chat_tab.source_filter, collection)
        workspace = Workspace(bots, views, chat_tab, collections, header, remembered, refreshed)
        wire_workspace(demo, workspace, asks)
        wire_account_bar(demo, account)
        # What a background sync or the watcher indexed shows in the list without a reload.
        feeds_panel.written.change(
            views.refresh_keeping,
            [collection],
            refreshed,
            show_progress="hidden",
            api_visibility="private",
        )
        endpoint(views.api_stats, "stats", "stats")
    demo.queue(default_concurrency_limit=4)
    return demo


def index_samples_on_first_start(assistant: Assistant) -> None:
    """Index ``samples/`` (when present, as in a checkout) if the index is empty."""
    try:
        empty = assistant.stats().documents == 0
    except Exception:  # a brand-new home has no collection yet
        empty = True
    if not (empty and SAMPLES_DIR.is_dir()):
        return
    print(f"evchat: the index is empty; indexing {SAMPLES_DIR} …", flush=True)

    def on_progress(done: int, total: int, msg: str) -> None:
        print(f"  [{done}/{total}] {msg}", flush=True)

    report = assistant.index([SAMPLES_DIR], on_progress=on_progress)
    print(f"evchat: indexed {report.documents} documents, {report.chunks} chunks", flush=True)
    for f in report.failed:
        print(f"  failed: {f.path}: {f.error}", file=sys.stderr, flush=True)


def check_port(host: str, port: int) -> None:
    """Exit with one line naming ``EVCHAT_PORT`` when something already listens on
    ``host:port`` (Gradio would print a traceback about an empty port range)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind((host, port))
        except OSError:
            sys.exit(
                f"evchat: port {port} on {host} is in use: set EVCHAT_PORT to a free port "
                "(EVCHAT_HOST chooses the address)"
            )


def main(settings: Settings | None = None) -> None:
    """Index the samples on first start, then serve the app.

    Uploads over ``EVCHAT_UPLOAD_MAX_MB`` are refused by Gradio before they are stored;
    logins are throttled; error text of unexpected exceptions never reaches the page
    (``show_error=False``: only our one-sentence ``gr.Error``s do). SIGTERM shuts the
    server down like Ctrl-C, so Gradio deletes its temporary files.
    """
    settings = settings or Settings()
    check_port(settings.web.host, settings.web.port)
    log_to_stream()  # user errors as one INFO line each, bugs with their traceback
    assistant = Assistant(settings)
    pairs = parse_auth(settings.web.auth)
    web = settings.web
    auth = (
        LoginThrottle(
            pairs, web.login_free_failures, web.login_delay_s, web.login_max_delay_s
        ).check
        if pairs
        else None
    )
    index_samples_on_first_start(assistant)
    # The first question would otherwise wait for the model, BM25 and vector index to load
    # (seconds at a million chunks); the page is served meanwhile.
    warm_up_in_background(assistant)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    launch: dict[str, Any] = {"theme": gr.themes.Soft(), "css": render.css(), "head": render.head()}
    middleware = [Middleware(ClientAddress), Middleware(HideApiInfoWhenLoggedOut)]
    build_app(assistant).launch(
        server_name=web.host,
        server_port=web.port,
        auth=auth,  # type: ignore[arg-type]  # Gradio awaits an async callable too
        auth_message=(
            login_message(web.login_free_failures, web.login_delay_s, web.login_max_delay_s)
            if auth
            else None
        ),
        show_error=False,
        max_file_size=int(web.upload_max_mb * 1024 * 1024),
        # "Open the document": a route of Gradio's own app, behind the same login.
        app_kwargs={"middleware": middleware, "routes": [document_route(assistant)]},
        **launch,
    )


if __name__ == "__main__":
    main()
