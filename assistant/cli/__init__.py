"""The ``evchat`` command. Thin: each sub-command parses, calls the public API, prints.

Every command group is a module of this package with a ``register(subparsers)`` function
that adds its parser and sets ``run`` (a function of the parsed arguments returning the
exit code). User errors become one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from assistant.cli import (
    ask,
    collections,
    evaluate,
    feedback,
    feeds,
    history,
    index,
    mcp,
    serve,
    watch,
)
from assistant.errors import EvchatError

COMMAND_GROUPS = (index, ask, history, feedback, collections, evaluate, serve, feeds, watch, mcp)


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    p = argparse.ArgumentParser(prog="evchat", description="Chat over EV-industry documents.")
    sub = p.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``evchat`` script."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # pypdf/trafilatura chatter is not for users
    try:
        return int(args.run(args))
    except (EvchatError, ValueError) as exc:
        print(f"evchat: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("evchat: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
