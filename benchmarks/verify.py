"""The verifier on claims built from the dev set, through the whole public path.

Claims of six kinds come from the dev set's evidence sentences, answers and quiz options
(``benchmarks/claimset.py``): faithful verbatim, faithful variants, entity swap, number
swap, date/year swap, negation flip. Each goes through ``Assistant.ask`` exactly as a chat
model's answer would: a FAKE OpenAI-compatible server (``tests/fixtures/llm.py``, which
exists because no real model can be told what to say) answers the claim's question with
the claim followed by the marker of the passage that holds the sentence it was made from;
the benchmark reads the returned ``Answer``. A faithful claim is judged right when it comes
back supported, a swapped one when it comes back unsupported.

The *before* column runs the same claims with the claim check switched off (the support
score alone, the verifier of the previous release), in the same run.

    .venv/bin/python -m benchmarks.verify                  # table, before/after, latency
    .venv/bin/python -m benchmarks.verify --chart docs/bench-verify.png
    .venv/bin/python -m benchmarks.verify --no-before --floor benchmarks/verify_floor.json
    .venv/bin/python -m benchmarks.verify --direct 300     # the checker alone, dev + train

Besides the six kinds, the harder faithful variants a chat model writes (issue 24): the
sentence credited to its document's source, a trailing clause dropped, a number rounded
and hedged, a date written another way, an alias, two consecutive sentences merged with
", and". ``--direct N`` runs every kind through ``check_claim`` alone on N documents each
of dev and train (no index needed), against the claim's own document; to compare with an
older checker, run it with that checker's ``assistant`` package first on PYTHONPATH.

The dev set is read at run time (``EVCHAT_BENCH_DEV_DOCS``); nothing of it is written to
the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import random
import re
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant import Assistant, Filters, Settings
from assistant.answer import verify as verify_stage
from assistant.answer.claims import ClaimCheck
from assistant.eval.harness import load_jsonl, prepare
from benchmarks.claimset import (
    HARDER,
    Claim,
    _claims_for,
    build_claims,
    build_doc_claims,
    build_harder,
    pool_swaps,
    split_sentences,
)
from benchmarks.common import DEV_DOCS, RESULTS
from tests.fixtures.llm import FakeLLMServer

KINDS = (
    "faithful_verbatim",
    "faithful_variant",
    *HARDER,
    "entity_swap",
    "number_swap",
    "date_swap",
    "negation_flip",
)
_PASSAGE = re.compile(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', re.DOTALL)


def _flat(text: str) -> str:
    return " ".join(text.split())


class ClaimReplier:
    """What the fake model says: the current claim, citing the passage that holds its
    source sentence (or nothing, when retrieval did not bring that passage)."""

    def __init__(self) -> None:
        self.claim: Claim | None = None
        self.located = False

    def __call__(self, body: dict[str, Any]) -> str:
        assert self.claim is not None
        prompt = body["messages"][-1]["content"]
        probe = _flat(self.claim.base)[:60]
        for n, text in _PASSAGE.findall(prompt):
            if probe in _flat(text):
                self.located = True
                return f"{self.claim.claim} [{n}]"
        self.located = False
        return self.claim.claim


@contextmanager
def claim_check_off() -> Iterator[None]:
    """The verifier of the previous release: the support score alone."""
    real = verify_stage.check_claim
    verify_stage.check_claim = lambda *a, **k: ClaimCheck(True)  # type: ignore[assignment]
    try:
        yield
    finally:
        verify_stage.check_claim = real


def judge(bot: Assistant, replier: ClaimReplier, claim: Claim, q: dict[str, Any]) -> dict:
    """Ask the claim's question (restricted to its document) and read the verdict."""
    replier.claim, replier.located = claim, False
    filters = Filters(doc_ids=(claim.doc_id,))
    answer = bot.ask(q.get("question") or claim.base, as_of=q.get("as_of_date"), filters=filters)
    if not replier.located:  # the question did not bring the sentence (or was refused
        answer = bot.ask(claim.base, filters=filters)  # before the model was asked): ask for it
    supported = not answer.refused and all(s.supported for s in answer.sentences)
    want = claim.kind.startswith("faithful")
    return {
        "kind": claim.kind,
        "sub": claim.sub,
        "ok": supported == want,
        "located": replier.located,
        "refused": answer.refused,
        "answer_ms": answer.timings_ms.get("answer", 0.0),
        "verify_ms": answer.timings_ms.get("verify", 0.0),
        "sentences": [s.to_dict() for s in answer.sentences],
        "claim": claim.claim,
    }


def run(bot: Assistant, replier: ClaimReplier, claims: list[Claim], qs: dict) -> list[dict]:
    """Judge every claim, with a progress line on stderr."""
    rows = []
    for i, claim in enumerate(claims, 1):
        rows.append(judge(bot, replier, claim, qs.get(claim.qid, {})))
        if i % 50 == 0 or i == len(claims):
            print(f"  {i}/{len(claims)} claims", file=sys.stderr, flush=True)
    return rows


def table(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Per kind (and sub-kind): claims, judged correctly, share."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        for key in (r["kind"], f"{r['kind']}/{r['sub']}"):
            counts[key][0] += r["ok"]
            counts[key][1] += 1
    return {k: {"n": n, "correct": ok, "share": round(ok / n, 4)} for k, (ok, n) in counts.items()}


def latency(rows: list[dict], key: str) -> dict[str, float]:
    """p50/p95 of one timing over the rows."""
    xs = sorted(r[key] for r in rows)
    if len(xs) < 2:
        return {}
    q = statistics.quantiles(xs, n=100)
    return {"p50": round(q[49], 1), "p95": round(q[94], 1)}


def print_report(after: dict, before: dict | None) -> None:
    """The per-kind table, before and after."""
    print(f"\n{'kind':34} {'n':>5} {'before':>8} {'after':>8}")
    for key in sorted(after, key=lambda k: (KINDS.index(k.split("/")[0]), "/" in k, k)):
        shown = ("  " + key.split("/")[1]) if "/" in key else key
        b = f"{before[key]['share']:.3f}" if before and key in before else "–"
        print(f"{shown:34} {after[key]['n']:>5} {b:>8} {after[key]['share']:>8.3f}")


def check_floor(after: dict, floor_path: Path) -> list[str]:
    """Kinds whose share fell below the floor file's."""
    floor = json.loads(floor_path.read_text(encoding="utf-8"))
    return [
        f"{kind}: {after.get(kind, {}).get('share')} < floor {limit}"
        for kind, limit in floor.items()
        if not kind.startswith("_") and after.get(kind, {}).get("share", 0.0) < limit
    ]


def chart(after: dict, before: dict | None, path: Path) -> None:
    """Bars per kind: the share judged correctly before and after the claim check."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = range(len(KINDS))
    fig, ax = plt.subplots(figsize=(9, 3.8))
    if before:
        ax.bar([x - 0.2 for x in xs], [before[k]["share"] for k in KINDS], 0.4,
               label="support score only (before)", color="#c9a26b")  # fmt: skip
    ax.bar([x + 0.2 for x in xs], [after[k]["share"] for k in KINDS], 0.4,
           label="with the claim check (now)", color="#4878a8")  # fmt: skip
    ax.set_xticks(list(xs), [k.replace("_", "\n") for k in KINDS], fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("judged correctly")
    ax.set_title("Verifier on dev-set claims: swaps flagged, faithful claims kept")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description="The verifier on dev-set claims.")
    p.add_argument("--home", type=Path, default=Path(".evchat-eval"))
    p.add_argument("--limit", type=int, help="only the first N claims")
    p.add_argument("--wide", action="store_true", help="also claims from the other documents")
    p.add_argument("--no-before", action="store_true", help="skip the claim-check-off column")
    p.add_argument("--chart", type=Path, help="write the bar chart here")
    p.add_argument("--floor", type=Path, help="fail if a kind's share is below this floor")
    p.add_argument(
        "--direct",
        type=int,
        metavar="N",
        help="the claim checker alone (no retrieval, no model) on N documents each of dev "
        "and train (shared/eval/train beside dev): every claim kind against its own "
        "document's sentences, title, source and date",
    )
    return p.parse_args()


def main() -> int:
    """Build the claims, judge them, print and save the results."""
    args = _args()
    if args.direct:
        return direct(args)
    base, questions, _kinds = prepare(DEV_DOCS.parent, Settings(home=args.home))
    docs = {str(d["doc_id"]): d for d in load_jsonl(DEV_DOCS)}
    claims = build_claims(questions, docs)
    claims += build_harder(docs, sorted({c.doc_id for c in claims}))
    if args.wide:
        claims += build_doc_claims(docs, {c.doc_id for c in claims})
    claims = claims[: args.limit]
    qs = {str(q["qid"]): q for q in questions}
    fake, replier = FakeLLMServer(), ClaimReplier()
    fake.start()
    try:
        fake.reply = replier
        bot = Assistant(
            base.settings.replace(
                answerer="openai", openai_base_url=fake.base_url, model="fake", llm_max_retries=0
            ),
            collection=base.collection_name,
        )
        after_rows = run(bot, replier, claims, qs)
        before_rows = None
        if not args.no_before:
            with claim_check_off():
                before_rows = run(bot, replier, claims, qs)
    finally:
        fake.stop()
    return report(args, after_rows, before_rows)


def report(args: argparse.Namespace, after_rows: list[dict], before_rows: list[dict] | None) -> int:
    """Print and save; check the floor."""
    after = table(after_rows)
    before = table(before_rows) if before_rows else None
    print_report(after, before)
    timing = {"after": {k: latency(after_rows, k) for k in ("answer_ms", "verify_ms")}}
    if before_rows:
        timing["before"] = {k: latency(before_rows, k) for k in ("answer_ms", "verify_ms")}
    located = sum(r["located"] for r in after_rows)
    print(f"\nlatency per answer (ms): {json.dumps(timing)}")
    print(f"claims whose sentence the model could cite: {located}/{len(after_rows)}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"after": after, "before": before, "latency_ms": timing, "located": located,
           "failures": [r for r in after_rows if not r["ok"]]}  # fmt: skip
    (RESULTS / "verify.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    if args.chart:
        chart(after, before, args.chart)
    problems = check_floor(after, args.floor) if args.floor else []
    for line in problems:
        print(f"regression: {line}", file=sys.stderr)
    return 1 if problems else 0


def direct_claims(docs: dict[str, dict[str, str]], per_doc: int = 8) -> list[Claim]:
    """Every kind of claim from the first sentences of each document (no quiz options, so
    entity swaps are the ``--wide`` pool swaps)."""
    rng = random.Random(24)
    claims = build_harder(docs, list(docs), per_doc)
    for doc_id, doc in docs.items():
        for s in split_sentences(doc["text"])[:per_doc]:
            if 40 <= len(s) <= 400:
                claims += _claims_for({"qid": doc_id}, s, doc_id, rng)
                claims += [
                    Claim("entity_swap", sub, doc_id, text, s, doc_id)
                    for sub, text in pool_swaps(s, rng)
                ]
    return claims


def direct(args: argparse.Namespace) -> int:
    """``--direct N``: the checker on claims from N dev and N train documents."""
    from assistant.answer.claims import check_claim
    from assistant.answer.sentences import sentence_spans

    takes_source = "source" in inspect.signature(check_claim).parameters
    rows = []
    for part in (DEV_DOCS, DEV_DOCS.parent.parent / "train" / "documents.jsonl"):
        if not part.is_file():
            print(f"(no {part}: skipped)", file=sys.stderr)
            continue
        docs = {str(d["doc_id"]): d for d in load_jsonl(part)}
        picked = dict(sorted(docs.items(), key=lambda kv: _stable(kv[0]))[: args.direct])
        for claim in direct_claims(picked):
            doc = picked[claim.doc_id]
            text = doc["text"]
            meta = {"source": doc.get("source")} if takes_source else {}
            verdict = check_claim(
                claim.claim,
                [text[a:b] for a, b in sentence_spans(text)],
                published_at=doc.get("published_at"),
                title=doc.get("title"),
                **meta,
            )
            want = claim.kind.startswith("faithful")
            rows.append(
                {"kind": claim.kind, "sub": claim.sub, "ok": verdict.supported == want,
                 "part": part.parent.name, "claim": claim.claim, "verdict": verdict.to_dict()}
            )  # fmt: skip
    after = table(rows)
    print_report(after, None)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"after": after, "failures": [r for r in rows if not r["ok"]]}
    (RESULTS / "verify-direct.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    problems = check_floor(after, args.floor) if args.floor else []
    for line in problems:
        print(f"regression: {line}", file=sys.stderr)
    return 1 if problems else 0


def _stable(doc_id: str) -> str:
    return hashlib.sha1(doc_id.encode()).hexdigest()


if __name__ == "__main__":
    sys.exit(main())
