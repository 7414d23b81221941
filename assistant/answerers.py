"""The two ways an answer is written: extracted sentences, or a chat model's words.

Both receive the retrieved passages and return (streamed text, final Answer parts); the
service wraps them with retrieval, timing and refusal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from assistant.citations import (
    MarkerStream,
    VerifiedAnswer,
    display_sentence,
    make_citation,
    verify_generated,
)
from assistant.errors import LLMStreamCutError
from assistant.extract import ScoredSentence, select_answer
from assistant.generate import ChatModel
from assistant.prompts import PromptSet, format_passages
from assistant.support import SupportScorer
from assistant.types import AnswerSentence, Passage
from index.settings import Settings


@dataclass
class Draft:
    """An answer before the service adds retrieval results and timings."""

    verified: VerifiedAnswer
    warning: str | None = None


def extractive_draft(
    scored: list[ScoredSentence], passages: list[Passage], settings: Settings
) -> Draft:
    """The best sentences, each with its own verified citation."""
    if settings.answer_one_document and scored:
        best_doc = passages[scored[0].passage].doc_id
        scored = [s for s in scored if passages[s.passage].doc_id == best_doc]
    picked = select_answer(
        scored, settings.max_answer_sentences, settings.support_threshold, settings.answer_margin
    )
    citations = []
    sentences = []
    parts = []
    for n, s in enumerate(picked, start=1):
        citations.append(make_citation(n, passages[s.passage], s.start, s.end, s.score))
        shown = display_sentence(s.text)
        sentences.append(AnswerSentence(shown, (n,), True))
        parts.append(f"{shown} [{n}]")
    return Draft(VerifiedAnswer(" ".join(parts), sentences, citations))


def generated_draft(
    question: str,
    passages: list[Passage],
    model: ChatModel,
    prompts: PromptSet,
    scorer: SupportScorer,
    settings: Settings,
) -> Iterator[str | Draft]:
    """Stream the model's answer (markers made safe), then yield the verified Draft."""
    rendered = format_passages(
        [(i + 1, p.title, p.published_at, p.text) for i, p in enumerate(passages)]
    )
    messages = [
        {"role": "system", "content": prompts.render("system")},
        {"role": "user", "content": prompts.render("answer", passages=rendered, question=question)},
    ]
    markers = MarkerStream(len(passages))
    raw: list[str] = []
    warning = None
    try:
        for delta in model.stream(messages):
            raw.append(delta)
            shown = markers.feed(delta)
            if shown:
                yield shown
    except LLMStreamCutError as exc:
        warning = f"{exc} The answer below is what arrived before the cut."
        raw = [exc.partial or "".join(raw)]
    tail = markers.flush()
    if tail:
        yield tail
    text = "".join(raw)
    if prompts.refusal.rstrip(".") in text:
        verified = VerifiedAnswer("", [], [])
    else:
        verified = verify_generated(
            text, passages, scorer, settings.support_threshold, settings.drop_unsupported
        )
    yield Draft(verified, warning)
