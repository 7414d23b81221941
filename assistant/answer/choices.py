"""Multiple-choice questions: which of the offered options the evidence names.

A quiz-style question comes with its options ("Which automaker reported a 48% plunge in
earnings? Honda, Porsche, Toyota or Tesla"). Quoting the best sentence is not enough to
answer it: the sentence may say "The German government" when the option is "Germany".

An option is *named* by a sentence to the extent that its content words occur in it: as
the same stem, or, for a capitalised word, as a close variant sharing its start
("Germany" and "German", "China" and "Chinese"); words the question itself uses tell
nothing about which option is meant and are left out. Each option then gets the features
of :data:`CHOICE_FEATURES`, read off the retrieved sentences and the scored evidence:
how well the sentences most likely to answer name it, how much of that it shares with the
other options, whether a headline names it, and how close it is in meaning to the best
evidence when no sentence names it ("Produce could see price hikes" for the option
"Fruits and vegetables"). The learned ``choice`` model (:mod:`.decisions`, fitted by
``benchmarks/fit_decisions.py`` on the quiz options of the training questions) gives each
option the probability that it is the answer; the most probable one is picked when it
reaches the model's threshold, and cited to the sentence that names it (or, by meaning,
to the evidence sentence closest to it). Below the threshold the documents do not say
which option is right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.decisions import LogisticModel, model
from assistant.answer.evidence import ScoredSentence, candidates, cheap_features
from assistant.answer.extractive import QuoteDraft
from assistant.answer.features import Candidate
from assistant.answer.question import analyse_question
from assistant.answer.sentences import terms, words
from assistant.answer.support import SupportScorer
from assistant.types import Passage

# "Named" in a model's own sentence (see :func:`option_sentences`): most of the option's
# content words are there. This is what "names" means, not a weight.
MIN_COVERAGE = 0.5
MIN_SUPPORT = 0.3  # what verify.py asks of the question-supporting sentence naming an option
_PREFIX = 4  # a variant shares at least this many leading letters...
_SHORT_REST = 3  # ...and the shorter word has at most this many letters after them
_LONG_REST = 4  # ...and the longer at most this many
SEMANTIC_EVIDENCE = 5  # best evidence sentences the options are compared with by meaning

CHOICE_FEATURES = (
    "named_relevance",  # best (coverage x preselect probability) over retrieved sentences
    "named_p",  # best (coverage x sentence probability) over the scored evidence
    "named_cover",  # best coverage in any retrieved sentence
    "title_cover",  # best coverage in a retrieved passage's headline
    "relevance_share",  # named_relevance as a share of all options' sum
    "crowding",  # other options' coverage in this option's best sentence
    "semantic",  # best embedding similarity to the top evidence sentences
    "semantic_lead",  # ... minus the best other option's
    "in_question",  # share of the option's words the question uses
    "rank_prior",  # 1 / (1 + rank) of the passage of its best sentence (0: none)
)


@dataclass(frozen=True)
class ChoicePick:
    """The option the evidence names and the sentence that names it (``by_meaning``: no
    sentence names an option; this one is closest in meaning to the best evidence)."""

    choice: str
    sentence: ScoredSentence
    by_meaning: bool = False


def clean_choices(choices: Sequence[str] | None) -> list[str]:
    """Non-empty, de-duplicated options in their given order."""
    out: list[str] = []
    for c in choices or []:
        c = " ".join(str(c).split())
        if c and c.lower() not in {o.lower() for o in out}:
            out.append(c)
    return out


def _variant(a: str, b: str) -> bool:
    """Two capitalised words that are forms of one name ("Germany", "German")."""
    a, b = a.lower(), b.lower()
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    short, long_ = sorted((len(a), len(b)))
    return n >= _PREFIX and short - n <= _SHORT_REST and long_ - n <= _LONG_REST


class OptionMatcher:
    """How much of each option a sentence mentions (0 to 1)."""

    def __init__(self, question: str, choices: Sequence[str]) -> None:
        asked = terms(question)
        self.choices = list(choices)
        self._terms: list[list[tuple[str, str]]] = []
        for c in self.choices:
            pairs = [(w, next(iter(terms(w)), "")) for w in words(c)]
            pairs = [(w, t) for w, t in pairs if t]
            # Words the question already uses tell nothing about which option is meant.
            own = [(w, t) for w, t in pairs if t not in asked]
            self._terms.append(own or pairs)

    def coverage(self, sentence: str) -> list[float]:
        """For each option, the share of its content words found in ``sentence``."""
        stems = terms(sentence)
        caps = [w for w in words(sentence) if w[:1].isupper()]
        out = []
        for pairs in self._terms:
            if not pairs:
                out.append(0.0)
                continue
            found = sum(1 for w, t in pairs if t in stems or any(_variant(w, c) for c in caps))
            out.append(found / len(pairs))
        return out


@dataclass(frozen=True)
class OptionEvidence:
    """Every option's :data:`CHOICE_FEATURES` row, and for each the sentence that names it
    best (None: no retrieved sentence names it) and the evidence sentence closest to it."""

    x: np.ndarray  # one row per option
    named: list[ScoredSentence | None]
    closest: list[ScoredSentence | None]


def option_evidence(
    question: str,
    choices: Sequence[str],
    passages: list[Passage],
    scorer: SupportScorer,
    evidence: Sequence[ScoredSentence],
    pre: LogisticModel | None = None,
) -> OptionEvidence:
    """The features of each option (see the module docstring). ``evidence`` is the
    question's scored evidence, best first; ``pre`` the preselect model (the fit script
    passes its own)."""
    matcher = OptionMatcher(question, choices)
    n = len(matcher.choices)
    cands = candidates(passages)
    rel = _relevance(question, cands, passages, pre or model("preselect"))
    cover = np.array([matcher.coverage(c.text) for c in cands]).reshape(len(cands), n)
    titles = np.array([matcher.coverage(p.title) for p in passages]).reshape(len(passages), n)
    top = list(evidence[:SEMANTIC_EVIDENCE])
    ev_cover = np.array([matcher.coverage(e.text) for e in top]).reshape(len(top), n)
    ev_p = np.array([e.p for e in top])
    named_rel = (cover * rel[:, None]).max(axis=0) if cands else np.zeros(n)
    best = (cover * rel[:, None]).argmax(axis=0) if cands else np.zeros(n, dtype=int)
    sims = np.zeros((n, len(top)))
    if top and n:
        sims = scorer.vectors(list(matcher.choices)) @ scorer.vectors([e.text for e in top]).T
    semantic = sims.max(axis=1) if top else np.zeros(n)
    asked = terms(question)
    rows: list[list[float]] = []
    named: list[ScoredSentence | None] = []
    closest: list[ScoredSentence | None] = []
    for j in range(n):
        has = bool(cands) and cover[best[j], j] > 0
        others = [semantic[k] for k in range(n) if k != j]
        own = terms(matcher.choices[j])
        rows.append(
            [
                named_rel[j],
                float((ev_cover[:, j] * ev_p).max()) if top else 0.0,
                float(cover[:, j].max()) if cands else 0.0,
                float(titles[:, j].max()) if len(passages) else 0.0,
                named_rel[j] / max(float(named_rel.sum()), 1e-9),
                float(cover[best[j]].sum() - cover[best[j], j]) if has else 0.0,
                float(semantic[j]),
                float(semantic[j] - max(others)) if others else 0.0,
                len(own & asked) / max(len(own), 1),
                1.0 / (1 + cands[best[j]].passage) if has else 0.0,
            ]
        )
        if has:
            c = cands[best[j]]
            support = float(scorer.score(question, [c.text])[0])
            named.append(ScoredSentence(c.passage, c.start, c.end, c.text, support))
        else:
            named.append(None)
        closest.append(top[int(np.argmax(sims[j]))] if top else None)
    x = np.asarray(rows, dtype=np.float64).reshape(n, len(CHOICE_FEATURES))
    return OptionEvidence(x, named, closest)


def _relevance(
    question: str, cands: list[Candidate], passages: list[Passage], pre: LogisticModel
) -> np.ndarray:
    """The preselect model's probability that each candidate states the answer."""
    if not cands:
        return np.zeros(0)
    return pre.prob(cheap_features(analyse_question(question), cands, passages)[:, 1:])


def choose_option(
    question: str,
    choices: Sequence[str],
    passages: list[Passage],
    scorer: SupportScorer,
    evidence: Sequence[ScoredSentence] = (),
) -> ChoicePick | None:
    """The most probable option by the learned ``choice`` model when it reaches the
    model's threshold, cited to the sentence that names it; else None.

    ``evidence`` are the passages' sentences scored for the question, best first (see
    :func:`assistant.answer.evidence.best_sentences`).
    """
    choices = clean_choices(choices)
    if not choices:
        return None
    found = option_evidence(question, choices, passages, scorer, evidence)
    choice = model("choice")
    p = choice.prob(found.x)
    j = int(np.argmax(p))
    if p[j] < choice.threshold:
        return None
    named = found.named[j]
    if named is not None:
        return ChoicePick(choices[j], named)
    closest = found.closest[j]
    return ChoicePick(choices[j], closest, by_meaning=True) if closest is not None else None


def choice_draft(pick: ChoicePick) -> QuoteDraft:
    """The option the evidence names, followed by the sentence that names it."""
    return QuoteDraft(
        [pick.sentence],
        lead=f"{pick.choice} — ",
        short=pick.choice,
        lead_by_meaning=pick.by_meaning,
    )


def option_sentences(
    question: str, choices: Sequence[str], claim: str, sentences: Sequence[str], pool: list[int]
) -> list[int]:
    """For a claim naming exactly one option, the ``pool`` indexes of ``sentences`` that
    name the same option (empty when the claim names none or several)."""
    matcher = OptionMatcher(question, choices)
    named = [j for j, c in enumerate(matcher.coverage(claim)) if c >= MIN_COVERAGE]
    if len(named) != 1:
        return []
    return [i for i in pool if matcher.coverage(sentences[i])[named[0]] >= MIN_COVERAGE]
