"""Feedback becomes evaluation data: ``evchat feedback export DIR``, then ``evchat eval DIR``.

The folder gets ``questions.jsonl`` and ``documents.jsonl`` in the format of the dev set
(``../shared/eval/dev``), so the evaluation harness runs on the user's own questions:

* a 👍 answer becomes a **regression case**: the expected answer is its short answer, the
  option it named, or else the quote of its first citation not marked wrong; the cited
  documents (minus those marked wrong) are gold, their quotes the gold evidence;
* a 👎 (or any verdict) with "the right answer is …" becomes a **corrected case** with
  that answer; gold are the documents among the cited and retrieved passages that
  contain it (none when no passage does);
* a 👍 on a refusal (the user confirms the documents don't say) becomes an
  **unanswerable case**.

Each case is asked as its standalone question, as of its as-of date or else the day it
was asked (so "this week" keeps its meaning), with its options if it had any. The
documents exported are those the cases and their answers refer to (cited, gold, and the
closest passages of refusals, which make good near misses), or with ``all_documents``
every document of the collection. Later feedback on the same question replaces earlier.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answer.markers import strip_markers
from assistant.conversations.records import ConversationInfo, Turn
from assistant.errors import BadInputError
from assistant.eval.metrics import choice_named_in, contains, normalise

if TYPE_CHECKING:
    from assistant.assistant import Assistant

MAX_GOLD_DOCS = 3


@dataclass
class FeedbackExport:
    """What ``export_feedback`` wrote."""

    folder: Path
    questions: int = 0
    documents: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # "conversation #turn: why"

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``evchat feedback export --json``."""
        return {
            "folder": str(self.folder),
            "questions": self.questions,
            "documents": self.documents,
            "by_type": self.by_type,
            "skipped": self.skipped,
        }


def _asked_day(t: Turn) -> str:
    return t.as_of or dt.datetime.fromtimestamp(t.created_at, tz=dt.UTC).date().isoformat()


def _good_citations(t: Turn) -> list[Any]:
    wrong = set(t.feedback.wrong_citations) if t.feedback else set()
    return [c for c in sorted(t.answer.citations, key=lambda c: c.n) if c.n not in wrong]


def _expected(t: Turn) -> str | None:
    if t.short_answer:
        return t.short_answer
    if t.options:
        named = choice_named_in(t.answer.text, list(t.options))
        if named:
            return named
    good = _good_citations(t)
    if good:
        return " ".join(good[0].quote.split())
    first = t.answer.sentences[0].text if t.answer.sentences else t.answer.text
    return strip_markers(first) or None


class _CaseBuilder:
    """Turns feedback into cases, and collects the documents the cases refer to."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot
        self.referenced: set[str] = set()

    def case(self, info: ConversationInfo, t: Turn) -> tuple[dict[str, Any] | None, str]:
        """(the case, its kind) or (None, why there is none)."""
        fb = t.feedback
        assert fb is not None
        self.referenced |= {c.doc_id for c in t.answer.citations}
        self.referenced |= {p.doc_id for p in t.answer.passages}
        base: dict[str, Any] = {
            "qid": f"fb-{info.id}-{t.position}",
            "question": t.standalone_question or t.question,
            "as_of_date": _asked_day(t),
            "dataset": "evchat-feedback",
            "source_conversation": info.id,
            "asked_question": t.question,
        }
        if t.options:
            base["choices"] = list(t.options)
        if fb.right_answer:
            gold = self._docs_containing(t, fb.right_answer)
            return self._answerable(base, fb.right_answer, gold, [], "feedback_corrected"), ""
        if fb.verdict == "up" and t.answer.refused:
            base.update(answer="", gold_doc_ids=[], gold_evidence=[], answerable=False)
            return {**base, "question_type": "feedback_unanswerable"}, ""
        if fb.verdict == "up":
            expected = _expected(t)
            if not expected:
                return None, "the answer has nothing to expect"
            good = _good_citations(t)
            gold = list(dict.fromkeys(c.doc_id for c in good))
            evidence = [" ".join(c.quote.split()) for c in good]
            return self._answerable(base, expected, gold, evidence, "feedback_confirmed"), ""
        if fb.verdict == "down":
            return None, "👎 without the right answer"
        return None, "only citations were marked"

    def _answerable(
        self, base: dict[str, Any], answer: str, gold: list[str], evidence: list[str], kind: str
    ) -> dict[str, Any]:
        self.referenced |= set(gold)
        return {
            **base,
            "answer": answer,
            "gold_doc_ids": gold,
            "gold_evidence": evidence,
            "answerable": True,
            "question_type": kind,
        }

    def _docs_containing(self, t: Turn, answer: str) -> list[str]:
        """Documents whose passages (cited, or retrieved for the question or the answer)
        contain ``answer``: cited ones first, at most :data:`MAX_GOLD_DOCS`."""
        good = {c.chunk_id for c in _good_citations(t)}
        passages = [p for p in t.answer.passages if p.chunk_id in good or t.answer.refused]
        retriever = self.bot.for_collection(t.collection).retriever()
        for query in (t.standalone_question or t.question, answer):
            passages += retriever.retrieve(query, k=10, as_of=_asked_day(t))
        found = [p.doc_id for p in passages if contains(p.text, answer)]
        return list(dict.fromkeys(found))[:MAX_GOLD_DOCS]


def _key(case: dict[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    choices = tuple(normalise(c) for c in case.get("choices") or ())
    return normalise(case["question"]), case["as_of_date"], choices


def export_feedback(
    bot: Assistant,
    folder: Path,
    user: str | None = None,
    all_documents: bool = False,
) -> FeedbackExport:
    """Write the feedback on ``bot``'s collection (of ``user``, or of every user) as an
    evaluation set in ``folder``; see the module docstring."""
    turns = bot.history_store.with_feedback(user, bot.collection_name)
    builder = _CaseBuilder(bot)
    report = FeedbackExport(Path(folder))
    cases: dict[tuple[str, str, tuple[str, ...]], dict[str, Any]] = {}
    for info, t in turns:
        case, why = builder.case(info, t)
        if case is None:
            report.skipped.append(f"{info.id} #{t.position}: {why}")
        else:
            cases[_key(case)] = case  # later feedback on the same question wins
    if not cases:
        raise BadInputError(
            f"There is no feedback to export on collection {bot.collection_name!r}: rate "
            "answers with 👍 / 👎 (or give the right answer) first."
        )
    docs = _documents(bot, None if all_documents else builder.referenced)
    if not docs:  # e.g. only refusals without passages: the whole collection, then
        docs = _documents(bot, None)
    known = {d["doc_id"] for d in docs}
    kept = []
    for case in cases.values():
        gold = [d for d in case["gold_doc_ids"] if d in known]
        if case["gold_doc_ids"] and not gold:
            report.skipped.append(f"{case['qid']}: its documents are no longer indexed")
            continue
        kept.append({**case, "gold_doc_ids": gold})
    _write(report, kept, docs)
    return report


def _documents(bot: Assistant, wanted: Iterable[str] | None) -> list[dict[str, Any]]:
    manifest = bot.retriever().col.manifest
    records = manifest.documents()
    ids = sorted(records) if wanted is None else sorted(set(wanted) & set(records))
    out = []
    for doc_id in ids:
        text = manifest.document_text(doc_id)
        if not text:
            continue
        r = records[doc_id]
        out.append({"doc_id": doc_id, "title": r.title, "source": r.source,
                    "published_at": r.published_at, "url": r.url, "text": text,
                    "doc_kind": "user_document"})  # fmt: skip
    return out


def _write(report: FeedbackExport, cases: Sequence[dict[str, Any]], docs: Sequence[Any]) -> None:
    folder = report.folder
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("questions.jsonl", cases), ("documents.jsonl", docs)):
        tmp = folder / f".{name}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        tmp.replace(folder / name)
    report.questions, report.documents = len(cases), len(docs)
    for case in cases:
        report.by_type[case["question_type"]] = report.by_type.get(case["question_type"], 0) + 1
