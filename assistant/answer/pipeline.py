"""The answer pipeline, in the one place its order is written down.

    condense → retrieve → evidence → draft → verify → compose

1. **condense** (:mod:`.condense`): a follow-up becomes a standalone question; one about
   the document the previous answer cited ("When was that reported?") is answered from
   that document's record (:mod:`.followup`).
2. **retrieve** (:mod:`.retrieve`): hybrid search finds the passages; for a follow-up,
   the previous answer's cited documents first (:func:`.followup.prefer_cited`).
3. **evidence** (:mod:`.evidence`): their sentences are scored for the question (read once,
   :mod:`.question`) with the learned models of :mod:`.decisions` and, when the question
   names its time window ("this week"), kept to the window's documents if those bear it
   out (:mod:`.time_window`), and for a follow-up to the paragraphs about what its
   pronoun was bound to (:mod:`.bound`); the learned gate (:mod:`.gate`) refuses when the evidence
   does not answer it, near misses included.
4. **draft**: the extractive answerer quotes the best sentences (:mod:`.extractive`),
   opened by the short answer (:mod:`.short_answer`); a yes/no or comparison question gets
   its verdict and each part's evidence (:mod:`.yesno`); the option the evidence names is
   picked for a multiple-choice question (:mod:`.choices`); or the chat model writes the
   answer (:mod:`.generated`).
5. **verify** (:mod:`.verify`): every sentence gets a verbatim, supporting citation or is
   flagged unsupported.
6. **compose** (:mod:`.compose`): the final :class:`~assistant.types.Answer`, or a refusal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field

from assistant.answer.bound import on_bound
from assistant.answer.choices import choice_draft, choose_option
from assistant.answer.compose import compose
from assistant.answer.condense import Message, heuristic_standalone, model_standalone
from assistant.answer.evidence import ScoredSentence, best_sentences
from assistant.answer.extractive import QuoteDraft, extractive_draft
from assistant.answer.followup import FollowUps
from assistant.answer.gate import passes
from assistant.answer.generated import ModelDraft, generated_draft
from assistant.answer.question import QuestionAnalysis, analyse_question, is_yes_no
from assistant.answer.retrieve import Filters, Retriever
from assistant.answer.short_answer import short_answer_draft
from assistant.answer.support import SupportScorer
from assistant.answer.time_window import inside_window
from assistant.answer.verify import verify
from assistant.answer.yesno import yes_no_draft
from assistant.llm import ChatModel
from assistant.prompts import PromptSet
from assistant.settings import Settings
from assistant.types import Answer, Passage
from index.embed.factory import ArrayEmbedder

STAGES = ("condense", "retrieve", "evidence", "draft", "verify", "compose")


@dataclass(frozen=True)
class Request:
    """One question as the pipeline receives it (already validated)."""

    question: str
    answerer: str  # "extractive", "openai" or "local"
    history: list[Message] = field(default_factory=list)
    as_of: str | None = None
    filters: Filters | None = None
    k: int | None = None
    options: list[str] = field(default_factory=list)


class AnswerPipeline:
    """Runs the stages above for one collection's retriever."""

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever,
        embedder: ArrayEmbedder,
        prompts: PromptSet,
        chat_model: Callable[[], ChatModel],
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.embedder = embedder
        self.prompts = prompts
        self.chat_model = chat_model

    def stream(self, req: Request) -> Iterator[str | Answer]:
        """Yield text as the answer is written, then the final :class:`Answer`."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        follow = FollowUps(self.retriever, self.settings.retrieval.k)
        previous = follow.previous(req.question, req.history, req.as_of)
        found = follow.about_document(req.question, previous)
        if found is not None:  # "When was that reported?": the cited document's record
            record, passage, standalone = found
            timings["condense"] = _ms(t0)
            refusal = self.prompts.refusal
            yield compose(record, [passage], standalone, timings, req.answerer, refusal)
            return
        standalone = self.condense(req)
        timings["condense"] = _ms(t0)
        t1 = time.perf_counter()
        passages = follow.retrieve(standalone, previous, req.k, req.as_of, req.filters)
        timings["retrieve"] = _ms(t1)
        t2 = time.perf_counter()
        scorer = SupportScorer(self.embedder)
        scored, passed = self.evidence(req, standalone, passages, scorer)
        verified = None
        if passed:
            draft = yield from self.draft(req, standalone, scored, passages, scorer)
            if draft is not None:
                t3 = time.perf_counter()
                verified = verify(
                    draft, passages, scorer, self.settings.answering, standalone, req.options
                )
                timings["verify"] = _ms(t3)
                if isinstance(draft, QuoteDraft) and verified.text:
                    yield verified.text
        timings["answer"] = _ms(t2)
        yield compose(verified, passages, standalone, timings, req.answerer, self.prompts.refusal)

    def gate(
        self,
        req: Request,
        qa: QuestionAnalysis,
        scored: list[ScoredSentence],
        passages: list[Passage],
    ) -> bool:
        """The learned refusal gate (:mod:`.gate`); False means a refusal. A question
        asked as of a date (or up to a date filter's end) is judged against it too."""
        dated = req.as_of or (req.filters.date_to if req.filters else None)
        as_of = self.retriever.reference_date(req.as_of, req.filters) if dated else None
        return passes(qa, scored, passages, as_of, self.settings.answering.refusal_threshold)

    def evidence(
        self, req: Request, question: str, passages: list[Passage], scorer: SupportScorer
    ) -> tuple[list[ScoredSentence], bool]:
        """The scored evidence sentences and whether they pass the gate: for a follow-up,
        those about what it was bound to (:mod:`.bound`), and of those the ones from
        inside the question's time window, each when they pass it on their own, else all
        of them (see :mod:`.time_window`)."""
        qa = analyse_question(question)
        scored = best_sentences(qa, passages, scorer)
        bound = on_bound(req.question, qa, scored, passages) if req.history else None
        if bound and self.gate(req, qa, bound, passages):
            scored = bound  # a follow-up's evidence: what its pronoun stands for
        reference = self.retriever.reference_date(req.as_of, req.filters)
        inside = inside_window(question, scored, passages, reference)
        if inside and self.gate(req, qa, inside, passages):
            return inside, True
        return scored, self.gate(req, qa, scored, passages)

    def condense(self, req: Request) -> str:
        """The standalone form of the question."""
        if req.answerer == "extractive":
            return heuristic_standalone(req.question, req.history)
        return model_standalone(req.question, req.history, self.chat_model(), self.prompts)

    def draft(
        self,
        req: Request,
        question: str,
        scored: list[ScoredSentence],
        passages: list[Passage],
        scorer: SupportScorer,
    ) -> Generator[str, None, QuoteDraft | ModelDraft | None]:
        """Yield the model's text as it streams; return the draft (None: nothing to say)."""
        if req.answerer != "extractive":
            draft: ModelDraft | None = None
            for item in generated_draft(
                question, passages, self.chat_model(), self.prompts, req.options
            ):
                if isinstance(item, ModelDraft):
                    draft = item
                else:
                    yield item
            return draft
        if req.options:
            pick = choose_option(question, req.options, passages, scorer, scored)
            return choice_draft(pick) if pick else None
        if is_yes_no(question):
            return yes_no_draft(question, passages, scorer, self.retriever.named_sources)
        sources = self.retriever.named_sources(question)
        quotes = extractive_draft(scored, passages, self.settings.answering, sources)
        limit = self.settings.answering.max_answer_sentences
        return short_answer_draft(question, quotes, scored, passages, limit, sources)


def _ms(t: float) -> float:
    return (time.perf_counter() - t) * 1000.0
