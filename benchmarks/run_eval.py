"""Run the evaluation on a labelled set, optionally sweeping retrieval and answer settings.

    EVCHAT_HOME=/tmp/evalhome python -m benchmarks.run_eval --data /path/to/eval/dev
    EVCHAT_HOME=/tmp/evalhome python -m benchmarks.run_eval --data /path/to/eval/dev --sweep

Without ``--sweep`` it writes eval.json / eval.md / eval.png to ``--out`` and checks
``benchmarks/eval_floor.json`` (exit status 1 when a metric is under its floor). With
``--sweep`` it indexes once, then evaluates variants of the default settings (retrieval
knobs: retrieval only unless ``--full``) and prints one Markdown table, also saved as
``sweep.json`` / ``sweep.md`` in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from assistant import Assistant, Settings
from assistant.eval import check_floor, run_eval, write_report
from assistant.eval.harness import evaluate, prepare
from assistant.eval.report import fmt_metric

ROOT = Path(__file__).resolve().parent.parent

RETRIEVAL_VARIANTS: list[tuple[str, dict[str, Any]]] = [
    ("weights dense1/bm25 0.5", {"dense_weight": 1.0, "bm25_weight": 0.5}),
    ("weights dense0.5/bm25 1", {"dense_weight": 0.5, "bm25_weight": 1.0}),
    ("weights dense1/bm25 0", {"dense_weight": 1.0, "bm25_weight": 0.0}),
    ("weights dense0/bm25 1", {"dense_weight": 0.0, "bm25_weight": 1.0}),
    ("max_chunks_per_doc 1", {"max_chunks_per_doc": 1}),
    ("max_chunks_per_doc 3", {"max_chunks_per_doc": 3}),
    ("candidates 20", {"candidates": 20}),
    ("candidates 80", {"candidates": 80}),
    ("rrf_k 20", {"rrf_k": 20}),
]
ANSWER_VARIANTS: list[tuple[str, dict[str, Any]]] = [
    *((f"refusal_threshold {x}", {"refusal_threshold": x}) for x in (0.3, 0.4, 0.45, 0.5)),
    *((f"support_threshold {x}", {"support_threshold": x}) for x in (0.35, 0.55)),
    *((f"k {x}", {"k": x}) for x in (4, 10)),
]
COLUMNS = (
    "hits_at_1",
    "hits_at_5",
    "hits_at_10",
    "mrr_at_10",
    "answer_accuracy",
    "choice_accuracy",
    "refusal_recall",
    "false_refusal_rate",
    "citation_precision",
    "quotes_verbatim",
    "supported_sentence_share",
    "answer_ms_p95",
)


def sweep(data: Path, full: bool, extra: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Evaluate the defaults and every variant; one row of metrics per variant."""
    base, questions, kinds = prepare(data, Settings(), show_progress=True)
    rows: list[dict[str, Any]] = []
    plan: list[tuple[str, dict[str, Any], bool]] = [("DEFAULT", {}, True)]
    plan += [(label, o, full) for label, o in RETRIEVAL_VARIANTS]
    plan += [(label, o, True) for label, o in [*ANSWER_VARIANTS, *extra]]
    for label, overrides, answers in plan:
        settings = Settings(**overrides)
        bot = Assistant(settings, collection=base.collection_name)
        report = evaluate(bot, questions, kinds, k=10, show_progress=False, answers=answers)
        row = {"variant": label, "answers": answers, **report.summary()}
        rows.append(row)
        print(
            f"{label:28s} " + " ".join(fmt_metric(row.get(c), "·") for c in COLUMNS),
            file=sys.stderr,
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The sweep as a Markdown table."""
    lines = ["| variant | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for row in rows:
        cells = [
            fmt_metric(row.get(c), "·") if row["answers"] or "hits" in c or "mrr" in c else "·"
            for c in COLUMNS
        ]
        lines.append(f"| {row['variant']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("EVCHAT_EVAL_DIR", "eval/dev"))
    )
    parser.add_argument("--out", type=Path, default=Path("eval-out"))
    parser.add_argument("--floor", type=Path, default=ROOT / "benchmarks" / "eval_floor.json")
    parser.add_argument("--sweep", action="store_true", help="sweep settings around the defaults")
    parser.add_argument("--full", action="store_true", help="answer too in retrieval sweeps")
    parser.add_argument(
        "--combo", type=json.loads, action="append", default=[], help="extra variant JSON"
    )
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.sweep:
        extra = [(json.dumps(c, separators=(",", ":")), c) for c in args.combo]
        rows = sweep(args.data, args.full, extra)
        md = table(rows)
        (args.out / "sweep.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        (args.out / "sweep.md").write_text(md, encoding="utf-8")
        print(md)
        return 0
    report = run_eval(args.data, limit=args.limit)
    for path in write_report(report, args.out):
        print(path)
    print(
        json.dumps({k: v for k, v in report.summary().items() if not k.startswith("by_")}, indent=1)
    )
    failures = check_floor(report, args.floor) if args.floor.exists() else []
    for failure in failures:
        print("FLOOR:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
