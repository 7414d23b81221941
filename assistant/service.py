"""Assistant: the public API. ask/stream = condense → retrieve → answer → cite.

Everything the CLI, the web app and Python users do goes through this class; it wires
the collection, the embedder, the retriever and the answerer, all created lazily so that
constructing an Assistant is cheap.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answerers import Draft, choice_draft, extractive_draft, generated_draft
from assistant.choices import clean_choices, pick_choice
from assistant.citations import VerifiedAnswer
from assistant.errors import EvchatError
from assistant.extract import ScoredSentence, best_sentences
from assistant.followup import Message, heuristic_standalone, model_standalone
from assistant.generate import ChatModel, chat_model_from_settings
from assistant.prompts import PromptSet
from assistant.retrieve import Filters, Retriever, parse_iso_date
from assistant.support import SupportScorer
from assistant.types import Answer, Passage
from index.collection import Collection
from index.embedder_factory import ArrayEmbedder, make_embedder
from index.pipeline import delete_documents, reindex
from index.settings import Settings
from index.types import IndexReport

HistoryLike = Sequence[Message] | Sequence[tuple[str, str]] | None


@dataclass(frozen=True)
class DocumentInfo:
    """An indexed document as listed in the UI and by ``evchat stats``."""

    doc_id: str
    title: str
    source: str
    published_at: str | None
    chunks: int
    indexed_at: float


@dataclass(frozen=True)
class Stats:
    """Index statistics."""

    documents: int
    chunks: int
    collection: str
    model: str
    store: str
    last_indexed: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``evchat stats --json``."""
        return {
            "documents": self.documents,
            "chunks": self.chunks,
            "collection": self.collection,
            "model": self.model,
            "store": self.store,
            "last_indexed": _iso_time(self.last_indexed),
        }


class Assistant:
    """Question answering with verified citations over an indexed document collection.

    >>> from assistant import Assistant
    >>> bot = Assistant()                       # settings from EVCHAT_* variables
    >>> bot.index(["samples/"])                 # doctest: +SKIP
    >>> answer = bot.ask("Where is BYD building its first European car plant?")  # doctest: +SKIP
    """

    def __init__(self, settings: Settings | None = None, collection: str | None = None) -> None:
        self.settings = settings or Settings()
        self.collection_name = collection or self.settings.collection
        self._lock = threading.Lock()
        self._collection: Collection | None = None
        self._retriever: Retriever | None = None
        self._embedder: ArrayEmbedder | None = None
        self._prompts: PromptSet | None = None
        self._model: ChatModel | None = None

    # --- wiring ----------------------------------------------------------------------
    @property
    def embedder(self) -> ArrayEmbedder:
        """The embedding model (loaded on first use)."""
        if self._embedder is None:
            self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def prompts(self) -> PromptSet:
        """The prompt files."""
        if self._prompts is None:
            self._prompts = PromptSet(self.settings.prompts_dir)
        return self._prompts

    def answerer_name(self, override: str | None = None) -> str:
        """Which answerer a question will use: extractive, openai or local."""
        name = override or self.settings.answerer
        if name == "auto":
            s = self.settings
            return "openai" if (s.openai_api_key or s.openai_base_url) else "extractive"
        return name

    def _chat_model(self) -> ChatModel:
        if self._model is None:
            self._model = chat_model_from_settings(self.settings)
        return self._model

    def retriever(self) -> Retriever:
        """The hybrid retriever over the current collection."""
        with self._lock:
            if self._retriever is None:
                self._collection = Collection.open_for_read(self.settings, self.collection_name)
                self._retriever = Retriever(self._collection, self.embedder, self.settings)
            return self._retriever

    # --- write path ------------------------------------------------------------------
    def index(
        self,
        paths: Sequence[str | Path],
        prune: bool = False,
        on_progress: Callable[[int, int, str], None] | None = None,
        show_progress: bool = False,
    ) -> IndexReport:
        """Index files and folders (incrementally); see :func:`index.pipeline.reindex`."""
        report = reindex(
            paths,
            self.settings,
            collection=self.collection_name,
            prune=prune,
            show_progress=show_progress,
            on_progress=on_progress,
        )
        with self._lock:
            self._retriever = None  # reopen: the active collection may have changed
        return report

    def delete(self, doc_ids: Sequence[str]) -> int:
        """Delete documents from the index; returns how many were removed."""
        removed = delete_documents(doc_ids, self.settings, collection=self.collection_name)
        with self._lock:
            self._retriever = None
        return removed

    def documents(self) -> list[DocumentInfo]:
        """Indexed documents, newest first."""
        docs = self.retriever().documents().values()
        infos = [
            DocumentInfo(d.doc_id, d.title, d.source, d.published_at, d.n_chunks, d.indexed_at)
            for d in docs
        ]
        return sorted(infos, key=lambda d: (d.published_at or "", d.doc_id), reverse=True)

    def stats(self) -> Stats:
        """Documents, chunks, collection, model, store location and last indexing time."""
        col = self.retriever().col
        docs, chunks = col.manifest.counts()
        last = col.manifest.get_meta("last_indexed")
        s = self.settings
        store = (
            f"http://{s.chroma_host}:{s.chroma_port}"
            if s.uses_chroma_server
            else str(s.home.resolve())
        )
        return Stats(
            docs, chunks, col.name, col.spec.model_id, store, float(last) if last else None
        )

    # --- read path -------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: HistoryLike = None,
        as_of: str | None = None,
        filters: Filters | None = None,
        k: int | None = None,
        answerer: str | None = None,
        choices: Sequence[str] | None = None,
    ) -> Answer:
        """Answer ``question`` from the indexed documents, every sentence cited.

        ``choices`` are the options of a multiple-choice question: the answer then names
        the option the evidence supports, or refuses when the documents name none.
        """
        final: Answer | None = None
        for item in self.stream(question, history, as_of, filters, k, answerer, choices):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(
        self,
        question: str,
        history: HistoryLike = None,
        as_of: str | None = None,
        filters: Filters | None = None,
        k: int | None = None,
        answerer: str | None = None,
        choices: Sequence[str] | None = None,
    ) -> Iterator[str | Answer]:
        """Yield text deltas as the answer is written, then the final :class:`Answer`."""
        question = _check_question(question)
        options = clean_choices(choices)
        as_of = parse_iso_date(as_of, "as-of date")
        mode = self.answerer_name(answerer)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        messages = _messages(history)
        if mode == "extractive":
            standalone = heuristic_standalone(question, messages)
        else:
            standalone = model_standalone(question, messages, self._chat_model(), self.prompts)
        timings["condense"] = _ms(t0)
        t1 = time.perf_counter()
        passages = self.retriever().retrieve(standalone, k=k, as_of=as_of, filters=filters)
        timings["retrieve"] = _ms(t1)
        t2 = time.perf_counter()
        scorer = SupportScorer(self.embedder)
        scored = best_sentences(standalone, passages, scorer)
        draft: Draft | None = None
        if evidence_score(scored, passages) >= self.settings.refusal_threshold:
            if mode == "extractive":
                draft = self._extract(standalone, options, scored, passages, scorer)
                if draft and draft.verified.text:
                    yield draft.verified.text
            else:
                for item in generated_draft(
                    standalone,
                    passages,
                    self._chat_model(),
                    self.prompts,
                    scorer,
                    self.settings,
                    options,
                ):
                    if isinstance(item, Draft):
                        draft = item
                    else:
                        yield item
        timings["answer"] = _ms(t2)
        yield self._finish(draft, passages, standalone, timings, mode)

    def _extract(
        self,
        question: str,
        options: list[str],
        scored: list[ScoredSentence],
        passages: list[Passage],
        scorer: SupportScorer,
    ) -> Draft | None:
        if not options:
            sources = self.retriever().named_sources(question)
            return extractive_draft(scored, passages, self.settings, sources)
        pick = pick_choice(question, options, passages, scorer, scored)
        return choice_draft(pick, passages) if pick else None

    def _finish(
        self,
        draft: Draft | None,
        passages: list[Passage],
        standalone: str,
        timings: dict[str, float],
        mode: str,
    ) -> Answer:
        verified = draft.verified if draft else VerifiedAnswer("", [], [])
        # A refusal when the evidence gate said no, or when no sentence could be verified.
        refused = not any(s.supported for s in verified.sentences)
        return Answer(
            text=self.prompts.refusal if refused else verified.text,
            refused=refused,
            citations=[] if refused else verified.citations,
            passages=passages,
            standalone_question=standalone,
            sentences=verified.sentences,
            timings_ms=timings,
            answerer=mode,
            warning=draft.warning if draft else None,
        )

    def as_retriever(self, k: int | None = None) -> Any:
        """A LangChain ``BaseRetriever`` over this collection (hybrid retrieval)."""
        from assistant.lc_retriever import EvchatRetriever

        return EvchatRetriever(assistant=self, k=k or self.settings.k)


def evidence_score(scored: Sequence[ScoredSentence], passages: Sequence[Passage]) -> float:
    """How strongly the retrieved text bears on the question: the best sentence's support
    plus the best passage's dense similarity (two views that fail on different questions).
    Calibrated on the dev set's answerable and unanswerable questions; see README."""
    best_sentence = scored[0].score if scored else 0.0
    best_passage = max((p.similarity for p in passages[:3]), default=0.0)
    return best_sentence + best_passage


def _check_question(question: str) -> str:
    if not isinstance(question, str) or not question.strip():
        raise EvchatError("Please type a question.")
    if len(question) > 2000:
        raise EvchatError("The question is too long (over 2,000 characters).")
    return question.strip()


def _messages(history: HistoryLike) -> list[Message]:
    out: list[Message] = []
    for item in history or []:
        if isinstance(item, dict):
            content = item.get("content")
            if isinstance(content, str):
                out.append({"role": str(item.get("role", "user")), "content": content})
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            out.append({"role": "user", "content": str(item[0])})
            if item[1]:
                out.append({"role": "assistant", "content": str(item[1])})
    return out


def _iso_time(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).isoformat(timespec="seconds")


def _ms(t: float) -> float:
    return (time.perf_counter() - t) * 1000.0
