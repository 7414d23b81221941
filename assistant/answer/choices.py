"""Multiple-choice questions: which of the offered options the evidence names.

A quiz-style question comes with its options ("Which automaker reported a 48% plunge in
earnings? Honda, Porsche, Toyota or Tesla"). Quoting the best sentence is not enough to
answer it: the sentence may say "The German government" when the option is "Germany".
Here every retrieved sentence that mentions an option is scored for the question, and the
option named by the best such sentence is the answer, cited to that sentence. When no
retrieved sentence names any option, the documents do not say which option is right.

An option is mentioned when most of its content words occur in the sentence: as the same
stem, or, for a capitalised word, as a close variant sharing its start ("Germany" and
"German", "China" and "Chinese", "Britain" and "British"). A sentence naming several
options is weaker evidence for each of them. A headline frames its article: an option the
passage's title names counts for its sentences too, a little less than one they name
themselves. The passage's retrieval rank, which also weighs BM25, the whole passage and
recency, breaks near-ties between sentences. (Dev-set sweep: title factor 0.7 to 1.0 and
rank weight 0.05 to 0.1 all gave the same figures; the values are in the middle.)

When no retrieved sentence names any option ("Produce could see price hikes" for the
option "Fruits and vegetables"), the options are compared with the best evidence
sentences by meaning: one option must stand out from the others by a clear margin
(calibrated on the dev set, where answerable questions showed margins of 0.14 and 0.25 and
questions whose answer is not in the documents 0.07 at most); otherwise the answer is a
refusal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.evidence import ScoredSentence, candidate_sentences
from assistant.answer.extractive import QuoteDraft
from assistant.answer.sentences import terms, words
from assistant.answer.support import SupportScorer
from assistant.types import Passage

SCORED = 12  # option-naming sentences scored with the embedding model, at most
MIN_COVERAGE = 0.5  # share of an option's content words a sentence must contain
MIN_SUPPORT = 0.3  # the best option sentence's support for the question, at least
_PREFIX = 4  # a variant shares at least this many leading letters...
_SHORT_REST = 3  # ...and the shorter word has at most this many letters after them
_LONG_REST = 4  # ...and the longer at most this many
TITLE_FACTOR = 0.8  # an option named only in the passage's title counts this much
PRIOR_WEIGHT = 0.075  # weight of the passage's retrieval rank (1 / (1 + rank))
SEMANTIC_EVIDENCE = 5  # best evidence sentences the options are compared with by meaning
SEMANTIC_MARGIN = 0.10  # the closest option's lead over the next one, at least


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


def choose_option(
    question: str,
    choices: Sequence[str],
    passages: list[Passage],
    scorer: SupportScorer,
    evidence: Sequence[ScoredSentence] = (),
) -> ChoicePick | None:
    """The option that the best question-supporting sentence names, or None.

    ``evidence`` are the passages' sentences scored for the question, best first (see
    :func:`assistant.answer.evidence.best_sentences`); they serve the comparison by meaning when no
    sentence names an option.
    """
    named = _named_choice(question, choices, passages, scorer)
    if named is None and evidence:
        return _closest_choice(choices, evidence, scorer)
    return named


def choice_draft(pick: ChoicePick) -> QuoteDraft:
    """The option the evidence names, followed by the sentence that names it."""
    return QuoteDraft(
        [pick.sentence],
        lead=f"{pick.choice} — ",
        short=pick.choice,
        lead_by_meaning=pick.by_meaning,
    )


def _closest_choice(
    choices: Sequence[str], evidence: Sequence[ScoredSentence], scorer: SupportScorer
) -> ChoicePick | None:
    """The option closest in meaning to the evidence, when it clearly stands out."""
    if len(choices) < 2:
        return None
    top = list(evidence[:SEMANTIC_EVIDENCE])
    sims = scorer.vectors(list(choices)) @ scorer.vectors([s.text for s in top]).T
    best = sims.max(axis=1)
    order = np.argsort(-best)
    if best[order[0]] - best[order[1]] < SEMANTIC_MARGIN:
        return None
    j = int(order[0])
    return ChoicePick(choices[j], top[int(np.argmax(sims[j]))], by_meaning=True)


def _named_choice(
    question: str,
    choices: Sequence[str],
    passages: list[Passage],
    scorer: SupportScorer,
) -> ChoicePick | None:
    matcher = OptionMatcher(question, choices)
    rows = []
    titles = [np.array(matcher.coverage(p.title), dtype=np.float32) for p in passages]
    for cand in candidate_sentences(passages):
        cover = np.array(matcher.coverage(cand[3]), dtype=np.float32)
        cover = np.where(cover >= MIN_COVERAGE, cover, 0.0)
        title = titles[cand[0]]
        cover = np.maximum(cover, np.where(title >= MIN_COVERAGE, TITLE_FACTOR * title, 0.0))
        named = int((cover > 0).sum())
        if named:
            # A sentence naming several options vouches less for each.
            rows.append((cand, cover / named))
    if not rows:
        return None
    lex = scorer.lexical(question, [r[0][3] for r in rows])
    prior = np.array([1.0 / (1 + r[0][0]) for r in rows], dtype=np.float32)
    keep = np.argsort(-(lex + 0.15 * prior), kind="stable")[:SCORED]
    support = scorer.score(question, [rows[i][0][3] for i in keep], lexical=lex[keep])
    best: tuple[float, int, int, float] | None = None
    for s, i in zip(support, keep, strict=True):
        total = (float(s) + PRIOR_WEIGHT * float(prior[i])) * rows[i][1]
        j = int(np.argmax(total))
        if float(s) >= MIN_SUPPORT and (best is None or total[j] > best[0]):
            best = (float(total[j]), int(i), j, float(s))
    if best is None:
        return None
    _, i, j, score = best
    cand = rows[i][0]
    return ChoicePick(matcher.choices[j], ScoredSentence(cand[0], cand[1], cand[2], cand[3], score))


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
