"""The verify stage: every sentence of a draft gets a verified citation, or is flagged.

A citation is only ever built from a span of a retrieved chunk's stored text, and
:func:`make_citation` checks that the quote is verbatim in that chunk, so a citation
can never show words its source does not contain. An extractive draft's sentences are
their own quotes (:func:`verify_quotes`); a model's sentences are checked against the
passages they cite, and supported only when a passage sentence supports them
(:func:`verify_generated`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.choices import MIN_SUPPORT, option_sentences
from assistant.answer.claims import ClaimCheck, check_claim, states_nothing
from assistant.answer.evidence import candidate_sentences
from assistant.answer.extractive import QuoteDraft
from assistant.answer.generated import ModelDraft
from assistant.answer.markers import defuse_markers, marker_numbers, strip_markers, with_markers
from assistant.answer.question import analyse_question
from assistant.answer.sentences import sentence_spans
from assistant.answer.support import SupportScorer
from assistant.settings import AnswerSettings
from assistant.types import AnswerSentence, Citation, Passage

UNCITED_BONUS = 0.1  # an uncited sentence gets a citation only if support is this much clearer
STATES_NOTHING = "It states nothing of its own: it only restates the question."


class QuoteNotInChunkError(ValueError):
    """A quote that is not a verbatim slice of its chunk (a bug, never shown to users)."""


def make_citation(n: int, passage: Passage, start: int, end: int, score: float) -> Citation:
    """A citation of ``passage.text[start:end]``, with offsets into the document text."""
    quote = passage.text[start:end]
    in_range = 0 <= start < end <= len(passage.text)  # else the offsets would not match
    if not in_range or not quote or passage.text.find(quote) < 0:
        raise QuoteNotInChunkError(f"quote not found in chunk {passage.chunk_id}")
    return Citation(
        n=n,
        chunk_id=passage.chunk_id,
        doc_id=passage.doc_id,
        title=passage.title,
        source=passage.source,
        published_at=passage.published_at,
        page=passage.page,
        quote=quote,
        start=passage.start + start,
        end=passage.start + end,
        score=score,
        url=passage.url,
    )


@dataclass
class VerifiedAnswer:
    """A draft after sentence-by-sentence verification."""

    text: str
    sentences: list[AnswerSentence]
    citations: list[Citation]
    warning: str | None = None  # e.g. "the model's stream was cut"
    short_answer: str | None = None  # the draft's short answer ("Tesla", "Yes")


def verify(
    draft: QuoteDraft | ModelDraft,
    passages: list[Passage],
    scorer: SupportScorer,
    settings: AnswerSettings,
    question: str = "",
    options: Sequence[str] = (),
) -> VerifiedAnswer:
    """Verify either kind of draft (see the module docstring)."""
    if isinstance(draft, QuoteDraft):
        return verify_quotes(draft, passages, question)
    verified = verify_generated(
        draft.text,
        passages,
        scorer,
        settings.support_threshold,
        settings.drop_unsupported,
        question,
        options,
    )
    verified.warning = draft.warning
    return verified


def verify_quotes(draft: QuoteDraft, passages: list[Passage], question: str = "") -> VerifiedAnswer:
    """An answer quoting the draft's sentences, each with its own citation.

    The quotes are verbatim by construction. What the extractive answerer adds of its own,
    the ``lead`` that opens the first sentence (an option or a short answer), is
    fact-checked against the quoted sentence and its passage's headline (see
    :func:`_checked_lead`).
    """
    lead, short, warning = _checked_lead(draft, passages, question)
    citations = []
    sentences = []
    parts = []
    for n, s in enumerate(draft.sentences, start=1):
        citations.append(make_citation(n, passages[s.passage], s.start, s.end, s.score))
        shown = (lead if n == 1 else "") + display_sentence(s.text)
        sentences.append(AnswerSentence(shown, (n,), True))
        parts.append(with_markers(shown, (n,)))
    return VerifiedAnswer(" ".join(parts), sentences, citations, warning, short)


def _checked_lead(
    draft: QuoteDraft, passages: list[Passage], question: str
) -> tuple[str, str | None, str | None]:
    """(the lead to show, the short answer, a warning).

    A short answer or option (``"Tesla — "``) is checked against the quoted sentence and
    its headline: one the passage states is shown as it is; an option chosen by meaning
    that the passage does not name is shown marked as such; any other the passage does
    not state is left out. A yes/no verdict ("Yes — …") is the yes/no stage's own reading
    of its quotes and their dates, not a fact of one sentence, and is not checked here."""
    short, lead = draft.short, draft.lead
    if not short or draft.verdict or not draft.sentences:
        return lead, short, None
    first = draft.sentences[0]
    check = check_claim(
        short,
        [first.text],
        published_at=passages[first.passage].published_at,
        title=passages[first.passage].title,
        source=passages[first.passage].source,
        context=question,
    )
    if check.supported:
        return lead, short, None
    if draft.lead_by_meaning:
        return (
            f"{short} (closest in meaning) — ",
            short,
            (
                f"The passages do not name {short!r}: it is the option closest in meaning "
                "to the quoted sentence."
            ),
        )
    return "", None, f"The passages do not state {short!r}; the closest sentence is quoted."


def verify_generated(
    raw: str,
    passages: list[Passage],
    scorer: SupportScorer,
    threshold: float,
    drop_unsupported: bool = False,
    question: str = "",
    options: Sequence[str] = (),
) -> VerifiedAnswer:
    """Check every sentence of a model's answer against the passages it cites.

    A sentence is supported when a cited passage has a sentence that supports it (support
    score at least ``threshold``; that sentence becomes the quote) **and** the claim check
    finds every name, number, date and negation of the sentence stated by that passage
    (:mod:`assistant.answer.claims`); the passage's own source, headline and publication
    date count as stated ("According to Reuters, …"), another passage's do not.
    Uncited sentences get a citation when some passage clearly supports them. Citations
    are renumbered 1..n in order of first use; markers
    that cite nothing verifiable are removed; an unsupported sentence says why.

    With the ``options`` of a multiple-choice ``question``, a sentence naming one option
    ("Toyota.") says too little for the support score; it is supported by the same rule
    the extractive answerer uses: a cited passage sentence names that option and supports
    the question (:func:`assistant.answer.choices.option_sentences`).
    """
    checker = _SentenceChecker(passages, scorer, threshold, question, options)
    out_sentences: list[AnswerSentence] = []
    parts: list[str] = []
    body = raw.strip()
    for a, b in sentence_spans(body):
        checked = checker.check(body[a:b])
        if checked is None or (not checked.supported and drop_unsupported):
            continue
        out_sentences.append(checked)
        parts.append(with_markers(checked.text, checked.citations))
    return VerifiedAnswer(" ".join(parts), out_sentences, checker.citation_list())


class _SentenceChecker:
    """Verifies a model's sentences one at a time against one answer's passages."""

    def __init__(
        self,
        passages: list[Passage],
        scorer: SupportScorer,
        threshold: float,
        question: str,
        options: Sequence[str],
    ) -> None:
        self.passages = passages
        self.scorer = scorer
        self.threshold = threshold
        self.question = question
        self.options = options
        self.yes_no = bool(question) and analyse_question(question).yes_no
        self.cands = candidate_sentences(passages)
        # Every answer sentence is checked against (some of) the same passage sentences:
        # embed them once.
        self.vectors = scorer.embedder.embed_array([c[3] for c in self.cands])
        self.citations: dict[tuple[str, int], Citation] = {}
        self._evidence: dict[int, list[str]] = {}

    def citation_list(self) -> list[Citation]:
        """The citations made so far, numbered in order of first use."""
        return list(self.citations.values())

    def check(self, sentence: str) -> AnswerSentence | None:
        """The verdict on one sentence (None for a sentence that is only markers)."""
        claim = strip_markers(sentence)
        if not claim:
            return None
        if self.question and states_nothing(claim, self.question, self.yes_no):
            return AnswerSentence(claim, (), False, reason=STATES_NOTHING)
        cited = [n - 1 for n in marker_numbers(sentence) if 1 <= n <= len(self.passages)]
        supporting = self._supporting(claim, cited)
        if not supporting:
            where = "The cited passage does not say this." if cited else "No passage says this."
            return AnswerSentence(claim, (), False, reason=where)
        failed: ClaimCheck | None = None
        for (pi, s, e, _text), score in supporting:
            facts = self._facts(claim, pi)
            if facts.supported:
                return AnswerSentence(claim, (self._cite(pi, s, e, score),), True)
            failed = failed or facts
        assert failed is not None
        return AnswerSentence(
            claim,
            (),
            False,
            reason="Its names, numbers, dates or negations differ from the passage.",
            missing=failed.missing,
            conflicts=failed.conflicts,
        )

    def _supporting(
        self, claim: str, cited: list[int]
    ) -> list[tuple[tuple[int, int, int, str], float]]:
        """For each passage in play (the cited ones, else all), its best sentence for the
        claim when that reaches the support it needs; best first."""
        need = self.threshold if cited else self.threshold + UNCITED_BONUS
        found = []
        for pi in cited or range(len(self.passages)):
            pool = [i for i, c in enumerate(self.cands) if c[0] == pi]
            best = _best_support(claim, self.cands, pool, self.vectors, self.scorer)
            if self.options and (best is None or best[1] < need):
                texts = [c[3] for c in self.cands]
                naming = option_sentences(self.question, self.options, claim, texts, pool)
                best = _best_support(self.question, self.cands, naming, self.vectors, self.scorer)
                if best is not None and best[1] >= min(need, MIN_SUPPORT):
                    found.append(best)
                continue
            if best is not None and best[1] >= need:
                found.append(best)
        found.sort(key=lambda item: item[1], reverse=True)
        return found if cited else found[:1]

    def _facts(self, claim: str, pi: int) -> ClaimCheck:
        passage = self.passages[pi]
        if pi not in self._evidence:
            self._evidence[pi] = [passage.text[a:b] for a, b in sentence_spans(passage.text)]
        return check_claim(
            claim,
            self._evidence[pi],
            published_at=passage.published_at,
            title=passage.title,
            source=passage.source,
            context=self.question,
        )

    def _cite(self, pi: int, start: int, end: int, score: float) -> int:
        # Keyed by document offsets: overlapping chunks hold the same sentence.
        key = (self.passages[pi].doc_id, self.passages[pi].start + start)
        if key not in self.citations:
            n = len(self.citations) + 1
            self.citations[key] = make_citation(n, self.passages[pi], start, end, score)
        return self.citations[key].n


def _best_support(
    claim: str,
    cands: list[tuple[int, int, int, str]],
    pool: list[int],
    cand_vectors: np.ndarray,
    scorer: SupportScorer,
) -> tuple[tuple[int, int, int, str], float] | None:
    if not pool:
        return None
    scores = scorer.score(claim, [cands[i][3] for i in pool], vectors=cand_vectors[pool])
    i = int(scores.argmax())
    return cands[pool[i]], float(scores[i])


def display_sentence(text: str) -> str:
    """A passage sentence as shown in an answer: one line, look-alike markers defused."""
    return defuse_markers(" ".join(text.split()))
