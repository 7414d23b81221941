"""``evchat eval``: retrieval, answer, refusal and citation quality on a labelled question set.

A data directory holds ``documents.jsonl`` (``doc_id, title, source, published_at, text,
doc_kind, …``) and ``questions.jsonl`` (``qid, question, answer, gold_doc_ids,
gold_evidence, question_type, answerable, as_of_date``, optional ``choices`` and
``reference_answer_outside_corpus``). The documents are indexed into a collection of
their own (named after the directory, reused while unchanged), every question is asked
``as_of`` its date, and the results are summed up in an :class:`EvalReport`.

>>> from assistant.evaluate import run_eval, write_report   # doctest: +SKIP
>>> report = run_eval(Path("eval/dev"))                     # doctest: +SKIP
>>> write_report(report, Path("out"))                       # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.eval_metrics import (
    EXTRA_KEYS,
    REPORT_KEYS,
    TABLE_KEYS,
    QuestionResult,
    aggregate,
    contains,
    hit_rank,
    normalise,
    pick_choice,
    quote_is_precise,
    ranked_docs,
    to_markdown,
)
from assistant.service import Assistant
from assistant.types import Answer
from index.settings import Settings

_CEILINGS = frozenset({"false_refusal_rate", "outside_answer_rate", "citations_on_unanswerable"})
_SETTINGS_SHOWN = (
    "k",
    "candidates",
    "dense_weight",
    "bm25_weight",
    "rrf_k",
    "max_chunks_per_doc",
    "support_threshold",
    "refusal_threshold",
    "max_answer_sentences",
    "chunk_tokens",
    "embedding",
)


@dataclass
class EvalReport:
    """Metrics overall, by question type and by gold document kind, plus per-question rows."""

    overall: dict[str, Any]
    by_type: dict[str, dict[str, Any]]
    by_doc_kind: dict[str, dict[str, Any]]
    questions: list[QuestionResult] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """What ``evchat eval --json`` prints: exactly :data:`REPORT_KEYS` and ``by_type``."""
        out: dict[str, Any] = {key: self.overall.get(key) for key in REPORT_KEYS}
        out["by_type"] = self.by_type
        return out

    def summary(self) -> dict[str, Any]:
        """:data:`REPORT_KEYS`, the extra metrics, ``by_type`` and ``by_doc_kind``."""
        out = {key: self.overall.get(key) for key in (*REPORT_KEYS, *EXTRA_KEYS)}
        out["by_type"] = self.by_type
        out["by_doc_kind"] = self.by_doc_kind
        return out

    def details(self) -> dict[str, Any]:
        """The summary plus the run's configuration and one row per question."""
        return {
            **self.summary(),
            "config": self.config,
            "per_question": [q.to_dict() for q in self.questions],
        }


def collection_name(data_dir: Path) -> str:
    """The collection an eval set is indexed into: ``eval-`` + 8 hex of its absolute path."""
    return "eval-" + hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:8]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prepare(
    data_dir: Path, settings: Settings | None = None, show_progress: bool = True
) -> tuple[Assistant, list[dict[str, Any]], dict[str, str]]:
    """Index the set's documents (incrementally); return the assistant, questions, doc kinds."""
    data_dir = Path(data_dir)
    docs_path = data_dir / "documents.jsonl"
    kinds = {str(d["doc_id"]): str(d.get("doc_kind") or "document") for d in load_jsonl(docs_path)}
    assistant = Assistant(settings or Settings(), collection=collection_name(data_dir))
    report = assistant.index([docs_path], prune=True, show_progress=show_progress)
    if report.failed:
        raise RuntimeError(f"indexing {docs_path} failed: {report.failed[:3]}")
    return assistant, load_jsonl(data_dir / "questions.jsonl"), kinds


def run_eval(
    data_dir: Path,
    settings: Settings | None = None,
    k: int = 10,
    answerer: str = "extractive",
    show_progress: bool = True,
    limit: int | None = None,
    options: bool = True,
) -> EvalReport:
    """Index ``data_dir/documents.jsonl``, ask every question, and measure the answers.

    A question's ``choices`` are passed to the assistant as the options of a
    multiple-choice question unless ``options`` is false.
    """
    t0 = time.perf_counter()
    assistant, questions, kinds = prepare(data_dir, settings, show_progress)
    report = evaluate(
        assistant, questions[:limit], kinds, k, answerer, show_progress, options=options
    )
    report.config.update(data_dir=str(Path(data_dir).resolve()), total_s=_secs(t0))
    return report


def evaluate(
    assistant: Assistant,
    questions: Sequence[dict[str, Any]],
    kinds: dict[str, str],
    k: int = 10,
    answerer: str | None = "extractive",
    show_progress: bool = True,
    answers: bool = True,
    options: bool = True,
) -> EvalReport:
    """Measure ``questions`` on an already indexed assistant (``answers=False``: retrieval only)."""
    t0 = time.perf_counter()
    results = [
        _one(assistant, q, kinds, k, answerer, answers, options)
        for q in tqdm(questions, desc="eval", unit="q", file=sys.stderr, disable=not show_progress)
    ]
    s = assistant.settings
    config = {name: getattr(s, name) for name in _SETTINGS_SHOWN}
    config.update(
        eval_k=k, answerer=answerer, collection=assistant.collection_name, options=options
    )
    config["questions_s"] = _secs(t0)
    return build_report(results, config)


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


def _one(
    assistant: Assistant,
    q: dict[str, Any],
    kinds: dict[str, str],
    k: int,
    answerer: str | None,
    answers: bool,
    options: bool = True,
) -> QuestionResult:
    gold = [str(g) for g in q.get("gold_doc_ids") or []]
    answerable = bool(q.get("answerable", True))
    as_of = q.get("as_of_date") or None
    r = QuestionResult(
        qid=str(q["qid"]),
        question_type=str(q.get("question_type") or "unknown"),
        answerable=answerable,
        gold_kinds=sorted({kinds[g] for g in gold if g in kinds}),
        has_gold=bool(gold),
    )
    if answerable and gold:
        passages = assistant.retriever().retrieve(q["question"], k=k, as_of=as_of)
        r.hit_rank = hit_rank(ranked_docs(p.doc_id for p in passages), gold)
    if answers:
        choices = [str(c) for c in q.get("choices") or []] if options else None
        _score_answer(
            r,
            assistant,
            q,
            assistant.ask(q["question"], as_of=as_of, answerer=answerer, choices=choices),
        )
    return r


def _score_answer(r: QuestionResult, assistant: Assistant, q: dict[str, Any], ans: Answer) -> None:
    gold_answer = q.get("answer")
    r.refused = ans.refused
    r.answer = ans.text[:300]
    r.retrieve_ms = ans.timings_ms.get("retrieve", 0.0)
    r.answer_ms = ans.timings_ms.get("answer", 0.0)
    text = "" if ans.refused else ans.text
    if r.answerable:
        r.correct = bool(gold_answer) and contains(text, str(gold_answer))
        if q.get("choices"):
            picked = pick_choice(text, [str(c) for c in q["choices"]])
            r.choice_correct = picked is not None and normalise(picked) == normalise(
                str(gold_answer)
            )
    elif q.get("reference_answer_outside_corpus"):
        r.outside = contains(text, str(q["reference_answer_outside_corpus"]))
    if not ans.refused:
        r.sentences = len(ans.sentences)
        r.supported_sentences = sum(1 for s in ans.sentences if s.supported)
    chunk_text = {p.chunk_id: p.text for p in ans.passages}
    # documents the set marks as containing the answer count as gold for citations
    gold = [*(q.get("gold_doc_ids") or []), *(q.get("answer_bearing_doc_ids") or [])]
    evidence = [str(e) for e in q.get("gold_evidence") or []]
    for c in ans.citations:
        r.citations += 1
        source = chunk_text.get(c.chunk_id)
        if source is None:
            got = assistant.retriever().col.store.collection.get(
                ids=[c.chunk_id], include=["documents"]
            )
            source = (got.get("documents") or [""])[0] or ""
        r.verbatim_citations += bool(c.quote) and c.quote in source
        quoted = str(gold_answer) if gold_answer else None
        r.precise_citations += quote_is_precise(c.quote, c.doc_id, gold, evidence, quoted)


def _secs(t0: float) -> float:
    return round(time.perf_counter() - t0, 1)


def write_report(report: EvalReport, out_dir: Path) -> list[Path]:
    """Write ``eval.json`` (with per-question rows), ``eval.md`` and ``eval.png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "eval.json", out_dir / "eval.md", out_dir / "eval.png"]
    paths[0].write_text(
        json.dumps(report.details(), indent=2, default=str) + "\n", encoding="utf-8"
    )
    paths[1].write_text(to_markdown(report.summary(), report.config), encoding="utf-8")
    d = report.summary()
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
    fig.savefig(paths[2], dpi=110)
    plt.close(fig)
    return paths


def check_floor(report: EvalReport, floor_path: Path) -> list[str]:
    """Failure messages for metrics under their floor (over their ceiling when lower is better).

    The floor file maps metric names to values; ``by_type``/``by_doc_kind`` may hold
    ``{group: {metric: floor}}``; keys starting with ``_`` are comments. Latencies,
    ``false_refusal_rate``, ``outside_answer_rate`` and ``citations_on_unanswerable``
    are ceilings. ``quotes_verbatim`` below 1.0 always fails.
    """
    floor = json.loads(Path(floor_path).read_text(encoding="utf-8"))
    d = report.summary()
    failures: list[str] = []
    if d["quotes_verbatim"] is None or d["quotes_verbatim"] < 1.0:
        failures.append(f"quotes_verbatim {d['quotes_verbatim']} < 1.0: a quote is not verbatim")

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
