"""``evchat eval``: retrieval, answer, refusal and citation quality on a labelled question set.

A data directory holds ``documents.jsonl`` (``doc_id, title, source, published_at, text,
doc_kind, …``) and ``questions.jsonl`` (``qid, question, answer, gold_doc_ids,
gold_evidence, question_type, answerable, as_of_date``, optional ``choices`` and
``reference_answer_outside_corpus``). The documents are indexed into a collection of
their own (named after the directory, reused while unchanged), every question is asked
``as_of`` its date, and the results are summed up in an :class:`EvalReport`.

>>> from assistant.eval import run_eval, write_report          # doctest: +SKIP
>>> report = run_eval(Path("eval/dev"))                     # doctest: +SKIP
>>> write_report(report, Path("out"))                       # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.assistant import Assistant
from assistant.eval.metrics import (
    QuestionResult,
    answer_matches,
    choice_named_in,
    contains,
    hit_rank,
    normalise,
    quote_is_precise,
    ranked_docs,
)
from assistant.eval.report import EvalReport, build_report
from assistant.eval.split import Part, select
from assistant.settings import Settings
from assistant.types import Answer

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


def collection_name(data_dir: Path) -> str:
    """The collection an eval set is indexed into: ``eval-`` + 8 hex of its absolute path."""
    return "eval-" + hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:8]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prepare(
    data_dir: Path,
    settings: Settings | None = None,
    show_progress: bool = True,
    collection: str | None = None,
) -> tuple[Assistant, list[dict[str, Any]], dict[str, str]]:
    """Index the set's documents (incrementally) into ``collection`` (default: one named
    after the folder); return the assistant, questions, doc kinds."""
    data_dir = Path(data_dir)
    docs_path = data_dir / "documents.jsonl"
    kinds = {str(d["doc_id"]): str(d.get("doc_kind") or "document") for d in load_jsonl(docs_path)}
    name = collection or collection_name(data_dir)
    assistant = Assistant(settings or Settings(), collection=name)
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
    collection: str | None = None,
    part: Part | None = None,
) -> EvalReport:
    """Index ``data_dir/documents.jsonl``, ask every question, and measure the answers.

    ``part`` ("fit" or "check", see :mod:`assistant.eval.split`) asks only that part of
    the set's questions.

    The report measures the questions asked without options (as users ask them); unless
    ``options`` is false, ``report.with_options`` measures them with their ``choices``
    passed as the options of a multiple-choice question.
    """
    t0 = time.perf_counter()
    assistant, questions, kinds = prepare(data_dir, settings, show_progress, collection)
    questions = select(questions, part)
    report = evaluate(
        assistant, questions[:limit], kinds, k, answerer, show_progress, options=options
    )
    report.config.update(data_dir=str(Path(data_dir).resolve()), total_s=_secs(t0), part=part)
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
    """Measure ``questions`` on an already indexed assistant (``answers=False``: retrieval only).

    Every question is asked as users ask it, without options: that is the report. With
    ``options``, the questions that come with ``choices`` are asked again with them as
    the options of a multiple-choice question, and ``report.with_options`` holds that
    column (the other questions' results are shared).
    """
    t0 = time.perf_counter()
    open_rows, option_rows = [], []
    for q in tqdm(questions, desc="eval", unit="q", file=sys.stderr, disable=not show_progress):
        row = _one(assistant, q, kinds, k, answerer, answers)
        open_rows.append(row)
        if options and answers and q.get("choices"):
            choices = [str(c) for c in q["choices"]]
            option_rows.append(_one(assistant, q, kinds, k, answerer, answers, choices, row))
        else:
            option_rows.append(row)
    flat = assistant.settings.flat()
    config = {name: flat[name] for name in _SETTINGS_SHOWN}
    config.update(
        eval_k=k, answerer=answerer, collection=assistant.collection_name, options=options
    )
    config["questions_s"] = _secs(t0)
    report = build_report(open_rows, config)
    if options:
        report.with_options = build_report(option_rows, config)
    return report


def _one(
    assistant: Assistant,
    q: dict[str, Any],
    kinds: dict[str, str],
    k: int,
    answerer: str | None,
    answers: bool,
    choices: list[str] | None = None,
    retrieved: QuestionResult | None = None,
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
    if retrieved is not None:
        r.hit_rank = retrieved.hit_rank  # retrieval does not look at the options
    elif answerable and gold:
        passages = assistant.retriever().retrieve(q["question"], k=k, as_of=as_of)
        r.hit_rank = hit_rank(ranked_docs(p.doc_id for p in passages), gold)
    if answers:
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
    r.short_answer = None if ans.refused else ans.short_answer
    r.retrieve_ms = ans.timings_ms.get("retrieve", 0.0)
    r.answer_ms = ans.timings_ms.get("answer", 0.0)
    text = "" if ans.refused else ans.text
    if r.answerable:
        r.correct = bool(gold_answer) and answer_matches(text, r.short_answer, str(gold_answer))
        if q.get("choices"):
            picked = choice_named_in(text, [str(c) for c in q["choices"]])
            r.choice_correct = picked is not None and normalise(picked) == normalise(
                str(gold_answer)
            )
    elif q.get("reference_answer_outside_corpus"):
        r.outside = contains(text, str(q["reference_answer_outside_corpus"]))
    if not ans.refused:
        r.sentences = len(ans.sentences)
        r.supported_sentences = sum(1 for s in ans.sentences if s.supported)
    _score_citations(r, assistant, q, ans)


def _score_citations(
    r: QuestionResult, assistant: Assistant, q: dict[str, Any], ans: Answer
) -> None:
    gold_answer = q.get("answer")
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
