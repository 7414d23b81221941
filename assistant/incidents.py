"""Unexpected errors (bugs): the traceback goes to the log under a short id, and the user
sees one sentence with that id, never the exception's own text.

A surface (CLI, web app) catches ``EvchatError`` for what users can fix, and hands
anything else to :func:`log_unexpected`. The CLI also writes the log to a file
(:func:`log_to_file`), since its stderr is the user's terminal.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

log = logging.getLogger("evchat")


def log_unexpected(error: BaseException, where: str = "") -> str:
    """Log ``error`` with its traceback under a new id; the sentence to show the user."""
    ident = secrets.token_hex(4)
    log.error("unexpected error %s%s", ident, f" in {where}" if where else "", exc_info=error)
    return f"Something went wrong (logged as {ident})."


def log_user_error(error: BaseException, where: str = "") -> str:
    """Log a user's mistake (an ``EvchatError`` the user was shown) as one INFO line under a
    new id, without a traceback: it is not a bug. Returns the id."""
    ident = secrets.token_hex(4)
    # %r keeps the sentence, which may quote what the user typed, on one line.
    log.info("user error %s%s: %r", ident, f" in {where}" if where else "", str(error))
    return ident


def log_to_stream(level: int = logging.INFO) -> None:
    """Send the ``evchat`` log to stderr from ``level`` up (a server's log: user errors as
    one INFO line each, bugs with their traceback), unless it already has a handler."""
    if log.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(level)
    log.propagate = False


def log_to_file(path: Path) -> Path | None:
    """Send the ``evchat`` log to ``path`` (appending) instead of stderr; None if the
    file cannot be opened, in which case the log goes nowhere rather than to the user."""
    log.propagate = False
    for old in [h for h in log.handlers if getattr(h, "evchat_cli", False)]:
        log.removeHandler(old)
        old.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8", errors="replace")
        written: Path | None = path
    except OSError:
        handler, written = logging.NullHandler(), None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.evchat_cli = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    return written
