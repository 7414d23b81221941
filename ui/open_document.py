"""The "Open the document" link: a cited source's original file, behind the app's login.

Each source in the panel beside the chat (and each row of the Documents tab) links to
``/evchat/document?collection=…&doc=…``, a route mounted on Gradio's own FastAPI app
(:func:`document_route`, passed to ``launch`` in ``app_kwargs["routes"]``). The route

* asks Gradio's own ``/gradio_api/login_check`` whether the request's cookies are a
  login (so the cookie and token rules stay Gradio's, as for its ``/file=`` route): with
  ``EVCHAT_AUTH`` set, a request without a login gets 401 and nothing else;
* serves only what :meth:`assistant.Assistant.document_path` gives, a file inside the
  collection's uploads folder, links resolved, still on disk; anything else (an unknown
  or traversing id, a file indexed from elsewhere, a link out of the uploads, a deleted
  file) is a 404 with that method's one-line reason;
* shows a PDF or a text file in the browser and hands every other format (HTML, DOCX …)
  over as a download, so an uploaded page never runs as part of the app.

The panel's HTML here goes through :mod:`ui.render`'s escaping; a document with no file in
the uploads links its article address instead, or says in one line why it cannot be opened.

Hand-written rather than a ``gr.DownloadButton``: the sources are one HTML panel with any
number of citations, and a link per citation needs a URL per document, not a component.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import httpx
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from assistant import Assistant, Citation, EvchatError
from ui import render

ROUTE = "/evchat/document"
LOGIN_CHECK = "/gradio_api/login_check"
LABEL = "Open the document"
# Shown in the browser; everything else is downloaded. text/plain and a PDF cannot run
# script in the app's page; an uploaded HTML file could, so it is never shown inline.
_INLINE = {
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".markdown": "text/plain; charset=utf-8",
    ".json": "text/plain; charset=utf-8",
    ".jsonl": "text/plain; charset=utf-8",
}
_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


def href(collection: str, doc_id: str) -> str:
    """The address of the route for document ``doc_id`` of ``collection``."""
    return f"{ROUTE}?{urlencode({'collection': collection, 'doc': doc_id})}"


def link(bot: Assistant, doc_id: str, url: str | None = None) -> str:
    """The "Open the document" control of one document of ``bot``'s collection (HTML):
    its file when the collection's uploads hold it, else its article's address, else
    one line saying why there is nothing to open."""
    try:
        path = bot.document_path(doc_id)
    except EvchatError as e:
        safe = render.safe_url(url)
        if safe:
            return (
                f'<a class="open-doc" href="{render.esc(safe)}" target="_blank" '
                'rel="noopener noreferrer nofollow">Open the article</a>'
            )
        return f'<div class="open-doc none">{render.esc(e)}</div>'
    return (
        f'<a class="open-doc" href="{render.esc(href(bot.collection_name, doc_id))}" '
        f'target="_blank" rel="noopener" title="{render.esc(path.name)}">{LABEL}</a>'
    )


def control(bot: Assistant) -> Callable[[Citation], str]:
    """What the sources panel shows under a citation to open its document."""

    def view(c: Citation) -> str:
        return link(bot, c.doc_id, c.url)

    return view


def markdown_link(bot: Assistant, doc_id: str, url: str | None = None) -> str:
    """The Documents tab's cell: a Markdown link to the file, else to the article's
    address, else "" (the panel's line says why; the table has no room for it)."""
    if bot.document_file(doc_id) is not None:
        return f"[{LABEL}]({href(bot.collection_name, doc_id)})"
    safe = render.safe_url(url)
    if safe:
        return f"[Open the article]({safe.replace('(', '%28').replace(')', '%29')})"
    return ""


async def logged_in(request: Request) -> bool:
    """Whether the request may use the app, by Gradio's own ``/gradio_api/login_check``
    (the check its ``/file=`` route depends on), asked in-process with the request's
    cookies: True without a login configured, else only for a logged-in session."""
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://evchat") as client:
        answer = await client.get(
            LOGIN_CHECK, headers={"cookie": request.headers.get("cookie", "")}
        )
    return answer.status_code == 200


def document_route(root: Assistant) -> Route:
    """The route serving a document's file, over the collections of ``root``'s home."""

    async def open_document(request: Request) -> Response:
        if not await logged_in(request):
            return PlainTextResponse(
                "Log in to the app to open its documents.", 401, headers=_HEADERS
            )
        name = request.query_params.get("collection") or root.collection_name
        doc_id = request.query_params.get("doc") or ""
        try:
            path = await run_in_threadpool(_path_of, root, name, doc_id)
        except EvchatError as e:
            return PlainTextResponse(str(e), 404, headers=_HEADERS)
        inline = _INLINE.get(path.suffix.lower())
        return FileResponse(
            path,
            media_type=inline or "application/octet-stream",
            filename=path.name,
            content_disposition_type="inline" if inline else "attachment",
            headers=_HEADERS,
        )

    return Route(ROUTE, open_document, methods=["GET", "HEAD"])


def _path_of(root: Assistant, collection: str, doc_id: str) -> Path:
    names = {c.name for c in root.collections()} | {root.collection_name}
    if collection not in names:
        raise EvchatError(f"No collection named {collection!r}.")
    return root.for_collection(collection).document_path(doc_id)
