"""Fit the answer's learned decisions and write them, with the fit's figures, to one file.

    EVCHAT_HOME=.evchat-eval python -m benchmarks.fit_decisions [--train DIR] [--multihop DIR]
        [--dev DIR] [--out assistant/answer/decisions.json] [--only-choice | --only-verdict]

The sets are ``../shared/eval/train`` (general news), ``../shared/eval/multihop``
(comparisons, temporal, inference and null questions) and ``../shared/eval/dev`` (EV news).
Each question of train and multihop falls in a ``fit`` or a ``check`` part by a hash of its
id (:mod:`assistant.eval.split`); the models are fitted on the fit parts alone and
measured on both parts and on all of dev, which no fit ever sees. Every question is asked
as users ask it, without options, ``as_of`` its date, and retrieved with the default
settings, exactly as the pipeline does.

Seven logistic models (scikit-learn, L2, standardised features), fitted in the order the
pipeline applies them (:mod:`assistant.answer.decisions`):

1. ``preselect``: on every candidate sentence, the sentence features without the
   embedding similarity; label: the sentence states the gold answer (normalised
   containment, as ``evchat eval`` judges answers).
2. ``sentence``: the same label, all features, on the candidates the fitted preselect
   model keeps (twice the pipeline's number, so the fit sees the margin too).
3. ``answerable``: the question features read off the evidence as the pipeline orders it
   with the two models above; label: the question is answerable. Each set weighs the
   same in the fit, and its threshold is the one that maximises balanced accuracy
   (refusal recall and answer rate weighed alike, each set alike) on the fit parts.
4. ``verdict``: on the answerable yes/no questions whose gold answer is a verdict (yes,
   true, agree, consistent, similar against no, false, disagree, inconsistent,
   different), the features of :func:`assistant.answer.yesno.verdict_features`; label: yes.
   Threshold: the most verdicts right on the fit part (a wrong yes costs what a wrong no
   does).
5. ``span``: on the candidate short answers of the answerable questions that ask for a
   name, number or date, the features of
   :data:`assistant.answer.short_answer.SPAN_FEATURES`; label: the span is the gold
   answer (holds it, or is most of it). It ranks the candidates.
6. ``show``: on the same questions, from the best candidate's probability, its lead over
   the second and the number of candidates; label: the best candidate is right.
   Threshold: the lowest from 0.5 up whose fit-part accuracy (with a short answer above
   it, the quotes alone below) is within one standard error of the best.

7. ``choice``: on every option of the answerable questions that come with options (the
   quiz's, in train and dev), the features of
   :data:`assistant.answer.choices.CHOICE_FEATURES`; label: the option is the gold answer.
   Threshold on the best option's probability: balanced accuracy on the fit parts'
   questions with options, after the gate (answerable: the pick is right; unanswerable:
   nothing is picked).

The sentence model's own threshold decides which sentences are quoted beside the best
one: the one that maximises answer accuracy plus citation precision on the fit parts.

The figures (ranking hits of the answer sentence, preselect recall, refusal recall and
false refusals) are written beside the weights, per set and part.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from tqdm import tqdm

from assistant.answer.choices import CHOICE_FEATURES, clean_choices, option_evidence
from assistant.answer.claims.dates import parse_published
from assistant.answer.claims.lexicon import VERDICT_WORDS
from assistant.answer.decisions import LogisticModel
from assistant.answer.evidence import (
    PRESELECT,
    ScoredSentence,
    candidates,
    cheap_features,
    cosines,
    preselect,
    score_sentences,
)
from assistant.answer.extractive import select_answer
from assistant.answer.features import QUESTION_FEATURES, SENTENCE_FEATURES, question_features
from assistant.answer.question import analyse_question
from assistant.answer.short_answer import (
    SHOW_FEATURES,
    SPAN_FEATURES,
    SpanCandidate,
    displayed,
    entity_probabilities,
    show_features,
    span_candidates,
)
from assistant.answer.support import SupportScorer
from assistant.answer.yesno import VERDICT_FEATURES, question_parts, verdict_features
from assistant.eval.harness import prepare
from assistant.eval.metrics import contains, normalise, quote_is_precise
from assistant.eval.split import part_of
from assistant.settings import Settings
from assistant.types import Passage

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "eval"
OUT = REPO / "assistant" / "answer" / "decisions.json"
TRIVIAL = frozenset({"yes", "no", "true", "false", "similar", "different", "same"})
# gold verdicts: yes/no and the comparison words the answer itself may use (VERDICT_WORDS)
YES = frozenset({"yes", "true"} | {w for w, agrees in VERDICT_WORDS.items() if agrees})
NO = frozenset({"no", "false"} | {w for w, agrees in VERDICT_WORDS.items() if not agrees})
C = 1.0  # scikit-learn's default L2 strength; the figures on the check parts judge it


@dataclass
class Item:
    """One question with what the fit needs of it."""

    set: str
    qid: str
    part: str
    question: str
    answerable: bool
    answer: str
    passages: list[Passage]
    x: np.ndarray  # cheap sentence features of every candidate
    y: np.ndarray  # the candidate states the answer
    texts: list[str]
    cos: dict[int, float] = field(default_factory=dict)
    verdict: np.ndarray | None = None  # verdict features of a yes/no question
    sources: tuple[str, ...] = ()  # the collection's sources the question names
    gold: tuple[str, ...] = ()  # gold and answer-bearing document ids
    evidence_text: tuple[str, ...] = ()  # gold evidence sentences
    as_of: dt.date | None = None  # the question's own date
    choices: tuple[str, ...] = ()  # the quiz's options, where the set has them

    @property
    def key(self) -> str:
        """Unique across sets."""
        return f"{self.set}:{self.qid}"


def gather(
    name: str, data: Path, scorer_for: dict[str, SupportScorer], cache: Path | None
) -> list[Item]:
    """Retrieve every question of the set and read its candidates' features (with a
    ``cache`` folder, the sentence embeddings of an earlier run are reused)."""
    bot, questions, _kinds = prepare(data, Settings(), show_progress=True)
    retriever = bot.retriever()
    scorer_for[name] = SupportScorer(bot.embedder)
    if cache is not None and (cache / f"{name}.pkl").exists():
        with (cache / f"{name}.pkl").open("rb") as fh:
            scorer_for[name]._vectors.update(pickle.load(fh))
    items = []
    for q in tqdm(questions, desc=f"gather {name}", unit="q", file=sys.stderr):
        text = str(q["question"])
        qa = analyse_question(text)
        passages = retriever.retrieve(text, as_of=q.get("as_of_date") or None)
        cands = candidates(passages)
        answer = str(q.get("answer") or "")
        answerable = bool(q.get("answerable", True))
        wanted = answerable and normalise(answer) not in TRIVIAL and bool(normalise(answer))
        verdict = None
        if answerable and qa.yes_no and normalise(answer).strip(".") in YES | NO:
            order, parts = question_parts(text, passages, scorer_for[name], retriever.named_sources)
            verdict = np.asarray(verdict_features(text, order, parts, passages))
        items.append(
            Item(
                set=name,
                qid=str(q["qid"]),
                part="check" if name == "dev" else part_of(str(q["qid"])),
                question=text,
                answerable=answerable,
                answer=answer,
                passages=passages,
                x=cheap_features(qa, cands, passages),
                y=np.array([wanted and contains(c.text, answer) for c in cands], dtype=bool),
                texts=[c.text for c in cands],
                verdict=verdict,
                sources=retriever.named_sources(text),
                gold=tuple(
                    str(g)
                    for g in [
                        *(q.get("gold_doc_ids") or []),
                        *(q.get("answer_bearing_doc_ids") or []),
                    ]
                ),
                evidence_text=tuple(str(e) for e in q.get("gold_evidence") or []),
                as_of=parse_published(q.get("as_of_date")),
                choices=tuple(clean_choices(q.get("choices"))),
            )
        )
    return items


def balanced_threshold(p: np.ndarray, y: np.ndarray, group: np.ndarray | None = None) -> float:
    """The threshold on ``p`` that maximises the mean of the recalls of both classes
    (averaged over ``group``s, each counting the same, when given)."""
    groups = [np.ones(len(p), bool)] if group is None else [group == g for g in np.unique(group)]
    best_t, best = 0.5, -1.0
    for t in np.unique(np.round(p, 4)):
        hit = p >= t
        score = 0.0
        for g in groups:
            yg, hg = y[g], hit[g]
            score += (float(hg[yg].mean()) if yg.any() else 1.0) + (
                float((~hg[~yg]).mean()) if (~yg).any() else 1.0
            )
        if score > best:
            best, best_t = score, float(t)
    return best_t


def set_weights(items: Sequence[Item]) -> np.ndarray:
    """Row weights under which every set counts the same in a fit."""
    names = [it.set for it in items]
    counts = {n: names.count(n) for n in set(names)}
    return np.array([len(names) / (len(counts) * counts[n]) for n in names])


def fit_verdict(items: Sequence[Item]) -> tuple[LogisticModel, dict[str, Any]]:
    """Model 4 on the fit parts' verdict questions, with its figures per set and part."""
    rows = [it for it in items if it.verdict is not None]
    fit = [it for it in _rows(rows, "fit")]
    y_of = {it.key: normalise(it.answer).strip(".") in YES for it in rows}
    x = np.vstack([it.verdict for it in fit if it.verdict is not None])
    y = np.array([y_of[it.key] for it in fit])
    m = _verdict_model(x, y)
    # the fit part is small: five-fold cross-validation on it says more than its check part
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    cv_right = np.zeros(len(y), dtype=bool)
    for train_i, test_i in folds.split(x, y):
        mf = _verdict_model(x[train_i], y[train_i])
        cv_right[test_i] = (mf.prob(x[test_i]) >= mf.threshold) == y[test_i]
    figs: dict[str, Any] = {}
    for name in sorted({f"{it.set}/{it.part}" for it in rows}):
        group = [it for it in rows if f"{it.set}/{it.part}" == name]
        xs = np.vstack([it.verdict for it in group if it.verdict is not None])
        ys = np.array([y_of[it.key] for it in group])
        right = (m.prob(xs) >= m.threshold) == ys
        figs[name] = {
            "questions": len(group),
            "share_yes": round(float(ys.mean()), 3),
            "verdict_accuracy": round(float(right.mean()), 3),
            "cv_accuracy": round(float(cv_right.mean()), 3) if name == "multihop/fit" else None,
        }
    return m, figs


def _verdict_model(x: np.ndarray, y: np.ndarray) -> LogisticModel:
    m = fit_logistic(x, y, VERDICT_FEATURES)
    p = m.prob(x)
    # a wrong "yes" and a wrong "no" cost the same: the threshold with the most right
    t = max(sorted(set(np.round(p, 4))), key=lambda t: float(((p >= t) == y).mean()))
    return LogisticModel(m.features, m.mean, m.scale, m.coef, m.intercept, float(t))


def fit_quote_threshold(
    items: Sequence[Item], scored: dict[str, list[ScoredSentence]], sentence: LogisticModel
) -> tuple[LogisticModel, dict[str, Any]]:
    """The sentence model's threshold: a sentence is quoted beside the best one when its
    probability reaches it. Chosen on the fit parts to maximise answer accuracy plus
    citation precision (both as ``evchat eval`` counts them), so that finding the answer
    in a second quote is weighed against citing a passage that does not bear it."""
    limit = Settings().answering.max_answer_sentences
    rows = [
        it
        for it in items
        if it.answerable
        and it.answer
        and normalise(it.answer) not in TRIVIAL
        and not analyse_question(it.question).yes_no
        and scored[it.key]
    ]

    def measure(group: Sequence[Item], t: float) -> tuple[float, float]:
        right, cited, precise = 0, 0, 0
        for it in group:
            quotes = select_answer(scored[it.key], limit, t)
            right += contains(" ".join(q.text for q in quotes), it.answer)
            for q in quotes:
                doc = it.passages[q.passage].doc_id
                cited += 1
                precise += quote_is_precise(q.text, doc, it.gold, it.evidence_text, it.answer)
        return right / max(len(group), 1), precise / max(cited, 1)

    fit = [it for it in rows if it.part == "fit" and it.set != "dev"]
    grid = [round(float(t), 3) for t in np.linspace(0.05, 0.95, 19)] + [1.01]
    best_t = max(grid, key=lambda t: sum(measure(fit, t)))
    figs: dict[str, Any] = {}
    for name in sorted({f"{it.set}/{it.part}" for it in rows}):
        group = [it for it in rows if f"{it.set}/{it.part}" == name]
        acc, prec = measure(group, best_t)
        acc1, prec1 = measure(group, 1.01)
        figs[name] = {
            "questions": len(group),
            "accuracy": round(acc, 3),
            "citation_precision": round(prec, 3),
            "accuracy_best_quote_only": round(acc1, 3),
            "citation_precision_best_quote_only": round(prec1, 3),
        }
    m = sentence
    return LogisticModel(m.features, m.mean, m.scale, m.coef, m.intercept, best_t), figs


def fit_span(
    items: Sequence[Item], scored: dict[str, list[ScoredSentence]], sentence: LogisticModel
) -> tuple[LogisticModel, LogisticModel, dict[str, Any]]:
    """Model 5: which candidate span is the short answer, and from what probability a
    short answer opens the answer at all (quoting alone below it; see the threshold's
    rule below)."""
    settings = Settings().answering
    rows: dict[str, tuple[Item, list[SpanCandidate], np.ndarray, bool]] = {}
    for it in items:
        if not it.answerable or normalise(it.answer) in TRIVIAL or not it.answer:
            continue
        qa = analyse_question(it.question)
        if qa.kind is None or qa.yes_no or not scored[it.key]:
            continue
        cands = span_candidates(qa, scored[it.key], it.passages, it.sources)
        if not cands:
            continue
        labels = np.array([_span_right(c.span.text, it.answer) for c in cands])
        quotes = select_answer(scored[it.key], settings.max_answer_sentences, sentence.threshold)
        quotes_ok = contains(" ".join(q.text for q in quotes), it.answer)
        rows[it.key] = (it, cands, labels, quotes_ok)
    fit = [r for r in rows.values() if r[0].part == "fit" and r[0].set != "dev"]
    x = np.vstack([np.asarray([c.features for c in r[1]]) for r in fit])
    y = np.concatenate([r[2] for r in fit])
    m = fit_logistic(x, y, SPAN_FEATURES)

    def shown(r: tuple[Item, list[SpanCandidate], np.ndarray, bool]) -> tuple[list[float], bool]:
        p = m.prob(np.asarray([c.features for c in r[1]]))
        order = np.argsort(-p, kind="stable")
        ranked = [(r[1][i], float(p[i])) for i in order]
        return show_features(entity_probabilities(ranked)), _span_right(
            displayed(ranked).span.text, r[0].answer
        )

    # The show model: is the best candidate right, from its probability and its lead?
    sx, sy = zip(*(shown(r) for r in fit), strict=True)
    show = fit_logistic(np.asarray(sx), np.asarray(sy), SHOW_FEATURES)

    def outcome(r: tuple[Item, list[SpanCandidate], np.ndarray, bool]) -> tuple[float, bool, bool]:
        it, cands, _labels, quotes_ok = r
        features, right = shown(r)
        p = m.prob(np.asarray([c.features for c in cands]))
        i = int(np.argmax(p))
        short_ok = right or contains(cands[i].sentence.text, it.answer)
        return float(show.prob(np.asarray(features))[0]), short_ok, quotes_ok

    fit_out = [outcome(r) for r in fit]

    def accuracy(t: float) -> float:
        return float(np.mean([o[1] if o[0] >= t else o[2] for o in fit_out]))

    # The lowest threshold from 0.5 up (a short answer at least as likely right as wrong)
    # whose fit-part accuracy is within one standard error of the best threshold's: a
    # short answer is shown wherever it costs no accuracy the fit can measure.
    grid = [round(float(t), 2) for t in np.arange(0.5, 1.0, 0.05)] + [1.01]
    top = max(accuracy(t) for t in grid)
    se = float(np.sqrt(top * (1 - top) / max(len(fit_out), 1)))
    best_t = min(t for t in grid if accuracy(t) >= top - se)
    show = LogisticModel(show.features, show.mean, show.scale, show.coef, show.intercept, best_t)
    figs: dict[str, Any] = {}
    for name in sorted({f"{r[0].set}/{r[0].part}" for r in rows.values()}):
        group = [r for r in rows.values() if f"{r[0].set}/{r[0].part}" == name]
        outs = [outcome(r) for r in group]
        figs[name] = {
            "questions": len(group),
            "right_candidate_exists": round(float(np.mean([r[2].any() for r in group])), 3),
            "best_candidate_right": round(
                float(
                    np.mean(
                        [
                            r[2][int(np.argmax(m.prob(np.asarray([c.features for c in r[1]]))))]
                            for r in group
                        ]
                    )
                ),
                3,
            ),
            "short_answers_given": round(float(np.mean([o[0] >= best_t for o in outs])), 3),
            "right_with_short_answers": round(
                float(np.mean([o[1] if o[0] >= best_t else o[2] for o in outs])), 3
            ),
            "right_quotes_alone": round(float(np.mean([o[2] for o in outs])), 3),
        }
    return m, show, figs


def fit_choice(
    items: Sequence[Item],
    scored: dict[str, list[ScoredSentence]],
    scorers: dict[str, SupportScorer],
    pre: LogisticModel,
    gate: dict[str, bool],
) -> tuple[LogisticModel, dict[str, Any]]:
    """Model 7: which option is the answer. Every option of the fit parts' answerable
    questions with options is a row (label: it is the gold answer). The threshold on the
    best option's probability is the one that maximises balanced accuracy on the fit
    parts' questions with options, after the gate (``gate``: it answers): answerable
    questions count when the pick is right, unanswerable ones when no option is picked."""
    rows: dict[str, tuple[Item, np.ndarray, np.ndarray]] = {}
    for it in tqdm(items, desc="options", unit="q", file=sys.stderr):
        if len(it.choices) < 2:
            continue
        found = option_evidence(
            it.question, it.choices, it.passages, scorers[it.set], scored[it.key], pre
        )
        gold = np.array([it.answerable and _option_is(c, it.answer) for c in it.choices])
        rows[it.key] = (it, found.x, gold)
    fit = [r for r in rows.values() if r[0].part == "fit" and r[0].set != "dev"]
    train = [r for r in fit if r[0].answerable and r[2].any()]
    m = fit_logistic(
        np.vstack([r[1] for r in train]), np.concatenate([r[2] for r in train]), CHOICE_FEATURES
    )

    def outcome(r: tuple[Item, np.ndarray, np.ndarray]) -> tuple[float, bool]:
        p = m.prob(r[1])
        j = int(np.argmax(p))
        return (float(p[j]) if gate[r[0].key] else -1.0), bool(r[2][j])

    def score(
        group: Sequence[tuple[Item, np.ndarray, np.ndarray]], t: float
    ) -> tuple[float, float]:
        outs = [(r[0].answerable, *outcome(r)) for r in group]
        right = [ok and p >= t for a, p, ok in outs if a]
        refused = [p < t for a, p, _ in outs if not a]
        return (
            float(np.mean(right)) if right else 0.0,
            float(np.mean(refused)) if refused else 1.0,
        )

    grid = [0.0] + [round(float(t), 3) for t in np.linspace(0.05, 0.95, 19)]
    best_t = max(grid, key=lambda t: sum(score(fit, t)))
    m = LogisticModel(m.features, m.mean, m.scale, m.coef, m.intercept, best_t)
    figs: dict[str, Any] = {}
    for name in sorted({f"{r[0].set}/{r[0].part}" for r in rows.values()}):
        group = [r for r in rows.values() if f"{r[0].set}/{r[0].part}" == name]
        acc, recall = score(group, best_t)
        acc0, _ = score(group, 0.0)
        figs[name] = {
            "questions": len(group),
            "answerable": sum(1 for r in group if r[0].answerable),
            "choice_accuracy": round(acc, 3),
            "choice_accuracy_always_pick": round(acc0, 3),
            "refusal_recall": round(recall, 3),
        }
    return m, figs


def _option_is(option: str, gold: str) -> bool:
    """The option is the gold answer (the same once normalised, or each holds the other)."""
    a, b = normalise(option), normalise(gold)
    return bool(a) and (a == b or (contains(option, gold) and contains(gold, option)))


def _span_right(span: str, gold: str) -> bool:
    """The span is the gold answer, holds it, or is held by it (three words or more of it,
    or all of a shorter one)."""
    if contains(span, gold):
        return True
    return contains(gold, span) and len(normalise(span).split()) >= min(
        3, len(normalise(gold).split())
    )


def fit_logistic(
    x: np.ndarray, y: np.ndarray, names: Sequence[str], weight: np.ndarray | None = None
) -> LogisticModel:
    """A standardised L2 logistic regression of ``y`` on ``x`` (rows weighted by ``weight``)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=C, max_iter=2000)
    lr.fit((x - mean) / scale, y, sample_weight=weight)
    return LogisticModel(tuple(names), mean, scale, lr.coef_[0], float(lr.intercept_[0]))


def _rows(items: Sequence[Item], part: str) -> list[Item]:
    return [it for it in items if it.part == part and it.set != "dev"]


def fit_preselect(items: Sequence[Item]) -> LogisticModel:
    """Model 1 on every candidate of the fit parts."""
    fit = [it for it in _rows(items, "fit") if len(it.y)]
    x = np.vstack([it.x[:, 1:] for it in fit])
    y = np.concatenate([it.y for it in fit])
    return fit_logistic(x, y, SENTENCE_FEATURES[1:])


def embed_kept(
    items: Sequence[Item], pre: LogisticModel, scorers: dict[str, SupportScorer]
) -> None:
    """The embedding similarity of the candidates the preselect model keeps (2x)."""
    for it in tqdm(items, desc="embed", unit="q", file=sys.stderr):
        if not len(it.y):
            continue
        keep = np.argsort(-pre.logits(it.x[:, 1:]), kind="stable")[: 2 * PRESELECT]
        missing = [int(i) for i in keep if int(i) not in it.cos]
        sims = cosines(scorers[it.set], it.question, [it.texts[i] for i in missing])
        it.cos.update(zip(missing, (float(s) for s in sims), strict=True))


def _with_cosine(it: Item) -> tuple[np.ndarray, np.ndarray]:
    idx = sorted(it.cos)
    x = it.x[idx].copy()
    x[:, 0] = [it.cos[i] for i in idx]
    return x, it.y[idx]


def fit_sentence(items: Sequence[Item]) -> LogisticModel:
    """Model 2 on the kept candidates of the fit parts' questions that have an answer
    sentence among them."""
    xs, ys = [], []
    for it in _rows(items, "fit"):
        if it.cos:
            x, y = _with_cosine(it)
            if y.any():
                xs.append(x)
                ys.append(y)
    # Unweighted: weighing the sets alike (as the answerable model does) was tried and
    # lost 0.04-0.06 of best-sentence hits on train's check part and on dev.
    return fit_logistic(np.vstack(xs), np.concatenate(ys), SENTENCE_FEATURES)


def evidence(
    it: Item, scorers: dict[str, SupportScorer], pre: LogisticModel, sentence: LogisticModel
) -> list[ScoredSentence]:
    """The question's evidence as the pipeline scores it with these models."""
    qa = analyse_question(it.question)
    return score_sentences(qa, it.passages, scorers[it.set], pre, sentence)


def fit_answerable(
    items: Sequence[Item], scored: dict[str, list[ScoredSentence]]
) -> tuple[LogisticModel, dict[str, np.ndarray]]:
    """Model 3 on the fit parts, with its balanced-accuracy threshold."""
    feats = {
        it.key: np.asarray(
            question_features(analyse_question(it.question), scored[it.key], it.passages, it.as_of)
        )
        for it in items
    }
    fit = _rows(items, "fit")
    x = np.vstack([feats[it.key] for it in fit])
    y = np.array([it.answerable for it in fit])
    m = fit_logistic(x, y, QUESTION_FEATURES, set_weights(fit))
    best_t = balanced_threshold(m.prob(x), y, np.array([it.set for it in fit]))
    m = LogisticModel(m.features, m.mean, m.scale, m.coef, m.intercept, best_t)
    return m, feats


def figures(
    items: Sequence[Item],
    scored: dict[str, list[ScoredSentence]],
    feats: dict[str, np.ndarray],
    pre: LogisticModel,
    answerable: LogisticModel,
) -> dict[str, dict[str, Any]]:
    """Per set and part: the share of answer-bearing questions whose best sentence states
    the answer (learned order, and the support score's order for comparison), the
    preselect model's recall, and the gate's refusal recall and false refusals."""
    out: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[Item]] = {}
    for it in items:
        groups.setdefault(f"{it.set}/{it.part}", []).append(it)
    for name, group in sorted(groups.items()):
        bearing = [it for it in group if it.y.any()]
        kept = [
            it
            for it in bearing
            if it.y[preselect(pre.logits(it.x[:, 1:]), [len(t) for t in it.texts])].any()
        ]
        top1 = [bool(contains(scored[it.key][0].text, it.answer)) for it in kept]
        by_support = [
            bool(contains(max(scored[it.key], key=lambda s: s.score).text, it.answer))
            for it in kept
        ]
        p = np.array([answerable.prob(feats[it.key])[0] for it in group])
        y = np.array([it.answerable for it in group])
        answered = p >= answerable.threshold
        out[name] = {
            "questions": len(group),
            "answer_in_candidates": round(len(bearing) / max(len(group), 1), 3),
            "preselect_recall": round(len(kept) / max(len(bearing), 1), 3),
            "best_sentence_states_answer": round(float(np.mean(top1)) if top1 else 0.0, 3),
            "best_by_support_states_answer": round(
                float(np.mean(by_support)) if by_support else 0.0, 3
            ),
            "refusal_recall": round(float((~answered[~y]).mean()), 3) if (~y).any() else None,
            "false_refusal_rate": round(float((~answered[y]).mean()), 3) if y.any() else None,
            "answerable_auc": round(float(roc_auc_score(y, p)), 3)
            if y.any() and (~y).any()
            else None,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    """Gather, fit the three models in order, write the data file, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, default=SHARED / "train")
    ap.add_argument("--multihop", type=Path, default=SHARED / "multihop")
    ap.add_argument("--dev", type=Path, default=SHARED / "dev")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cache", type=Path, help="keep the sentence embeddings here for the next run")
    ap.add_argument(
        "--only-choice",
        action="store_true",
        help="refit the choice model alone, on the other models already in --out",
    )
    ap.add_argument(
        "--only-verdict",
        action="store_true",
        help="refit the verdict model alone (it depends on no other model)",
    )
    args = ap.parse_args(argv)
    if args.only_choice:
        return refit_choice(args)
    if args.only_verdict:
        return refit_verdict(args)
    t0 = time.perf_counter()
    scorers: dict[str, SupportScorer] = {}
    items: list[Item] = []
    for name, path in (("train", args.train), ("multihop", args.multihop), ("dev", args.dev)):
        items += gather(name, path, scorers, args.cache)
    pre = fit_preselect(items)
    embed_kept(items, pre, scorers)
    sentence = fit_sentence(items)
    scored = {
        it.key: evidence(it, scorers, pre, sentence)
        for it in tqdm(items, desc="score", unit="q", file=sys.stderr)
    }
    if args.cache is not None:
        args.cache.mkdir(parents=True, exist_ok=True)
        for name, scorer in scorers.items():
            with (args.cache / f"{name}.pkl").open("wb") as fh:
                pickle.dump(scorer._vectors, fh)
    answerable, feats = fit_answerable(items, scored)
    sentence, quote_figs = fit_quote_threshold(items, scored, sentence)
    figs = figures(items, scored, feats, pre, answerable)
    verdict, verdict_figs = fit_verdict(items)
    span, show, span_figs = fit_span(items, scored, sentence)
    gate = {it.key: bool(answerable.prob(feats[it.key])[0] >= answerable.threshold) for it in items}
    choice, choice_figs = fit_choice(items, scored, scorers, pre, gate)
    data = {
        "_comment": "Written by benchmarks/fit_decisions.py; do not edit by hand. "
        "Models: assistant/answer/decisions.py. Figures: 'fit' parts were fitted on, "
        "'check' parts and dev were not.",
        "fitted_on": {
            "train": str(args.train.name),
            "multihop": str(args.multihop.name),
            "check_share": 0.3,
            "questions_fit": sum(1 for it in items if it.part == "fit"),
        },
        "models": {
            "preselect": pre.to_dict(),
            "sentence": sentence.to_dict(),
            "answerable": answerable.to_dict(),
            "verdict": verdict.to_dict(),
            "span": span.to_dict(),
            "show": show.to_dict(),
            "choice": choice.to_dict(),
        },
        "figures": figs,
        "quote_figures": quote_figs,
        "verdict_figures": verdict_figs,
        "span_figures": span_figs,
        "choice_figures": choice_figs,
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(_table(figs))
    print(_table(quote_figs))
    print(_table(verdict_figs))
    print(_table(span_figs))
    print(_table(choice_figs))
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return 0


def refit_verdict(args: argparse.Namespace) -> int:
    """Model 4 alone, on multihop and dev: it reads no other model's output, so this gives
    what the full run gives, but for train's one yes/no question (left out: gathering
    train's 1,706 questions for it would take most of the run)."""
    t0 = time.perf_counter()
    data = json.loads(args.out.read_text(encoding="utf-8"))
    scorers: dict[str, SupportScorer] = {}
    items: list[Item] = []
    for name, path in (("multihop", args.multihop), ("dev", args.dev)):
        items += gather(name, path, scorers, args.cache)
    verdict, verdict_figs = fit_verdict(items)
    return _replace_model(args, data, "verdict", verdict, verdict_figs, t0)


def refit_choice(args: argparse.Namespace) -> int:
    """Model 7 alone, on the sets with options, with the other models of ``args.out``
    (what the full run would give, when those are the full run's)."""
    t0 = time.perf_counter()
    data = json.loads(args.out.read_text(encoding="utf-8"))
    models = {k: LogisticModel.from_dict(v) for k, v in data["models"].items()}
    pre, sentence, answerable = models["preselect"], models["sentence"], models["answerable"]
    scorers: dict[str, SupportScorer] = {}
    items: list[Item] = []
    for name, path in (("train", args.train), ("dev", args.dev)):
        items += gather(name, path, scorers, args.cache)
    items = [it for it in items if len(it.choices) >= 2]
    scored = {
        it.key: evidence(it, scorers, pre, sentence)
        for it in tqdm(items, desc="score", unit="q", file=sys.stderr)
    }
    gate = {
        it.key: bool(
            answerable.prob(
                question_features(
                    analyse_question(it.question), scored[it.key], it.passages, it.as_of
                )
            )[0]
            >= answerable.threshold
        )
        for it in items
    }
    choice, choice_figs = fit_choice(items, scored, scorers, pre, gate)
    return _replace_model(args, data, "choice", choice, choice_figs, t0)


def _replace_model(
    args: argparse.Namespace,
    data: dict[str, Any],
    name: str,
    fitted: LogisticModel,
    figs: dict[str, Any],
    t0: float,
) -> int:
    """Write ``args.out`` with model ``name`` and its figures replaced; print the figures."""
    data["models"][name] = fitted.to_dict()
    data[f"{name}_figures"] = figs
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(_table(figs))
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return 0


def _table(figs: dict[str, dict[str, Any]]) -> str:
    cols = list(next(iter(figs.values())))
    lines = ["| set/part | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, row in figs.items():
        lines.append(f"| {name} | " + " | ".join(str(row[c]) for c in cols) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
