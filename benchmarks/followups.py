"""Follow-up questions: do they stay on what was just cited, and do new ones start clean?

    EVCHAT_HOME=.evchat-eval python -m benchmarks.followups [--train 150] [--seed 25]
        [--dev DIR] [--train-dir DIR] [--out benchmarks/results/followups.json]

Built mechanically from ``../shared/eval/dev`` (every answerable question) and a seeded
sample of ``../shared/eval/train`` (their text is read at run time, never copied into the
repository). Each set is indexed into its own collection (as ``evchat eval`` does); the
train sample's collection holds only the sampled questions' documents and those of their
pronoun follow-ups (:func:`train_subset`, written under ``benchmarks/results/``). For
each answerable
question whose answer cites something, one conversation asks, each ``as_of`` the
question's date:

1. the question;
2. "When was that reported?": right when the answer cites the document the first
   answer cited first and states that document's date (as the set's documents.jsonl
   records it: ISO, "20 March 2024" or "March 20, 2024");
3. "Who reported it?": right when it cites that document and names its source;
4. where the set allows it, a pronoun question about the answer entity: another
   question of the set that names the first question's answer (a company or place the
   claims' lexicon knows, asked by a question that is not "who …" or "where …") where
   "it" can stand (:func:`pronoun_slot`: no other name before it, after a preposition,
   an auxiliary or a verb, not a modifier), with that name replaced by "it" ("its" for
   "X's"); names after it may stay ("How much did it pay for Maxwell?"). On train, that
   other question may be any of the set's (its documents are indexed with the sample's).
   Right when the answer matches
   that question's gold answer as ``evchat eval`` judges answers; reported beside the
   same question asked with the name, alone, and the share of follow-ups whose answer is
   the one the named question gets (same short answer or first cited document);
5. (a conversation of its own) "Tell me about <name>." for a known company or place the
   question names where "it" can stand, then the question with that name made "it"
   (:func:`subject_question`): a pronoun for the previous question's subject. Right and
   reported as for 4 ("pronoun_subject"); "pronoun_all_right" pools both kinds;
6. an unrelated question of the set (another gold document, seeded pick), which must be
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
from functools import cache
from pathlib import Path
from typing import Any

from assistant import Assistant
from assistant.answer.claims.lexicon import ADJECTIVAL_FORMS, ALIAS_GROUPS, DEMONYMS, LOCATED_IN
from assistant.answer.spans import asks_person, names
from assistant.eval.harness import load_jsonl, prepare
from assistant.eval.metrics import answer_matches
from assistant.types import Answer

REPO = Path(__file__).resolve().parent.parent
SHARED = next((p / "shared/eval" for p in REPO.parents if (p / "shared/eval").is_dir()), None)
KINDS = ("date", "source", "pronoun", "pronoun_subject", "unrelated")
DATE_Q = "When was that reported?"
SOURCE_Q = "Who reported it?"
TELL_ME = "Tell me about {name}."
PARTNER = "followup_partner"  # a train question asked only as another's pronoun follow-up
_NAME_ANSWER = re.compile(r"^[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,3}$")


@dataclass
class Tally:
    """Right / asked per kind, and the extras."""

    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    asked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    leaks: int = 0
    pronoun_named_right: int = 0  # the same questions asked with the name, alone
    pronoun_same: int = 0  # follow-up answered as the named question is
    subject_named_right: int = 0  # the subject follow-ups' questions asked as written
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
        n_subject = self.asked["pronoun_subject"]
        n_all = n_pronoun + n_subject
        return {
            "share_right": share,
            "asked": self.asked,
            "leak_rate": round(self.leaks / n_unrelated, 3) if n_unrelated else None,
            "pronoun_named_alone_right": (
                round(self.pronoun_named_right / n_pronoun, 3) if n_pronoun else None
            ),
            "pronoun_same_as_named": round(self.pronoun_same / n_pronoun, 3) if n_pronoun else None,
            "pronoun_subject_named_alone_right": (
                round(self.subject_named_right / n_subject, 3) if n_subject else None
            ),
            "pronoun_all_right": (
                round((self.right["pronoun"] + self.right["pronoun_subject"]) / n_all, 3)
                if n_all
                else None
            ),
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
    if name.lower() not in known_things():  # "it" stands for a company or a place
        return None
    pattern = re.compile(rf"\b{re.escape(name)}(['’]s)?\b")
    for other in pool:
        if other["qid"] == q["qid"] or str(other.get("answer", "")).strip() == name:
            continue
        m = pattern.search(str(other["question"]))
        if not m or not pronoun_slot(str(other["question"]), m):
            continue
        said = "its" if m.group(1) else "it"
        asked = other["question"][: m.start()] + said + other["question"][m.end() :]
        return {**other, "pronoun_question": asked}
    return None


# Words after which a name stands where "it" can (a preposition, an auxiliary, "after"),
# and words that may follow it there ("in it this week", "slamming it, causing ...").
_BEFORE_SLOT = frozenset(
    "in of on at to from for with about by into over against after than amid near across "
    "did does do is was were has have had will would can could".split()
)
_AFTER_SLOT = frozenset(
    "this last next and or to in on at for from with over after amid since as but by into "
    "during that which who so".split()
)


def pronoun_slot(text: str, m: re.Match[str]) -> bool:
    """The name matched by ``m`` can be made "it" in ``text``: no other name before it
    (which "it" could stand for), after a preposition, an auxiliary or a verb ("did it
    debut", "slamming it"), and not used as a modifier ("in US history", "Covid-19
    vaccine"): what follows is punctuation, a small word, or its verb."""
    before = text[: m.start()].split()
    if not before or names(" ".join(before[1:])):
        return False
    prev = before[-1]
    low = prev.lower()
    if not (low in _BEFORE_SLOT or (prev.islower() and low.endswith(("ing", "ed")))):
        return False
    rest = text[m.end() :]
    if re.match(r",\s*[A-Z]", rest):  # "Washington, DC", "Kyiv, Ukraine": one place
        return False
    nxt = re.match(r"\s*([\w’'-]+)", rest)
    if m.group(1) or nxt is None or rest[: nxt.start(1)].strip():  # "its", or punctuation
        return True
    word = nxt.group(1)
    subject = low in _BEFORE_SLOT and low not in _PREPOSITIONS  # "did it debut"
    return word.lower() in _AFTER_SLOT or (word.islower() and (subject or word.endswith("ed")))


_PREPOSITIONS = _BEFORE_SLOT - frozenset(
    "did does do is was were has have had will would can could after".split()
)


@cache
def known_things() -> frozenset[str]:
    """The organisations and places the claims' lexicon knows by name (not adjectives nor
    peoples: "German", "Americans"): the names "it" may stand for, never a person."""
    nouns = {g[0] for g in DEMONYMS} | set(LOCATED_IN)
    nouns |= {p for places in LOCATED_IN.values() for p in places}
    nouns |= {f for g in ALIAS_GROUPS for f in g if f.lower() not in ADJECTIVAL_FORMS}
    nouns -= {f for g in DEMONYMS for f in g[1:]}
    return frozenset(n.lower() for n in nouns if not n.lower().endswith(("ans", "ns", "ese")))


def subject_question(q: dict[str, Any]) -> tuple[str, str] | None:
    """A name ``q`` asks about (a known organisation or place, not its answer) and ``q``
    with that name made "it": asked after "Tell me about <name>."."""
    text = str(q["question"])
    answer = str(q.get("answer") or "").lower()
    body = text.split(maxsplit=1)
    if len(body) < 2:
        return None
    offset = len(text) - len(body[1])
    things = known_things()
    for n in names(body[1]):
        low = n.text.lower()
        if low not in things or low in answer or (answer and answer in low):
            continue
        m = re.compile(rf"\b{re.escape(n.text)}(['’]s)?").match(text, n.start + offset)
        if m and pronoun_slot(text, m):
            said = "its" if m.group(1) else "it"
            return n.text, text[: m.start()] + said + text[m.end() :]
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
        self.subject(q)

    def subject(self, q: dict[str, Any]) -> None:
        """ "Tell me about <name>.", then ``q`` with that name made "it", where it can."""
        found = subject_question(q)
        if found is None:
            return
        name, asked = found
        chat = self.bot.conversations(f"bench-subject-{q['qid']}").new()
        chat.ask(TELL_ME.format(name=name), as_of=q.get("as_of_date"))
        a = chat.ask(asked, as_of=q.get("as_of_date"))
        named = self.ask_alone(q)
        gold = str(q["answer"])
        ok = not a.refused and answer_matches(a.text, a.short_answer, gold)
        self.tally.subject_named_right += int(
            not named.refused and answer_matches(named.text, named.short_answer, gold)
        )
        self.tally.add(
            "pronoun_subject",
            ok,
            qid=q["qid"],
            asked=asked,
            searched=a.standalone_question,
            got=a.text[:200],
            named=named.text[:200],
            wanted=gold,
        )

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
            named=named.text[:200],
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
    openers = [q for q in pool if not q.get(PARTNER)]
    picked = rng.sample(openers, sample) if sample and sample < len(openers) else openers
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
    (each question's evidence snippet and the web articles listed after it), with the
    other questions of the set their pronoun follow-ups are made of (marked
    :data:`PARTNER`: asked only as follow-ups) and those questions' documents, written under
    ``out`` at run time: indexing all 4,258 train documents takes most of an hour on two
    busy cores; the conversation and the question alone are asked of the same collection,
    so the comparison holds."""
    questions = [q for q in load_jsonl(train / "questions.jsonl") if q.get("answerable", True)]
    picked = random.Random(seed).sample(questions, min(n, len(questions)))
    qids = {q["qid"] for q in picked}
    partners: dict[str, dict[str, Any]] = {}
    for q in picked:  # the pronoun questions' own, from the whole set
        other = pronoun_question(q, questions)
        if other is not None and other["qid"] not in qids:
            clean = {k: v for k, v in other.items() if k != "pronoun_question"}
            partners.setdefault(other["qid"], {**clean, PARTNER: True})
    picked = picked + list(partners.values())
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
        "| set | questions | date | source | pronoun: answer (named alone; n) "
        "| pronoun: subject (named alone; n) | pronoun, all | unrelated | leak |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        s, n = r["share_right"], r["asked"]
        rows.append(
            f"| {name} | {r['first_answer_cited']}/{r['sampled']} | {s['date']} ({n['date']}) "
            f"| {s['source']} ({n['source']}) | {s['pronoun']} ({r['pronoun_named_alone_right']}"
            f"; {n['pronoun']}) | {s['pronoun_subject']} "
            f"({r['pronoun_subject_named_alone_right']}; {n['pronoun_subject']}) "
            f"| {r['pronoun_all_right']} | {s['unrelated']} ({n['unrelated']}) "
            f"| {r['leak_rate']} |"
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
