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
from assistant.answer.evidence import candidate_sentences
from assistant.answer.extractive import QuoteDraft
from assistant.answer.generated import ModelDraft
from assistant.answer.markers import defuse_markers, marker_numbers, strip_markers, with_markers
from assistant.answer.sentences import sentence_spans
from assistant.answer.support import SupportScorer
from assistant.settings import AnswerSettings
from assistant.types import AnswerSentence, Citation, Passage

UNCITED_BONUS = 0.1  # an uncited sentence gets a citation only if support is this much clearer


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
        return verify_quotes(draft, passages)
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


def verify_quotes(draft: QuoteDraft, passages: list[Passage]) -> VerifiedAnswer:
    """An answer quoting the draft's sentences, each with its own citation; the draft's
    ``lead`` (an option) opens the first sentence."""
    citations = []
    sentences = []
    parts = []
    for n, s in enumerate(draft.sentences, start=1):
        citations.append(make_citation(n, passages[s.passage], s.start, s.end, s.score))
        shown = (draft.lead if n == 1 else "") + display_sentence(s.text)
        sentences.append(AnswerSentence(shown, (n,), True))
        parts.append(with_markers(shown, (n,)))
    return VerifiedAnswer(" ".join(parts), sentences, citations, short_answer=draft.short)


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

    A cited passage supports a sentence when one of its sentences scores at least
    ``threshold``; that sentence becomes the quote. Uncited sentences get a citation
    when some passage clearly supports them. Citations are renumbered 1..n in order of
    first use; markers that cite nothing verifiable are removed.

    With the ``options`` of a multiple-choice ``question``, a sentence naming one option
    ("Toyota.") says too little for the support score; it is supported by the same rule
    the extractive answerer uses: a cited passage sentence names that option and supports
    the question (:func:`assistant.answer.choices.option_sentences`).
    """
    spans = sentence_spans(raw.strip())
    body = raw.strip()
    cands = candidate_sentences(passages)
    # Every answer sentence is checked against (some of) the same passage sentences:
    # embed them once.
    cand_vectors = scorer.embedder.embed_array([c[3] for c in cands])
    citations: dict[tuple[str, int], Citation] = {}
    out_sentences: list[AnswerSentence] = []
    parts: list[str] = []
    for a, b in spans:
        sentence = body[a:b]
        claim = strip_markers(sentence)
        if not claim:
            continue
        cited = [n - 1 for n in marker_numbers(sentence) if 1 <= n <= len(passages)]
        pool = [i for i, c in enumerate(cands) if c[0] in cited or not cited]
        need = threshold if cited else threshold + UNCITED_BONUS
        best = _best_support(claim, cands, pool, cand_vectors, scorer)
        if options and (best is None or best[1] < need):
            texts = [c[3] for c in cands]
            naming = option_sentences(question, options, claim, texts, pool)
            best = _best_support(question, cands, naming, cand_vectors, scorer)
            need = min(need, MIN_SUPPORT)
        numbers: tuple[int, ...] = ()
        if best is not None and best[1] >= need:
            (pi, s, e, _text), score = best
            # Keyed by document offsets: overlapping chunks hold the same sentence.
            key = (passages[pi].doc_id, passages[pi].start + s)
            if key not in citations:
                citations[key] = make_citation(len(citations) + 1, passages[pi], s, e, score)
            numbers = (citations[key].n,)
        supported = bool(numbers)
        if not supported and drop_unsupported:
            continue
        out_sentences.append(AnswerSentence(claim, numbers, supported))
        parts.append(with_markers(claim, numbers))
    return VerifiedAnswer(" ".join(parts), out_sentences, list(citations.values()))


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
