"""The ``evchat`` command. Thin: each sub-command parses, calls the public API, prints.

Every command group is a module of this package with a ``register(subparsers)`` function
that adds its parser and sets ``run`` (a function of the parsed arguments returning the
exit code). User errors become one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

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
from assistant.incidents import log_to_file, log_unexpected
from assistant.settings import Settings

COMMAND_GROUPS = (index, ask, history, feedback, collections, evaluate, serve, feeds, watch, mcp)


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    p = argparse.ArgumentParser(prog="evchat", description="Chat over EV-industry documents.")
    sub = p.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``evchat`` script.

    A user error prints one ``evchat:`` line (exit 2); anything else is a bug: its
    traceback goes to ``EVCHAT_HOME/logs/evchat.log`` and the user gets its id (exit 3).
    """
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # pypdf/trafilatura chatter is not for users
    try:
        return int(args.run(args))
    except EvchatError as exc:
        print(f"evchat: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a setting from the environment is out of range
        print(f"evchat: {settings_problem(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("evchat: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        where = log_to_file(_log_path())
        message = log_unexpected(exc, f"evchat {args.command}")
        print(f"evchat: {message}" + (f" See {where}." if where else ""), file=sys.stderr)
        return 3


def settings_problem(error: ValidationError) -> str:
    """The first invalid setting of a pydantic error, as one sentence."""
    errors = error.errors()
    if not errors:
        return "a setting is invalid."
    loc, msg = errors[0]["loc"] or ("?",), errors[0]["msg"]
    return f"the setting EVCHAT_{str(loc[-1]).upper()} is invalid: {msg}."


def _log_path() -> Path:
    try:
        return Settings().store.home / "logs" / "evchat.log"
    except Exception:  # the settings themselves are broken: the temp folder still works
        return Path(tempfile.gettempdir()) / "evchat.log"


if __name__ == "__main__":
    sys.exit(main())
