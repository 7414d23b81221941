"""``evchat collections``: list, create, rename and delete the collections of EVCHAT_HOME."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.cli.common import assistant_for
from assistant.errors import BadInputError


def register(sub: Any) -> None:
    """Add the ``collections`` command and its actions."""
    c = sub.add_parser("collections", help="list, create, rename or delete collections")
    c.add_argument("--json", action="store_true", help="print the list as JSON")
    c.set_defaults(run=run_list)
    actions = c.add_subparsers(dest="action")
    create = actions.add_parser("create", help="create an empty collection")
    create.add_argument("name")
    create.set_defaults(run=run_create)
    rename = actions.add_parser("rename", help="rename a collection (documents and chats follow)")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.set_defaults(run=run_rename)
    delete = actions.add_parser("delete", help="delete a collection and its index")
    delete.add_argument("name")
    delete.add_argument("--yes", action="store_true", help="delete without asking")
    delete.set_defaults(run=run_delete)


def run_list(args: argparse.Namespace) -> int:
    """Print every collection with its counts."""
    found = assistant_for(argparse.Namespace()).collections()
    if args.json:
        print(json.dumps([c.to_dict() for c in found]))
        return 0
    for c in found:
        print(f"{c.name:<24} {c.documents:>6} documents {c.chunks:>8} chunks")
    if not found:
        print(
            "no collections yet: `evchat index PATH --collection NAME` makes one", file=sys.stderr
        )
    return 0


def run_create(args: argparse.Namespace) -> int:
    """Create an empty collection."""
    assistant_for(argparse.Namespace()).create_collection(args.name)
    print(f"created {args.name}")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    """Rename a collection."""
    assistant_for(argparse.Namespace()).rename_collection(args.old, args.new)
    print(f"renamed {args.old} to {args.new}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """Delete a collection (asks first, unless --yes)."""
    if not args.yes:
        if not sys.stdin.isatty():
            raise BadInputError(f"add --yes to delete collection {args.name!r} without asking")
        reply = input(f"Delete collection {args.name!r} and its index? [y/N] ")
        if reply.strip().lower() not in ("y", "yes"):
            print("nothing deleted", file=sys.stderr)
            return 1
    assistant_for(argparse.Namespace()).delete_collection(args.name)
    print(f"deleted {args.name}")
    return 0
