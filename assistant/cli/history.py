"""``evchat history``: the saved conversations (list, show, export, rename, delete).

Conversations belong to a user: the web app's logged-in users by name, the CLI and the
app without login to the anonymous user; ``--user NAME`` reads someone else's (the CLI
runs with the rights of whoever can read ``EVCHAT_HOME`` anyway).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from assistant.cli.common import assistant_for
from assistant.conversations import Conversation, ConversationInfo
from assistant.errors import BadInputError


def _common(p: argparse.ArgumentParser, child: bool = False) -> None:
    """--user, --collection and --json; a sub-command's copies keep the parent's values."""
    keep: dict[str, Any] = {"default": argparse.SUPPRESS} if child else {}
    p.add_argument("--user", help="whose conversations (default: the anonymous user)", **keep)
    p.add_argument(
        "--collection", help="only conversations in this collection (default: all)", **keep
    )
    p.add_argument("--json", action="store_true", help="print JSON", **keep)


def register(sub: Any) -> None:
    """Add the ``history`` command and its actions."""
    h = sub.add_parser("history", help="list, show, export, rename or delete saved conversations")
    _common(h)
    h.set_defaults(run=run_list)
    actions = h.add_subparsers(dest="action")
    show = actions.add_parser("show", help="print one conversation with its sources")
    show.add_argument("id", help="conversation id (or a unique prefix of it)")
    _common(show, child=True)
    show.set_defaults(run=run_show)
    export = actions.add_parser("export", help="write one conversation as Markdown or JSON")
    export.add_argument("id")
    export.add_argument("--format", choices=["md", "json"], default="md")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    _common(export, child=True)
    export.set_defaults(run=run_export)
    rename = actions.add_parser("rename", help="give a conversation a new title")
    rename.add_argument("id")
    rename.add_argument("title")
    _common(rename, child=True)
    rename.set_defaults(run=run_rename)
    delete = actions.add_parser("delete", help="delete a conversation")
    delete.add_argument("id")
    _common(delete, child=True)
    delete.set_defaults(run=run_delete)


def _open(args: argparse.Namespace) -> Conversation:
    bot = assistant_for(argparse.Namespace())  # the conversation names its own collection
    return bot.conversations(args.user).open(args.id)


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def run_list(args: argparse.Namespace) -> int:
    """Print the user's conversations, newest first."""
    chats: list[ConversationInfo] = (
        assistant_for(argparse.Namespace()).conversations(args.user).list(args.collection)
    )
    if args.json:
        print(json.dumps([c.to_dict() for c in chats], ensure_ascii=False))
        return 0
    if not chats:
        print("no saved conversations", file=sys.stderr)
    for c in chats:
        n = f"{c.turns} question{'s' if c.turns != 1 else ''}"
        print(f"{c.id}  {_when(c.updated_at)}  [{c.collection}] {c.title}  ({n})")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one conversation (as Markdown, or JSON)."""
    chat = _open(args)
    if getattr(args, "json", False):
        print(json.dumps(chat.to_dict(), ensure_ascii=False))
    else:
        print(chat.to_markdown(), end="")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write one conversation to a file (or standard output)."""
    chat = _open(args)
    text = (
        json.dumps(chat.to_dict(), ensure_ascii=False, indent=1) + "\n"
        if args.format == "json"
        else chat.to_markdown()
    )
    if args.out is None:
        print(text, end="")
        return 0
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"cannot write {args.out} ({exc.strerror or exc})") from None
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def run_rename(args: argparse.Namespace) -> int:
    """Rename a conversation."""
    chat = _open(args)
    chat.rename(args.title)
    print(f"{chat.id}  {chat.title}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """Delete a conversation."""
    chat = _open(args)
    assistant_for(argparse.Namespace()).conversations(args.user).delete(chat.id)
    print(f"deleted {chat.id} ({chat.title})", file=sys.stderr)
    return 0
