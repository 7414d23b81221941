"""The extractive draft: the passage sentences that best answer the question, quoted.

The offline answerer writes nothing of its own. It quotes the sentences of the evidence
stage most likely to state the answer (the best one always; others when the learned
``sentence`` model of :mod:`.decisions` gives them at least its threshold, fitted on data
to weigh answers found against citations that miss), drops near-duplicates, and hands
them to the verify stage as quotes, each of which becomes its own citation. When the
question names sources of the collection, their passages are quoted first, one sentence
of each.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.decisions import model
from assistant.answer.evidence import ScoredSentence
from assistant.answer.sentences import terms
from assistant.settings import AnswerSettings
from assistant.types import Passage

LEAD_MARGIN = 0.1  # a named source's best sentence is quoted this close to the best one


@dataclass(frozen=True)
class QuoteDraft:
    """An answer made of passage sentences; ``lead`` opens the first one ("Tesla — ",
    "Yes — "), ``short`` is the short answer it states (the option, the name, "Yes");
    ``lead_by_meaning``: the lead is the option closest in meaning to the sentence, which
    does not name it; ``verdict``: the lead is a yes/no verdict on the quotes, not a fact
    taken from them."""

    sentences: list[ScoredSentence]
    lead: str = ""
    short: str | None = None
    lead_by_meaning: bool = False
    verdict: bool = False


def extractive_draft(
    scored: list[ScoredSentence],
    passages: list[Passage],
    settings: AnswerSettings,
    sources: tuple[str, ...] = (),
) -> QuoteDraft:
    """The best sentences to quote.

    When the question names ``sources``, the answer quotes only their passages (if any
    were retrieved), starting with the best sentence of each named source in turn.
    """
    lead: list[ScoredSentence] = []
    if sources:
        own = [s for s in scored if passages[s.passage].source in sources]
        if own:
            scored = own
            for src in sources:
                lead += [s for s in own if passages[s.passage].source == src][:1]
            lead.sort(key=lambda s: s.score, reverse=True)
    if settings.answer_one_document and scored:
        best_doc = passages[scored[0].passage].doc_id
        scored = [s for s in scored if passages[s.passage].doc_id == best_doc]
        lead = []
    picked = select_answer(scored, settings.max_answer_sentences, model("sentence").threshold, lead)
    return QuoteDraft(picked)


def select_answer(
    scored: list[ScoredSentence],
    max_sentences: int,
    threshold: float,
    lead: list[ScoredSentence] | None = None,
) -> list[ScoredSentence]:
    """The answer's sentences: the best, then others whose probability of stating the
    answer (``p``) reaches ``threshold``; no near-duplicates.

    ``lead`` sentences (best first) come before the rest, each kept when it reaches
    ``threshold`` or comes within :data:`LEAD_MARGIN` of the first: a comparison across
    named sources quotes every source it can. The same sentence (two sources or two
    overlapping chunks quoting it word for word) is never quoted twice.
    """
    picked: list[ScoredSentence] = []
    seen_terms: list[set[str]] = []

    def take(s: ScoredSentence, dedupe: bool = True) -> None:
        t = terms(s.text)
        duplicate = any(len(t & o) >= 0.8 * max(len(t), 1) for o in seen_terms)
        same = any(
            " ".join(s.text.split()) == " ".join(p.text.split())
            or (p.passage == s.passage and s.start < p.end and p.start < s.end)
            for p in picked
        )
        if not same and not (dedupe and duplicate):
            picked.append(s)
            seen_terms.append(t)

    for s in lead or []:
        if len(picked) < max_sentences and (
            not picked or s.p >= min(threshold, picked[0].p - LEAD_MARGIN)
        ):
            take(s, dedupe=False)  # two sources saying the same is worth showing
    for s in scored:
        # The best sentence always answers (the refusal gate has already judged the
        # evidence); the others must be relevant enough on their own.
        floor = threshold if picked else 0.0
        if s.p < floor or len(picked) >= max_sentences:
            break
        take(s)
    return picked
