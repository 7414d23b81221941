"""``evchat eval``: the evaluation harness on a labelled question set."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.settings import Settings


def register(sub: Any) -> None:
    """Add the ``eval`` command."""
    ev = sub.add_parser("eval", help="measure retrieval, answers, citations and refusals")
    ev.add_argument("dir", type=Path, help="folder with documents.jsonl and questions.jsonl")
    ev.add_argument("--k", type=int, default=10)
    ev.add_argument("--answerer", choices=["extractive", "openai", "local"], default="extractive")
    ev.add_argument(
        "--no-options",
        action="store_true",
        help="measure open questions only (skip the column with quiz options)",
    )
    ev.add_argument(
        "--collection",
        help="collection to index the set into (default: eval- and a hash of the folder)",
    )
    ev.add_argument(
        "--part",
        choices=["fit", "check"],
        help="ask only this part of the questions (the learned decisions are fitted on 'fit')",
    )
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--out", type=Path, help="write eval.json, eval.md and eval.png here")
    ev.add_argument("--floor", type=Path, help="fail if a metric is below this floor file")
    ev.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the set; print the summary; with ``--floor``, fail on regressions."""
    from assistant.eval import check_floor, run_eval, write_report

    report = run_eval(
        args.dir,
        Settings(),
        k=args.k,
        answerer=args.answerer,
        options=not args.no_options,
        collection=args.collection,
        part=args.part,
    )
    if args.out:
        write_report(report, args.out)
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        summary = report.summary()
        opt = summary.get("with_options")
        print(f"{'':>26}  {'open questions':>14}" + (f"  {'with options':>12}" if opt else ""))
        for key, value in summary.items():
            if not isinstance(value, dict):
                print(f"{key:>26}  {value!s:>14}" + (f"  {opt.get(key)!s:>12}" if opt else ""))
    if args.floor:
        problems = check_floor(report, args.floor)
        for line in problems:
            print(f"regression: {line}", file=sys.stderr)
        return 1 if problems else 0
    return 0
