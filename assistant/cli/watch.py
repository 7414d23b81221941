"""``evchat watch DIR… [--prune]``: keep the index in step with folders as files change."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any

from assistant.cli.common import add_collection, assistant_for
from index.sources.watch import WatchBatch


def register(sub: Any) -> None:
    """Add the ``watch`` command."""
    w = sub.add_parser("watch", help="index folders, then re-index files as they change")
    w.add_argument("folders", nargs="+", help="folders to watch")
    w.add_argument("--prune", action="store_true", help="delete documents whose files go away")
    add_collection(w)
    w.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Watch until interrupted (Ctrl-C ends it cleanly)."""
    bot = assistant_for(args)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C during the first indexing run
        bot.watch(args.folders, prune=args.prune, on_batch=print_batch)
    print("evchat: stopped watching", file=sys.stderr)
    return 0


def print_batch(batch: WatchBatch) -> None:
    """One line per round: what was indexed and removed; one line per failure."""
    for failure in batch.failed:
        print(f"failed: {failure.path}: {failure.error}", file=sys.stderr, flush=True)
    if batch.initial and batch.report is not None:
        r = batch.report
        print(
            f"indexed: {r.added} added, {r.updated} updated, {r.unchanged} unchanged, "
            f"{r.removed} removed; {r.documents} documents; watching for changes",
            flush=True,
        )
        return
    parts = []
    if batch.indexed:
        parts.append(f"{len(batch.indexed)} file(s) indexed")
    if batch.removed:
        parts.append(f"{len(batch.removed)} document(s) removed")
    if parts:
        docs = f"; {batch.report.documents} documents" if batch.report else ""
        print(", ".join(parts) + docs, flush=True)
