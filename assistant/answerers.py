"""The two ways an answer is written: extracted sentences, or a chat model's words.

Both receive the retrieved passages and return (streamed text, final Answer parts); the
service wraps them with retrieval, timing and refusal.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.choices import ChoicePick
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
    scored: list[ScoredSentence],
    passages: list[Passage],
    settings: Settings,
    sources: tuple[str, ...] = (),
) -> Draft:
    """The best sentences, each with its own verified citation.

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
    picked = select_answer(
        scored,
        settings.max_answer_sentences,
        settings.support_threshold,
        settings.answer_margin,
        lead,
    )
    return _quoted(picked, passages)


def choice_draft(pick: ChoicePick, passages: list[Passage]) -> Draft:
    """The option the evidence names, followed by the sentence that names it, cited."""
    return _quoted([pick.sentence], passages, lead=f"{pick.choice} — ")


def _quoted(picked: list[ScoredSentence], passages: list[Passage], lead: str = "") -> Draft:
    """An answer quoting ``picked``, each sentence with its own citation; ``lead``
    opens the first sentence."""
    citations = []
    sentences = []
    parts = []
    for n, s in enumerate(picked, start=1):
        citations.append(make_citation(n, passages[s.passage], s.start, s.end, s.score))
        shown = (lead if n == 1 else "") + display_sentence(s.text)
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
    options: Sequence[str] = (),
) -> Iterator[str | Draft]:
    """Stream the model's answer (markers made safe), then yield the verified Draft.

    ``options`` (a multiple-choice question's) are shown to the model with the question.
    """
    asked = (
        prompts.render("options", question=question, options="; ".join(options))
        if options
        else question
    )
    rendered = format_passages(
        [(i + 1, p.title, p.published_at, p.text) for i, p in enumerate(passages)]
    )
    messages = [
        {"role": "system", "content": prompts.render("system")},
        {"role": "user", "content": prompts.render("answer", passages=rendered, question=asked)},
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
            text,
            passages,
            scorer,
            settings.support_threshold,
            settings.drop_unsupported,
            question,
            options,
        )
    yield Draft(verified, warning)
