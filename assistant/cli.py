"""The ``evchat`` command: index | ask | stats | eval | serve. Thin: it parses, calls
the public API, prints. User errors become one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant.assistant import Assistant
from assistant.errors import EvchatError
from assistant.settings import Settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="evchat", description="Chat over EV-industry documents.")
    sub = p.add_subparsers(dest="command", required=True)

    ix = sub.add_parser("index", help="index files and folders (incremental)")
    ix.add_argument("paths", nargs="+", help="files or folders to index")
    ix.add_argument("--collection", help="collection name (default: EVCHAT_COLLECTION or evchat)")
    ix.add_argument("--prune", action="store_true", help="delete documents gone from these paths")
    ix.add_argument("--json", action="store_true", help="print the report as one JSON object")

    ask = sub.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--as-of", help="ignore documents published after this date (YYYY-MM-DD)")
    ask.add_argument("--collection")
    ask.add_argument("--answerer", choices=["extractive", "openai", "local"])
    ask.add_argument(
        "--choice",
        action="append",
        dest="choices",
        metavar="OPTION",
        help="an option of a multiple-choice question (repeat for each option)",
    )
    ask.add_argument("--json", action="store_true")

    st = sub.add_parser("stats", help="show what is indexed")
    st.add_argument("--collection")
    st.add_argument("--json", action="store_true")

    ev = sub.add_parser("eval", help="measure retrieval, answers, citations and refusals")
    ev.add_argument("dir", type=Path, help="folder with documents.jsonl and questions.jsonl")
    ev.add_argument("--k", type=int, default=10)
    ev.add_argument("--answerer", choices=["extractive", "openai", "local"], default="extractive")
    ev.add_argument(
        "--no-options",
        action="store_true",
        help="ask multiple-choice questions without their options",
    )
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--out", type=Path, help="write eval.json, eval.md and eval.png here")
    ev.add_argument("--floor", type=Path, help="fail if a metric is below this floor file")

    sv = sub.add_parser("serve", help="start the web chat")
    sv.add_argument("--host")
    sv.add_argument("--port", type=int)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``evchat`` script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # pypdf/trafilatura chatter is not for users
    try:
        return int(_COMMANDS[args.command](args))
    except (EvchatError, ValueError) as exc:
        print(f"evchat: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("evchat: interrupted", file=sys.stderr)
        return 130


def _assistant(args: argparse.Namespace) -> Assistant:
    return Assistant(Settings(), collection=getattr(args, "collection", None))


def _index(args: argparse.Namespace) -> int:
    report = _assistant(args).index(args.paths, prune=args.prune, show_progress=True)
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


def _ask(args: argparse.Namespace) -> int:
    answer = _assistant(args).ask(
        args.question, as_of=args.as_of, answerer=args.answerer, choices=args.choices
    )
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return 0
    print(answer.text)
    for c in answer.citations:
        where = f", p. {c.page}" if c.page else ""
        print(f"  [{c.n}] {c.title} ({c.published_at or 'undated'}; {c.source}{where})")
        print(f"      “{' '.join(c.quote.split())}”")
    if answer.refused and answer.passages:
        print("Closest passages:")
        for p in answer.passages[:3]:
            print(f"  - {p.title}: {' '.join(p.text.split())[:160]}…")
    if answer.warning:
        print(f"warning: {answer.warning}", file=sys.stderr)
    return 0


def _stats(args: argparse.Namespace) -> int:
    stats = _assistant(args).stats()
    if args.json:
        print(json.dumps(stats.to_dict()))
    else:
        for key, value in stats.to_dict().items():
            print(f"{key:>13}: {value}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from assistant.eval import check_floor, run_eval, write_report

    report = run_eval(
        args.dir, Settings(), k=args.k, answerer=args.answerer, options=not args.no_options
    )
    if args.out:
        write_report(report, args.out)
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        for key, value in report.summary().items():
            if not isinstance(value, dict):
                print(f"{key:>20}: {value}")
    if args.floor:
        problems = check_floor(report, args.floor)
        for line in problems:
            print(f"regression: {line}", file=sys.stderr)
        return 1 if problems else 0
    return 0


def _serve(args: argparse.Namespace) -> int:
    import app

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v}
    app.main(Settings(**overrides))
    return 0


_COMMANDS = {"index": _index, "ask": _ask, "stats": _stats, "eval": _eval, "serve": _serve}

if __name__ == "__main__":
    sys.exit(main())
