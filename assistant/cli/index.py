"""``evchat index`` and ``evchat stats``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.cli.common import add_collection, assistant_for


def register(sub: Any) -> None:
    """Add the ``index`` and ``stats`` commands."""
    ix = sub.add_parser("index", help="index files and folders (incremental)")
    ix.add_argument("paths", nargs="+", help="files or folders to index")
    add_collection(ix)
    ix.add_argument("--prune", action="store_true", help="delete documents gone from these paths")
    ix.add_argument("--json", action="store_true", help="print the report as one JSON object")
    ix.set_defaults(run=run_index)
    st = sub.add_parser("stats", help="show what is indexed")
    add_collection(st)
    st.add_argument("--json", action="store_true")
    st.set_defaults(run=run_stats)


def run_index(args: argparse.Namespace) -> int:
    """Index, print failures on stderr and the summary (or JSON) on stdout."""
    report = assistant_for(args).index(args.paths, prune=args.prune, show_progress=True)
    for failure in report.failed:
        print(f"failed: {failure.path}: {failure.error}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        print(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.removed} removed, {len(report.failed)} failed; {report.documents} documents, "
            f"{report.chunks} chunks ({report.embedded} embedded) in {report.seconds:.1f} s"
        )
    if report.added + report.updated + report.unchanged == 0 and report.failed:
        print("evchat: no document could be indexed", file=sys.stderr)
        return 1
    return 0


def run_stats(args: argparse.Namespace) -> int:
    """Print what is indexed."""
    stats = assistant_for(args).stats()
    if args.json:
        print(json.dumps(stats.to_dict()))
    else:
        for key, value in stats.to_dict().items():
            print(f"{key:>13}: {value}")
    return 0
