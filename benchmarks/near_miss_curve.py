"""The near-miss refusal's recall / false-refusal curve on a labelled set (open questions).

    EVCHAT_HOME=/tmp/evalhome python -m benchmarks.near_miss_curve --data /path/to/eval/dev

Every question is asked without options, as users ask them. A question is refused at
coverage threshold t when the evidence gate refuses it, when it is a yes/no question whose
verdict refuses (independent of t), or when its best coverage
(:func:`assistant.answer.near_miss.best_coverage`) is below t. Prints a Markdown table
and writes ``docs/near-miss-curve.png`` (matplotlib, the ``eval`` extra).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant import Settings
from assistant.answer.evidence import best_sentences, passes_gate
from assistant.answer.near_miss import best_coverage
from assistant.answer.support import SupportScorer
from assistant.answer.time_window import inside_window
from assistant.answer.yesno import is_yes_no, yes_no_draft
from assistant.eval.harness import prepare

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def outcomes(data: Path) -> list[tuple[bool, bool, float]]:
    """(answerable, refused whatever the threshold, best coverage) per question."""
    settings = Settings()
    bot, questions, _kinds = prepare(data, settings, show_progress=True)
    retriever = bot.retriever()
    rows = []
    for q in questions:
        text = q["question"]
        passages = retriever.retrieve(text, as_of=q.get("as_of_date") or None)
        scorer = SupportScorer(bot.embedder)
        scored = best_sentences(text, passages, scorer)
        gate = passes_gate(scored, passages, settings.answering.refusal_threshold)
        if is_yes_no(text):
            verdict = gate and yes_no_draft(text, passages, scorer, retriever.named_sources)
            rows.append((bool(q.get("answerable", True)), not verdict, 1.0))
        else:
            # As the pipeline does: the evidence from inside the question's time window is
            # used when it passes the gate, else all of it; the better coverage decides.
            sets = [scored]
            reference = retriever.reference_date(q.get("as_of_date") or None)
            inside = inside_window(text, scored, passages, reference)
            if inside and passes_gate(inside, passages, settings.answering.refusal_threshold):
                sets.append(inside)
            coverage = max(best_coverage(text, s, passages) for s in sets)
            rows.append((bool(q.get("answerable", True)), not gate, coverage))
    return rows


def curve(rows: list[tuple[bool, bool, float]]) -> list[tuple[float, float, float]]:
    """(threshold, refusal recall, false-refusal rate) for each of :data:`THRESHOLDS`."""
    out = []
    for t in THRESHOLDS:
        refused = [(a, always or cov < t) for a, always, cov in rows]
        unans = [r for a, r in refused if not a]
        ans = [r for a, r in refused if a]
        out.append((t, sum(unans) / max(len(unans), 1), sum(ans) / max(len(ans), 1)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    parser.add_argument("--chart", type=Path, default=ROOT / "docs" / "near-miss-curve.png")
    args = parser.parse_args()
    points = curve(outcomes(args.data))
    print("| near_miss_coverage | refusal recall | false-refusal rate |\n|---:|---:|---:|")
    for t, recall, false_rate in points:
        print(f"| {t:.1f} | {recall:.2f} | {false_rate:.3f} |")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.plot([p[2] for p in points], [p[1] for p in points], marker="o")
    for t, recall, false_rate in points:
        ax.annotate(f"{t:.1f}", (false_rate, recall), textcoords="offset points", xytext=(4, -10))
    ax.set_xlabel("false-refusal rate (answerable questions)")
    ax.set_ylabel("refusal recall (unanswerable questions)")
    ax.set_title("Near-miss refusal, open questions (labels: coverage threshold)")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(args.chart, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
