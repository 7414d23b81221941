"""Follow-up questions: do they stay on what was just cited, and do new ones start clean?

    EVCHAT_HOME=.evchat-eval python -m benchmarks.followups [--train 150] [--seed 25]
        [--dev DIR] [--train-dir DIR] [--out benchmarks/results/followups.json]

Built mechanically from ``../shared/eval/dev`` (every answerable question) and a seeded
sample of ``../shared/eval/train`` (their text is read at run time, never copied into the
repository). Each set is indexed into its own collection (as ``evchat eval`` does); the
train sample's collection holds only the sampled questions' documents
(:func:`train_subset`, written under ``benchmarks/results/``). For each answerable
question whose answer cites something, one conversation asks, each ``as_of`` the
question's date:

1. the question;
2. "When was that reported?": right when the answer cites the document the first
   answer cited first and states that document's date (as the set's documents.jsonl
   records it: ISO, "20 March 2024" or "March 20, 2024");
3. "Who reported it?": right when it cites that document and names its source;
4. where the set allows it, a pronoun question about the answer entity: another
   question of the set that names the first question's answer (a name, not a person's,
   asked by a question that is not "where …") and nothing else, with that name replaced
   by "it" ("its" for "X's"). Right when the answer matches that question's gold answer as
   ``evchat eval`` judges answers; reported beside the same question asked with the
   name, alone, and the share of follow-ups whose answer is the one the named question
   gets (same short answer or first cited document);
5. an unrelated question of the set (another gold document, seeded pick), which must be
   answered as it is when asked alone: same text, same cited documents, same refusal.
   A *leak* is an unrelated answer that cites a document the conversation cited before
   when the same question asked alone does not.

Prints a table and writes the JSON to ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant import Assistant
from assistant.answer.spans import asks_person, names
from assistant.eval.harness import load_jsonl, prepare
from assistant.eval.metrics import answer_matches
from assistant.types import Answer

REPO = Path(__file__).resolve().parent.parent
SHARED = next((p / "shared/eval" for p in REPO.parents if (p / "shared/eval").is_dir()), None)
KINDS = ("date", "source", "pronoun", "unrelated")
DATE_Q = "When was that reported?"
SOURCE_Q = "Who reported it?"
_NAME_ANSWER = re.compile(r"^[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,3}$")


@dataclass
class Tally:
    """Right / asked per kind, and the extras."""

    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    asked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    leaks: int = 0
    pronoun_named_right: int = 0  # the same questions asked with the name, alone
    pronoun_same: int = 0  # follow-up answered as the named question is
    first_cited: int = 0
    questions: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, ok: bool, **detail: Any) -> None:
        """Count one follow-up of ``kind``."""
        self.asked[kind] += 1
        self.right[kind] += int(ok)
        if not ok and len(self.misses) < 40:
            self.misses.append({"kind": kind, **detail})

    def to_dict(self) -> dict[str, Any]:
        """Shares per kind, counts and the first misses."""
        share = {
            k: round(self.right[k] / self.asked[k], 3) if self.asked[k] else None for k in KINDS
        }
        n_unrelated = self.asked["unrelated"]
        n_pronoun = self.asked["pronoun"]
        return {
            "share_right": share,
            "asked": self.asked,
            "leak_rate": round(self.leaks / n_unrelated, 3) if n_unrelated else None,
            "pronoun_named_alone_right": (
                round(self.pronoun_named_right / n_pronoun, 3) if n_pronoun else None
            ),
            "pronoun_same_as_named": round(self.pronoun_same / n_pronoun, 3) if n_pronoun else None,
            "questions": self.questions,
            "first_answer_cited": self.first_cited,
            "misses": self.misses,
        }


def date_forms(value: str | None) -> list[str]:
    """The ways an answer may write a document's date."""
    if not value:
        return []
    try:
        d = dt.date.fromisoformat(value[:10])
    except ValueError:
        return [value]
    return [d.isoformat(), f"{d.day} {d:%B %Y}", f"{d:%B} {d.day}, {d.year}"]


def pronoun_question(q: dict[str, Any], pool: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Another question of ``pool`` naming ``q``'s answer, with the name made "it"."""
    name = str(q.get("answer") or "").strip()
    text = str(q["question"])
    if not _NAME_ANSWER.match(name) or asks_person(text) or re.match(r"\s*where\b", text, re.I):
        return None
    pattern = re.compile(rf"\b{re.escape(name)}(['’]s)?\b")
    for other in pool:
        if other["qid"] == q["qid"] or str(other.get("answer", "")).strip() == name:
            continue
        m = pattern.search(str(other["question"]))
        before = str(other["question"])[: m.start()].split() if m else []
        if not m or not before or before[-1].lower() in ("the", "a", "an"):
            continue
        said = "its" if m.group(1) else "it"
        asked = other["question"][: m.start()] + said + other["question"][m.end() :]
        if not names(asked.split(maxsplit=1)[1]):  # the name was its only subject
            return {**other, "pronoun_question": asked}
    return None


class Run:
    """The conversations over one set."""

    def __init__(self, bot: Assistant, docs: dict[str, dict[str, Any]], pool: list[Any]) -> None:
        self.bot = bot
        self.docs = docs
        self.pool = pool
        self.alone: dict[str, Answer] = {}
        self.tally = Tally()

    def ask_alone(self, q: dict[str, Any], text: str | None = None) -> Answer:
        """``q`` asked on its own (cached by question)."""
        key = text or q["question"]
        if key not in self.alone:
            self.alone[key] = self.bot.ask(key, as_of=q.get("as_of_date"))
        return self.alone[key]

    def conversation(self, q: dict[str, Any], rng: random.Random) -> None:
        """One conversation: the question, its follow-ups, an unrelated question."""
        self.tally.questions += 1
        chat = self.bot.conversations(f"bench-{q['qid']}").new()
        first = chat.ask(q["question"], as_of=q.get("as_of_date"))
        if first.refused or not first.citations:
            return
        self.tally.first_cited += 1
        doc_id = first.citations[0].doc_id
        self.about_document(chat, q, doc_id)
        self.pronoun(chat, q)
        self.unrelated(chat, q, first, rng)

    def about_document(self, chat: Any, q: dict[str, Any], doc_id: str) -> None:
        """The date and source follow-ups."""
        doc = self.docs.get(doc_id, {})
        for kind, asked, wanted in (
            ("date", DATE_Q, date_forms(doc.get("published_at"))),
            ("source", SOURCE_Q, [str(doc.get("source") or "")]),
        ):
            a = chat.ask(asked, as_of=q.get("as_of_date"))
            cites = bool(a.citations) and a.citations[0].doc_id == doc_id
            says = any(w and w.lower() in a.text.lower() for w in wanted)
            self.tally.add(
                kind,
                cites and says and not a.refused,
                qid=q["qid"],
                asked=asked,
                got=a.text[:200],
                wanted=wanted,
            )

    def pronoun(self, chat: Any, q: dict[str, Any]) -> None:
        """The pronoun follow-up, where the set has one."""
        other = pronoun_question(q, self.pool)
        if other is None:
            return
        a = chat.ask(other["pronoun_question"], as_of=other.get("as_of_date"))
        named = self.ask_alone(other)
        gold = str(other["answer"])
        ok = not a.refused and answer_matches(a.text, a.short_answer, gold)
        self.tally.pronoun_named_right += int(
            not named.refused and answer_matches(named.text, named.short_answer, gold)
        )
        self.tally.pronoun_same += int(same_answer(a, named))
        self.tally.add(
            "pronoun",
            ok,
            qid=other["qid"],
            asked=other["pronoun_question"],
            searched=a.standalone_question,
            got=a.text[:200],
            wanted=gold,
        )

    def unrelated(self, chat: Any, q: dict[str, Any], first: Answer, rng: random.Random) -> None:
        """An unrelated question, which must be answered as when asked alone."""
        gold = set(q.get("gold_doc_ids") or ())
        others = [o for o in self.pool if not gold & set(o.get("gold_doc_ids") or ())]
        if not others:
            return
        other = rng.choice(others)
        a = chat.ask(other["question"], as_of=other.get("as_of_date"))
        alone = self.ask_alone(other)
        before = {c.doc_id for t in chat.turns[:-1] for c in t.answer.citations}
        leaked = {c.doc_id for c in a.citations} & before - {c.doc_id for c in alone.citations}
        self.tally.leaks += int(bool(leaked))
        self.tally.add(
            "unrelated",
            same_answer(a, alone, exact=True),
            qid=other["qid"],
            asked=other["question"],
            got=a.text[:200],
            alone=alone.text[:200],
        )


def same_answer(a: Answer, b: Answer, exact: bool = False) -> bool:
    """Two answers alike: the same text and cited documents (``exact``), else the same
    short answer or first cited document."""
    docs_a = [c.doc_id for c in a.citations]
    docs_b = [c.doc_id for c in b.citations]
    if exact:
        return a.refused == b.refused and a.text == b.text and docs_a == docs_b
    if a.refused or b.refused:
        return a.refused == b.refused
    return bool(a.short_answer and a.short_answer == b.short_answer) or docs_a[:1] == docs_b[:1]


def run_set(data: Path, sample: int | None, seed: int) -> dict[str, Any]:
    """Index ``data`` (incrementally) and run the conversations of its sample."""
    bot, questions, _kinds = prepare(data, show_progress=False)
    docs = {str(d["doc_id"]): d for d in load_jsonl(data / "documents.jsonl")}
    pool = [q for q in questions if q.get("answerable", True)]
    rng = random.Random(seed)
    picked = rng.sample(pool, sample) if sample and sample < len(pool) else list(pool)
    run = Run(bot, docs, pool)
    t0 = time.perf_counter()
    for q in picked:
        run.conversation(q, rng)
    out = run.tally.to_dict()
    out["seconds"] = round(time.perf_counter() - t0, 1)
    out["sampled"] = len(picked)
    return out


def train_subset(train: Path, n: int, seed: int, out: Path) -> Path:
    """A set of ``n`` seeded answerable questions of ``train`` and only their documents
    (each question's evidence snippet and the web articles listed after it), written under
    ``out`` at run time: indexing all 4,258 train documents takes most of an hour on two
    busy cores; the conversation and the question alone are asked of the same collection,
    so the comparison holds."""
    questions = [q for q in load_jsonl(train / "questions.jsonl") if q.get("answerable", True)]
    picked = random.Random(seed).sample(questions, min(n, len(questions)))
    groups: dict[str, list[str]] = {}
    current: list[str] = []
    lines = (train / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if not line.strip():
            continue
        doc_id = str(json.loads(line)["doc_id"])
        if doc_id.startswith("rtqa-ev-"):
            current = groups.setdefault(doc_id, [])
        current.append(line)
    wanted = [
        line for q in picked for g in q.get("gold_doc_ids") or () for line in groups.get(g, [])
    ]
    folder = out / f"followups-train-{n}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "documents.jsonl").write_text("\n".join(dict.fromkeys(wanted)) + "\n", "utf-8")
    rows = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in picked)
    (folder / "questions.jsonl").write_text(rows, encoding="utf-8")
    return folder


def table(results: dict[str, dict[str, Any]]) -> str:
    """A Markdown table of the shares right per set."""
    rows = [
        "| set | questions | date | source | pronoun (named alone) | unrelated | leak |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        s, n = r["share_right"], r["asked"]
        rows.append(
            f"| {name} | {r['first_answer_cited']}/{r['sampled']} | {s['date']} ({n['date']}) "
            f"| {s['source']} ({n['source']}) | {s['pronoun']} ({r['pronoun_named_alone_right']}"
            f"; {n['pronoun']}) | {s['unrelated']} ({n['unrelated']}) | {r['leak_rate']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on dev (all) and a sample of train."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=SHARED / "dev" if SHARED else None)
    ap.add_argument("--train-dir", type=Path, default=SHARED / "train" if SHARED else None)
    ap.add_argument("--train", type=int, default=150, help="train questions sampled (0: none)")
    ap.add_argument("--seed", type=int, default=25)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks/results/followups.json")
    args = ap.parse_args(argv)
    if args.dev is None or not (args.dev / "questions.jsonl").is_file():
        print("benchmarks.followups: no eval set found; pass --dev DIR", file=sys.stderr)
        return 2
    results = {"dev": run_set(args.dev, None, args.seed)}
    if args.train and args.train_dir and (args.train_dir / "questions.jsonl").is_file():
        subset = train_subset(args.train_dir, args.train, args.seed, args.out.parent)
        results[f"train (sample of {args.train})"] = run_set(subset, None, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
