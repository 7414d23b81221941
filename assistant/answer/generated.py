"""The generated draft: the chat model writes the answer from the passages.

The passages go to the model as delimited ``<passage n="…">`` blocks (``prompts/``), its
answer is streamed with half-written or impossible ``[n]`` markers held back, and the
whole text goes on to the verify stage, which checks every sentence against the passages
it cites. A model that answers with the refusal sentence gives an empty draft.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.answer.markers import MarkerStream
from assistant.errors import LLMStreamCutError
from assistant.llm import ChatModel
from assistant.prompts import PromptSet, format_passages
from assistant.types import Passage


@dataclass(frozen=True)
class ModelDraft:
    """What the model wrote (empty when it refused), and a warning if its stream broke."""

    text: str
    warning: str | None = None


def model_messages(
    question: str, passages: Sequence[Passage], prompts: PromptSet, options: Sequence[str] = ()
) -> list[dict[str, str]]:
    """The chat messages for ``question`` over ``passages`` (and a quiz's ``options``)."""
    asked = (
        prompts.render("options", question=question, options="; ".join(options))
        if options
        else question
    )
    rendered = format_passages(
        [(i + 1, p.title, p.published_at, p.text) for i, p in enumerate(passages)]
    )
    return [
        {"role": "system", "content": prompts.render("system")},
        {"role": "user", "content": prompts.render("answer", passages=rendered, question=asked)},
    ]


def generated_draft(
    question: str,
    passages: list[Passage],
    model: ChatModel,
    prompts: PromptSet,
    options: Sequence[str] = (),
) -> Iterator[str | ModelDraft]:
    """Stream the model's answer (markers made safe), then yield the :class:`ModelDraft`."""
    markers = MarkerStream(len(passages))
    raw: list[str] = []
    warning = None
    try:
        for delta in model.stream(model_messages(question, passages, prompts, options)):
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
    yield ModelDraft("" if prompts.refusal.rstrip(".") in text else text, warning)
