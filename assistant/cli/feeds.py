"""``evchat feeds add|list|remove|sync``: RSS/Atom feeds whose articles are indexed."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from assistant.cli.common import add_collection, assistant_for


def register(sub: Any) -> None:
    """Add the ``feeds`` command and its sub-commands."""
    fd = sub.add_parser("feeds", help="follow RSS/Atom feeds and index their articles")
    actions = fd.add_subparsers(dest="feeds_command", required=True)
    add = actions.add_parser("add", help="follow a feed (indexed by the next sync)")
    add.add_argument("url")
    add.add_argument("--name", help="source name for its articles (default: the feed's title)")
    add.set_defaults(run=run_add)
    ls = actions.add_parser("list", help="the followed feeds with their last sync")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(run=run_list)
    rm = actions.add_parser("remove", help="stop following a feed and delete its articles")
    rm.add_argument("url")
    rm.add_argument("--keep-documents", action="store_true", help="keep its indexed articles")
    rm.set_defaults(run=run_remove)
    sy = actions.add_parser(
        "sync",
        help="read every feed and index new and changed articles (exit 1: no feed could be read)",
    )
    sy.add_argument("--json", action="store_true", help="print the report as one JSON object")
    sy.set_defaults(run=run_sync)
    for p in (add, ls, rm, sy):
        add_collection(p)


def run_add(args: argparse.Namespace) -> int:
    """Follow a feed."""
    feed = assistant_for(args).feeds.add(args.url, args.name)
    print(f"following {feed.url}; run `evchat feeds sync` to index its articles")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the followed feeds."""
    feeds = assistant_for(args).feeds.list()
    if args.json:
        print(json.dumps([f.to_dict() for f in feeds]))
        return 0
    if not feeds:
        print("no feeds; add one with `evchat feeds add URL`")
    for f in feeds:
        when = _time(f.last_sync)
        status = f.status + (f": {f.error}" if f.error else "")
        print(f"{f.url}\t{f.display_name}\t{f.entries} entries\tlast sync {when}\t{status}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Stop following a feed."""
    removed = assistant_for(args).feeds.remove(args.url, keep_documents=args.keep_documents)
    print(f"removed {args.url.strip()}; {removed} of its articles deleted from the index")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    """Sync every feed; failures on stderr, the summary (or JSON) on stdout. Exit 1 when
    feeds are followed and not one of them could be read (a cron job should notice)."""

    def on_progress(done: int, total: int, message: str) -> None:
        print(f"[{done}/{total}] {message}", file=sys.stderr, flush=True)

    bot = assistant_for(args)
    report = bot.feeds.sync(None if args.json else on_progress)
    for failure in report.failed:
        print(f"failed: {failure.url}: {failure.error}", file=sys.stderr)
    for note in report.summaries:
        print(f"summary only: {note.url}: {note.error}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        print(
            f"{report.feeds} feeds read: {report.new} new, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.failed)} failed "
            f"({len(report.summaries)} from the feed's summary); "
            f"{report.embedded} chunks embedded in {report.seconds:.1f} s"
        )
    followed = {f.url for f in bot.feeds.list()}
    unread = followed & {f.url for f in report.failed}
    return 1 if followed and unread == followed else 0


def _time(epoch: float | None) -> str:
    if epoch is None:
        return "never"
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).isoformat(timespec="seconds")
