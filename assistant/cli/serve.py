"""``evchat serve``: start the web app.

The web app sits above the API in the flow of imports, so it is imported here only when
the command runs (the architecture check allows exactly this lazy import).
"""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cli.common import add_collection
from assistant.settings import Settings


def register(sub: Any) -> None:
    """Add the ``serve`` command."""
    sv = sub.add_parser("serve", help="start the web chat")
    sv.add_argument("--host")
    sv.add_argument("--port", type=int)
    add_collection(sv)
    sv.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve the web app (blocks until stopped)."""
    import app

    given = (("host", args.host), ("port", args.port), ("collection", args.collection))
    overrides = {k: v for k, v in given if v}
    app.main(Settings(**overrides))
    return 0
