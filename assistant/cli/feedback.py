"""``evchat feedback export DIR``: the users' verdicts on answers as an evaluation set.

``evchat eval DIR`` then measures the assistant on the users' own questions; see
:mod:`assistant.conversations.feedback` for what becomes which kind of case.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.cli.common import add_collection, assistant_for


def register(sub: Any) -> None:
    """Add the ``feedback`` command."""
    fb = sub.add_parser("feedback", help="turn feedback on answers into an evaluation set")
    actions = fb.add_subparsers(dest="action", required=True)
    ex = actions.add_parser(
        "export", help="write questions.jsonl and documents.jsonl for `evchat eval DIR`"
    )
    ex.add_argument("dir", type=Path, help="folder to write (created if needed)")
    add_collection(ex)
    ex.add_argument("--user", help="only this user's feedback (default: every user's)")
    ex.add_argument(
        "--all-documents",
        action="store_true",
        help="export every document of the collection, not only those the cases refer to",
    )
    ex.add_argument("--json", action="store_true", help="print the summary as JSON")
    ex.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Write the set; print what became a case and what was skipped."""
    from assistant.conversations import export_feedback

    report = export_feedback(
        assistant_for(args), args.dir, user=args.user, all_documents=args.all_documents
    )
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
        return 0
    kinds = ", ".join(f"{n} {kind.removeprefix('feedback_')}" for kind, n in report.by_type.items())
    print(
        f"wrote {report.questions} questions ({kinds}) and {report.documents} documents "
        f"to {report.folder}; run `evchat eval {report.folder}`"
    )
    for line in report.skipped:
        print(f"skipped: {line}", file=sys.stderr)
    return 0
