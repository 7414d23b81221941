"""``evchat mcp``: serve evchat's tools to other assistants (Model Context Protocol)."""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cli.common import add_collection, assistant_for


def register(sub: Any) -> None:
    """Add the ``mcp`` command."""
    m = sub.add_parser("mcp", help="MCP server (stdio; --http PORT for streamable HTTP)")
    m.add_argument("--http", type=int, metavar="PORT", help="serve streamable HTTP on PORT")
    m.add_argument("--host", default="127.0.0.1", help="HTTP host (default 127.0.0.1)")
    add_collection(m)
    m.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until the client disconnects (stdio) or the process is stopped (HTTP)."""
    from assistant import mcp

    bot = assistant_for(args)
    if args.http:
        mcp.run_http(bot, args.http, args.host)
    else:
        mcp.run_stdio(bot)
    return 0
