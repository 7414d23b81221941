"""Reports of ``evchat eval``: the :class:`EvalReport`, its Markdown and chart, the floor check.

The chart needs matplotlib, an optional extra (``pip install 'evchat[eval]'``); without it
the report is written without the chart and says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.eval.metrics import EXTRA_KEYS, REPORT_KEYS, QuestionResult, aggregate

_CEILINGS = frozenset({"false_refusal_rate", "outside_answer_rate", "citations_on_unanswerable"})


@dataclass
class EvalReport:
    """Metrics overall, by question type and by gold document kind, plus per-question rows.

    The report measures the questions asked as users ask them (open questions, no
    options); ``with_options`` is the same set with the quiz questions' options passed
    (None when the run asked without them only).
    """

    overall: dict[str, Any]
    by_type: dict[str, dict[str, Any]]
    by_doc_kind: dict[str, dict[str, Any]]
    questions: list[QuestionResult] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    with_options: EvalReport | None = None

    def to_dict(self) -> dict[str, Any]:
        """What ``evchat eval --json`` prints: exactly :data:`REPORT_KEYS` and ``by_type``
        for the open questions, and the same under ``with_options`` when it was measured."""
        out: dict[str, Any] = {key: self.overall.get(key) for key in REPORT_KEYS}
        out["by_type"] = self.by_type
        if self.with_options is not None:
            out["with_options"] = self.with_options.to_dict()
        return out

    def summary(self) -> dict[str, Any]:
        """:data:`REPORT_KEYS`, the extra metrics, ``by_type``, ``by_doc_kind`` and the
        ``with_options`` column's summary."""
        out = {key: self.overall.get(key) for key in (*REPORT_KEYS, *EXTRA_KEYS)}
        out["by_type"] = self.by_type
        out["by_doc_kind"] = self.by_doc_kind
        if self.with_options is not None:
            out["with_options"] = self.with_options.summary()
        return out

    def details(self) -> dict[str, Any]:
        """The summary plus the run's configuration and one row per question (per column)."""
        out = {
            **self.summary(),
            "config": self.config,
            "per_question": [q.to_dict() for q in self.questions],
        }
        if self.with_options is not None:
            out["per_question_with_options"] = [q.to_dict() for q in self.with_options.questions]
        return out


def build_report(results: list[QuestionResult], config: dict[str, Any] | None = None) -> EvalReport:
    """Aggregate per-question results overall, by question type and by gold doc kind."""
    types = sorted({r.question_type for r in results})
    doc_kinds = sorted({kind for r in results for kind in r.gold_kinds})
    return EvalReport(
        overall=aggregate(results),
        by_type={t: aggregate([r for r in results if r.question_type == t]) for t in types},
        by_doc_kind={d: aggregate([r for r in results if d in r.gold_kinds]) for d in doc_kinds},
        questions=results,
        config=config or {},
    )


TABLE_KEYS = (
    *REPORT_KEYS[:-1],
    "choice_accuracy",
    "outside_answer_rate",
    "supported_sentence_share",
)


def fmt_metric(value: Any, missing: str = "–") -> str:
    """A metric for a Markdown table: rates to 3 decimals, counts and latencies as they are."""
    if value is None:
        return missing
    return f"{value:.3f}" if isinstance(value, float) and value <= 1.0 else str(value)


def to_markdown(d: dict[str, Any], config: dict[str, Any] | None = None) -> str:
    """A Markdown summary of a report's ``summary()``: overall (open questions, and with
    options beside them when measured), by type, by doc kind (open questions)."""
    lines = ["# evchat evaluation", "", f"{d['n_questions']} questions.", ""]
    opt = d.get("with_options")
    if opt:
        lines += ["| metric | open questions | with options |", "|---|---|---|"]
        lines += [
            f"| {key} | {fmt_metric(d.get(key))} | {fmt_metric(opt.get(key))} |"
            for key in (*REPORT_KEYS, *EXTRA_KEYS)
        ]
    else:
        lines += ["| metric | open questions |", "|---|---|"]
        lines += [f"| {key} | {fmt_metric(d.get(key))} |" for key in (*REPORT_KEYS, *EXTRA_KEYS)]
    cols = tuple(
        dict.fromkeys(("n_questions", *TABLE_KEYS[:-3], "answer_accuracy", "refusal_recall"))
    )
    for title, groups in (
        ("By question type", d["by_type"]),
        ("By gold document kind", d["by_doc_kind"]),
    ):
        lines += ["", f"## {title}", "", "| group | " + " | ".join(cols) + " |"]
        lines.append("|---" * (len(cols) + 1) + "|")
        for name, m in groups.items():
            lines.append(f"| {name} | " + " | ".join(fmt_metric(m.get(c)) for c in cols) + " |")
    if config:
        lines += ["", "## Configuration", "", "```json", json.dumps(config, indent=1), "```"]
    return "\n".join(lines) + "\n"


def write_report(report: EvalReport, out_dir: Path) -> list[Path]:
    """Write ``eval.json`` (with per-question rows), ``eval.md`` and, when matplotlib is
    installed, ``eval.png``; returns the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "eval.json", out_dir / "eval.md"]
    paths[0].write_text(
        json.dumps(report.details(), indent=2, default=str) + "\n", encoding="utf-8"
    )
    paths[1].write_text(to_markdown(report.summary(), report.config), encoding="utf-8")
    chart = out_dir / "eval.png"
    if write_chart(report.summary(), chart):
        paths.append(chart)
    return paths


def write_chart(d: dict[str, Any], path: Path) -> bool:
    """A bar chart of the overall metrics and of hits@k by question type; False (and no
    file) when matplotlib, an optional extra, is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8))
    main = [key for key in TABLE_KEYS if "_ms_" not in key and d.get(key) is not None]
    left.barh(main, [float(d[key]) for key in main], color="#4878a8")
    left.set_xlim(0, 1)
    left.invert_yaxis()
    left.set_title(f"Overall ({d['n_questions']} questions)")
    types = [t for t, m in d["by_type"].items() if m.get("hits_at_1") is not None]
    width = 0.27
    for i, key in enumerate(("hits_at_1", "hits_at_5", "hits_at_10")):
        xs = [j + (i - 1) * width for j in range(len(types))]
        right.bar(xs, [d["by_type"][t][key] for t in types], width, label=key)
    right.set_xticks(range(len(types)), [t.replace("_", "\n") for t in types], fontsize=8)
    right.set_ylim(0, 1.15)
    right.legend(loc="upper center", ncol=3, fontsize=8)
    right.set_title("Retrieval hits@k by question type")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def check_floor(report: EvalReport, floor_path: Path) -> list[str]:
    """Failure messages for metrics under their floor (over their ceiling when lower is better).

    The floor file maps metric names to values (the open questions' figures);
    ``by_type``/``by_doc_kind`` may hold ``{group: {metric: floor}}`` and ``with_options``
    the floors of the with-options column; keys starting with ``_`` are comments. Latencies,
    ``false_refusal_rate``, ``outside_answer_rate`` and ``citations_on_unanswerable``
    are ceilings. ``quotes_verbatim`` below 1.0 always fails.
    """
    floor = json.loads(Path(floor_path).read_text(encoding="utf-8"))
    d = report.summary()
    failures: list[str] = []
    for where, column in (("", d), ("with_options.", d.get("with_options"))):
        if column is not None and (
            column["quotes_verbatim"] is None or column["quotes_verbatim"] < 1.0
        ):
            failures.append(
                f"{where}quotes_verbatim {column['quotes_verbatim']} < 1.0: a quote is not verbatim"
            )

    def check(where: str, values: dict[str, Any], limits: dict[str, Any]) -> None:
        for key, limit in limits.items():
            if isinstance(limit, dict):
                check(f"{where}{key}.", values.get(key) or {}, limit)
                continue
            value = values.get(key)
            if value is None:
                failures.append(f"{where}{key}: not measured (floor {limit})")
            elif _lower_is_better(key) and value > limit:
                failures.append(f"{where}{key} {value} > ceiling {limit}")
            elif not _lower_is_better(key) and value < limit:
                failures.append(f"{where}{key} {value} < floor {limit}")

    check("", d, {k: v for k, v in floor.items() if not k.startswith("_")})
    return failures


def _lower_is_better(key: str) -> bool:
    return "_ms_" in key or key in _CEILINGS
