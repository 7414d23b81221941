"""``evchat index`` and ``evchat stats``."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from assistant.cli.common import add_collection, assistant_for
from index.types import IndexReport


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
    """Index, print failures on stderr and the summary (or JSON) on stdout.

    The first Ctrl-C or SIGTERM stops the run after the documents in progress: what was
    loaded is written, one summary line says so, and the exit code is 130; the next run
    continues. A second one aborts at once (the next run repairs the index).
    """
    stop = threading.Event()
    with _stop_on_signals(stop):
        report = assistant_for(args).index(
            args.paths, prune=args.prune, show_progress=True, stop=stop.is_set
        )
    for failure in report.failed:
        print(f"failed: {failure.path}: {failure.error}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict()))
    elif not report.interrupted:
        print(_summary(report))
    if report.interrupted:
        kept = _summary(report)
        print(f"evchat: interrupted; kept {kept}; run it again to continue", file=sys.stderr)
        return 130
    if report.added + report.updated + report.unchanged == 0 and report.failed:
        print("evchat: no document could be indexed", file=sys.stderr)
        return 1
    return 0


def _summary(report: IndexReport) -> str:
    return (
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.removed} removed, {len(report.failed)} failed; {report.documents} documents, "
        f"{report.chunks} chunks ({report.embedded} embedded) in {report.seconds:.1f} s"
    )


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """While indexing, the first SIGINT/SIGTERM sets ``stop``; the second interrupts."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        note = "\nevchat: stopping after the documents in progress (again to abort)…"
        print(note, file=sys.stderr, flush=True)

    if threading.current_thread() is not threading.main_thread():
        yield  # signals are the main thread's; a caller elsewhere passes its own stop
        return
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_stats(args: argparse.Namespace) -> int:
    """Print what is indexed."""
    stats = assistant_for(args).stats()
    if args.json:
        print(json.dumps(stats.to_dict()))
    else:
        for key, value in stats.to_dict().items():
            print(f"{key:>13}: {value}")
    return 0
