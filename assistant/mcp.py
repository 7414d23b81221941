"""``evchat mcp``: the Model Context Protocol server, so other assistants can use evchat.

Built on the official ``mcp`` SDK (``MCPServer``); a thin delivery surface over the
public :class:`~assistant.Assistant` API. Tools:

* ``search`` — the best passages for a question (title, source, date, URL, offsets),
* ``ask`` — the verified answer with its ``[n]`` markers, citations and refusal flag,
* ``list_documents`` — what is indexed,
* ``index_path`` — index a file or folder on the server's machine; refused unless
  ``EVCHAT_MCP_ALLOW_INDEX=1``.

Runs over stdio (``evchat mcp``) or streamable HTTP (``evchat mcp --http PORT``, at
``/mcp``); over HTTP, ``EVCHAT_AUTH`` (``user:password`` or a file of such lines) is
enforced with HTTP Basic authentication. A user error becomes a tool error whose text is
one clear sentence, and so does an argument the tool's schema refuses (``k=0``, ``k="abc"``,
``options="Toyota"``, no question): the sentence the Python API gives for that mistake
(:class:`EvchatMCPServer`), not the SDK's pydantic dump.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Annotated, Any

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field, ValidationError

from assistant.answer.retrieve import Filters
from assistant.assistant import Assistant
from assistant.background import warm_up_in_background
from assistant.credentials import parse_credentials
from assistant.errors import BadInputError, EvchatError
from assistant.incidents import log_unexpected
from assistant.inputs import (
    MAX_K,
    check_as_of,
    check_choices,
    check_filters,
    check_k,
    check_question,
)
from assistant.types import Answer, Passage

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]

_INSTRUCTIONS = (
    "evchat answers questions about EV-industry news (electric vehicles, batteries, "
    "charging, tariffs) from its indexed documents. Use `ask` for a verified answer whose "
    "every sentence cites a passage, `search` for passages to read yourself, and pass "
    "`as_of` (YYYY-MM-DD) to ignore news published after a date. A refused answer means the "
    "documents do not contain the answer: do not invent one."
)

_HISTORY = (
    "Earlier turns, oldest first: {role: 'user' | 'assistant', content} messages; give an "
    "assistant message the citations, short_answer and standalone_question its ask result "
    "had, so that a follow-up is answered from the documents it cited."
)


# The Python API's check of each tool argument: an argument the tool's schema refuses is
# explained by the same sentence ``Assistant.ask``/``search`` would give for it.
_CHECKS: dict[str, Callable[[Any], object]] = {
    "question": check_question,
    "as_of": check_as_of,
    "k": check_k,
    "options": check_choices,
    "sources": lambda value: check_filters(Filters(sources=value)),
    "date_from": lambda value: check_filters(Filters(date_from=value)),
    "date_to": lambda value: check_filters(Filters(date_to=value)),
}


class EvchatMCPServer(MCPServer):
    """``MCPServer`` whose argument errors are one sentence.

    The SDK validates a call's arguments against the tool's schema before the tool runs,
    and reports a refusal as pydantic's multi-line dump (with a documentation URL); here
    it becomes the sentence the Python API gives for that argument.
    """

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        """Call tool ``name``; a refused argument raises ``ToolError`` with one sentence."""
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if not isinstance(exc.__cause__, ValidationError):
                raise
            sentence = argument_error(exc.__cause__, arguments)
            # Chained to the ValidationError: the SDK then logs the refused field names.
            raise ToolError(f"Error executing tool {name}: {sentence}") from exc.__cause__


def argument_error(error: ValidationError, arguments: dict[str, Any]) -> str:
    """One sentence for the first argument the schema refused: the Python API's check of
    the value given, else (an argument the API has no check for) the schema's reason."""
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "arguments"
    check = _CHECKS.get(name)
    if check is not None:
        try:
            check(arguments.get(name))
        except BadInputError as exc:
            return str(exc)
    if first["type"] == "missing":
        return f"The argument {name!r} is required."
    return f"The argument {name!r} is not valid: {first['msg'].rstrip('.')}."


def build_server(bot: Assistant) -> MCPServer:
    """The ``MCPServer`` with evchat's tools, answering from ``bot``."""
    server = EvchatMCPServer(
        "evchat", instructions=_INSTRUCTIONS, version="0.1.0", log_level="WARNING"
    )
    tools = _Tools(bot)
    for fn in (tools.search, tools.ask, tools.list_documents, tools.index_path):
        server.add_tool(fn, name=fn.__name__, description=fn.__doc__)
    return server


class _Tools:
    """The tool functions (run by the SDK in worker threads); user errors → tool errors."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def search(
        self,
        question: Annotated[str, Field(description="What to look for.")],
        as_of: Annotated[str | None, Field(description="Ignore news after YYYY-MM-DD.")] = None,
        k: Annotated[
            Annotated[int, Field(ge=1, le=MAX_K, strict=True)] | None,
            Field(description="How many passages (default: the server's EVCHAT_K, 6)."),
        ] = None,
        sources: Annotated[list[str] | None, Field(description="Only these sources.")] = None,
        date_from: Annotated[str | None, Field(description="Published on or after.")] = None,
        date_to: Annotated[str | None, Field(description="Published on or before.")] = None,
    ) -> dict[str, Any]:
        """Find the passages of the indexed documents that best match a question: each with
        its title, source, publication date, URL and character offsets in its document."""
        filters = Filters(sources=tuple(sources or ()), date_from=date_from, date_to=date_to)
        passages = _guard(lambda: self.bot.search(question, k=k, as_of=as_of, filters=filters))
        return {"passages": [passage_dict(p) for p in passages]}

    def ask(
        self,
        question: Annotated[str, Field(description="The question, in plain words.")],
        as_of: Annotated[str | None, Field(description="Answer as of YYYY-MM-DD.")] = None,
        options: Annotated[
            list[str] | None, Field(description="Options of a multiple-choice question.")
        ] = None,
        history: Annotated[list[dict[str, Any]] | None, Field(description=_HISTORY)] = None,
    ) -> dict[str, Any]:
        """Answer a question from the indexed documents. Every sentence of the answer cites
        a passage with [n]; each citation's quote is verified verbatim. refused=true means
        the documents do not contain the answer. Pass the earlier turns as history for a
        follow-up ("When was that reported?")."""
        answer = _guard(
            lambda: self.bot.ask(question, history=history, as_of=as_of, choices=options)
        )
        return answer_dict(answer)

    def list_documents(self) -> dict[str, Any]:
        """List the indexed documents (id, title, source, publication date, chunks), newest
        first."""
        docs = _guard(self.bot.documents)
        return {
            "documents": [
                {"doc_id": d.doc_id, "title": d.title, "source": d.source,
                 "published_at": d.published_at, "chunks": d.chunks}
                for d in docs
            ]
        }  # fmt: skip

    def index_path(
        self,
        path: Annotated[str, Field(description="A file or folder on the evchat server.")],
        prune: Annotated[bool, Field(description="Delete documents gone from it.")] = False,
    ) -> dict[str, Any]:
        """Index a file or folder on the machine evchat runs on (incremental). Disabled
        unless the server was started with EVCHAT_MCP_ALLOW_INDEX=1."""
        if not self.bot.settings.web.mcp_allow_index:
            raise ToolError(
                "Indexing through MCP is disabled on this server; start it with "
                "EVCHAT_MCP_ALLOW_INDEX=1 to allow it."
            )
        target = Path(path).expanduser()
        report = _guard(lambda: self.bot.index([target], prune=prune))
        return report.to_dict()


def _guard(call: Callable[[], Any]) -> Any:
    """Run ``call``; a user error becomes a tool error with its one-sentence message, a
    bug one that says only its log id (the traceback goes to the log)."""
    try:
        return call()
    except (EvchatError, ValueError) as exc:
        raise ToolError(str(exc)) from None
    except Exception as exc:
        raise ToolError(log_unexpected(exc, "mcp")) from None


def passage_dict(p: Passage) -> dict[str, Any]:
    """A passage as the ``search`` tool returns it."""
    return {
        "doc_id": p.doc_id,
        "chunk_id": p.chunk_id,
        "title": p.title,
        "source": p.source,
        "published_at": p.published_at,
        "url": p.url,
        "page": p.page,
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "score": round(p.score, 4),
    }


def answer_dict(answer: Answer) -> dict[str, Any]:
    """An answer as the ``ask`` tool returns it."""
    return {
        "answer": answer.text,
        "short_answer": answer.short_answer,
        "refused": answer.refused,
        "citations": [{**c.to_dict(), "url": c.url} for c in answer.citations],
        "unsupported": answer.unsupported,
        "standalone_question": answer.standalone_question,
        "warning": answer.warning,
    }


def run_stdio(bot: Assistant) -> None:
    """Serve over stdin/stdout until the client closes them."""
    server = build_server(bot)
    warm_up_in_background(bot)
    server.run("stdio")


def http_app(bot: Assistant, host: str = "127.0.0.1") -> ASGIApp:
    """The streamable-HTTP ASGI app (endpoint ``/mcp``), behind ``EVCHAT_AUTH`` when set."""
    app: ASGIApp = build_server(bot).streamable_http_app(host=host)
    users = parse_credentials(bot.settings.web.auth)
    return BasicAuth(app, users) if users else app


def run_http(bot: Assistant, port: int, host: str = "127.0.0.1") -> None:
    """Serve streamable HTTP on ``host:port`` (blocks until stopped)."""
    import uvicorn

    app = http_app(bot, host)
    warm_up_in_background(bot)
    uvicorn.run(app, host=host, port=port, log_level="warning")


class BasicAuth:
    """ASGI middleware: HTTP requests need ``Authorization: Basic`` with known credentials."""

    def __init__(self, app: ASGIApp, users: list[tuple[str, str]]) -> None:
        self.app = app
        self.users = users

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        body = b"Authentication required: set EVCHAT_AUTH credentials (HTTP Basic).\n"
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"www-authenticate", b'Basic realm="evchat"'),
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _allowed(self, scope: Scope) -> bool:
        header = dict(scope.get("headers") or []).get(b"authorization", b"")
        scheme, _, encoded = header.partition(b" ")
        if scheme.lower() != b"basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return any(
            hmac.compare_digest(user.encode(), u.encode())
            and hmac.compare_digest(password.encode(), p.encode())
            for u, p in self.users
        )
