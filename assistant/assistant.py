"""The front object of the public API: :class:`Assistant`.

Everything the CLI, the web app and Python users do goes through this class. It wires the
collection, the embedder, the retriever, the prompts and the chat model (all created
lazily, so constructing an Assistant is cheap), hands indexing to ``index/`` and questions
to the answer pipeline (:mod:`assistant.answer.pipeline`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answer.condense import Message
from assistant.answer.pipeline import AnswerPipeline, Request
from assistant.answer.retrieve import Filters, Retriever
from assistant.errors import DocumentFileError
from assistant.feeds import Feeds
from assistant.inputs import (
    check_answerer,
    check_as_of,
    check_choices,
    check_filters,
    check_history,
    check_k,
    check_question,
)
from assistant.llm import ChatModel, chat_model_from_settings
from assistant.prompts import PromptSet
from assistant.settings import Settings
from assistant.types import Answer, Passage, final_answer
from index.embed.factory import ArrayEmbedder, make_embedder
from index.errors import EvchatError
from index.ingest.pipeline import delete_documents, reindex
from index.sources.watch import FolderWatcher, WatchBatch
from index.store.catalog import Catalog
from index.store.collection import Collection
from index.types import IndexReport

if TYPE_CHECKING:
    from assistant.conversations import Conversations, ConversationStore
    from assistant.langchain_retriever import EvchatRetriever

_log = logging.getLogger(__name__)

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
    date_from: str | None = None  # where the date was read: "front matter", "file name", …
    url: str | None = None  # the article's address, for a document read from the web


@dataclass(frozen=True)
class CollectionInfo:
    """A named collection of the store, as the Documents tab and ``evchat collections`` list it."""

    name: str
    documents: int
    chunks: int
    last_indexed: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name,
            "documents": self.documents,
            "chunks": self.chunks,
            "last_indexed": _iso_time(self.last_indexed),
        }


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
        self.collection_name = collection or self.settings.store.collection
        self._lock = threading.Lock()
        self._embedder_lock = threading.Lock()
        self._collection: Collection | None = None
        self._retriever: Retriever | None = None
        self._embedder: ArrayEmbedder | None = None
        self._prompts: PromptSet | None = None
        self._model: ChatModel | None = None
        self._feeds: Feeds | None = None
        # Assistants over the other collections of the same home share the embedder, the
        # history store and this table with its lock (see for_collection).
        self._siblings: dict[str, Assistant] = {self.collection_name: self}
        self._siblings_lock = threading.Lock()
        self._history: ConversationStore | None = None

    # --- wiring ----------------------------------------------------------------------
    @property
    def embedder(self) -> ArrayEmbedder:
        """The embedding model (loaded on first use)."""
        with self._embedder_lock:  # a background sync and a first question may race here
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    @property
    def prompts(self) -> PromptSet:
        """The prompt files."""
        if self._prompts is None:
            self._prompts = PromptSet(self.settings.answering.prompts_dir)
        return self._prompts

    def answerer_name(self, override: str | None = None) -> str:
        """Which answerer a question will use: extractive, openai or local."""
        name = override or self.settings.answering.answerer
        if name == "auto":
            s = self.settings
            return (
                "openai" if (s.openai.openai_api_key or s.openai.openai_base_url) else "extractive"
            )
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
                self._retriever = Retriever(
                    self._collection, self.embedder, self.settings.retrieval
                )
            return self._retriever

    def warm_up(self) -> None:
        """Load what the first question would wait for: the embedding model, the
        collection, its BM25 index and Chroma's vector index, and the retriever's lookups
        (:meth:`Retriever.warm_up`). The web app calls this in the background at start; a
        collection that is empty or not indexed yet is left as it is."""
        try:
            self.retriever().warm_up()
        except EvchatError as exc:
            _log.info("Nothing to warm up in %r: %s", self.collection_name, exc)

    def for_collection(self, name: str | None) -> Assistant:
        """The assistant over collection ``name`` of the same home (this one for its own
        name); it shares this one's embedding model and conversation history."""
        name = name or self.collection_name
        with self._siblings_lock:
            found = self._siblings.get(name)
        if found is not None:
            return found
        other = Assistant(self.settings, collection=name)
        other._embedder, other._prompts = self.embedder, self._prompts
        other._history = self.history_store
        other._siblings, other._siblings_lock = self._siblings, self._siblings_lock
        with self._siblings_lock:
            return self._siblings.setdefault(name, other)

    # --- conversations ---------------------------------------------------------------
    @property
    def history_store(self) -> ConversationStore:
        """The conversation history of this home (``EVCHAT_HOME/conversations.sqlite``)."""
        if self._history is None:
            from assistant.conversations import ConversationStore

            h = self.settings.history
            self._history = ConversationStore(self.settings.history_file, h.history_timeout_s)
        return self._history

    def conversations(self, user: str | None = None) -> Conversations:
        """The saved conversations of ``user`` (default: the anonymous user of the CLI and
        of the web app without login); ``.new().ask(…)`` starts one."""
        from assistant.conversations import Conversations

        return Conversations(self, user)

    # --- collections -----------------------------------------------------------------
    def collections(self) -> list[CollectionInfo]:
        """Every collection of this home, sorted by name."""
        return [
            CollectionInfo(c.name, c.documents, c.chunks, c.last_indexed)
            for c in Catalog(self.settings).summaries()
        ]

    def create_collection(self, name: str) -> CollectionInfo:
        """Create an empty collection (index into it with ``for_collection(name).index``)."""
        c = Catalog(self.settings).create(name)
        return CollectionInfo(c.name, 0, 0, None)

    def rename_collection(self, old: str, new: str) -> None:
        """Rename a collection; its documents, uploads and conversations follow it, and so
        do the assistants over it."""
        Catalog(self.settings).rename(old, new)
        uploads = self.settings.uploads_dir
        if (uploads / old).is_dir() and not (uploads / new).exists():
            (uploads / old).rename(uploads / new)
        with self._siblings_lock:
            moved = self._siblings.pop(old, None)
            if moved is not None:
                self._siblings[new] = moved
        if moved is not None:
            moved.collection_name = new
            moved._reopen()
        self.history_store.rename_collection(old, new)

    def delete_collection(self, name: str) -> None:
        """Delete a collection and its uploads (conversations about it are kept)."""
        Catalog(self.settings).delete(name)
        shutil.rmtree(self.settings.uploads_dir / name, ignore_errors=True)
        with self._siblings_lock:
            gone = self._siblings.pop(name, None) if name != self.collection_name else self
        if gone is not None:
            gone._reopen()

    def _reopen(self) -> None:
        """Open the collection afresh at the next question (it was renamed or deleted)."""
        with self._lock:
            self._retriever = None
            self._collection = None

    @property
    def uploads_dir(self) -> Path:
        """Where the web app keeps the files uploaded into this collection."""
        return self.settings.uploads_dir / self.collection_name

    # --- write path ------------------------------------------------------------------
    def index(
        self,
        paths: Sequence[str | Path],
        prune: bool = False,
        on_progress: Callable[[int, int, str], None] | None = None,
        show_progress: bool = False,
        stop: Callable[[], bool] | None = None,
    ) -> IndexReport:
        """Index files and folders (incrementally); see :func:`index.ingest.pipeline.reindex`.

        Each file is parsed in a worker process within the ingest budgets, so a file that
        cannot be read becomes one entry of ``report.failed``. Once ``stop()`` returns True
        the run writes what it has loaded and returns with ``report.interrupted`` set.
        """
        report = reindex(
            paths,
            self.settings,
            collection=self.collection_name,
            prune=prune,
            show_progress=show_progress,
            on_progress=on_progress,
            stop=stop,
        )
        with self._lock:
            self._retriever = None  # reopen: the active collection may have changed
        return report

    @property
    def feeds(self) -> Feeds:
        """The RSS/Atom feeds this collection follows: add, remove, list, sync."""
        if self._feeds is None:
            self._feeds = Feeds(self)
        return self._feeds

    def watch(
        self,
        folders: Sequence[str | Path],
        prune: bool = False,
        stop_event: threading.Event | None = None,
        on_batch: Callable[[WatchBatch], None] | None = None,
    ) -> None:
        """Index ``folders``, then re-index what changes under them until ``stop_event`` is
        set (blocks); see :mod:`index.sources.watch`."""
        watcher = FolderWatcher(
            folders, self.settings, collection=self.collection_name, prune=prune,
            embedder=self.embedder, on_batch=self._after_write(on_batch),
        )  # fmt: skip
        watcher.run(stop_event)

    def _after_write(
        self, on_batch: Callable[[WatchBatch], None] | None
    ) -> Callable[[WatchBatch], None]:
        def done(batch: WatchBatch) -> None:
            self.forget_collection()
            if on_batch:
                on_batch(batch)

        return done

    def forget_collection(self) -> None:
        """Reopen the collection on next use (after a write that may have switched it)."""
        with self._lock:
            self._retriever = None

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
            DocumentInfo(
                d.doc_id,
                d.title,
                d.source,
                d.published_at,
                d.n_chunks,
                d.indexed_at,
                d.date_from,
                d.url,
            )
            for d in docs
        ]
        return sorted(infos, key=lambda d: (d.published_at or "", d.doc_id), reverse=True)

    def document_file(self, doc_id: str) -> Path | None:
        """:meth:`document_path`, or None where it refuses."""
        try:
            return self.document_path(doc_id)
        except DocumentFileError:
            return None

    def document_path(self, doc_id: str) -> Path:
        """The file an indexed document was read from, only when it lies inside this
        collection's uploads folder (``uploads_dir``), links resolved, and still exists.

        What the web app may show or serve of a document is never a file outside its
        collection's uploads: any other case raises :class:`DocumentFileError` saying
        which (no such document, a web article, a file indexed from elsewhere or a link
        pointing out of the uploads, a file deleted since it was indexed).
        """
        where = f"collection {self.collection_name!r}"
        record = self.retriever().documents().get(doc_id)
        if record is None:
            raise DocumentFileError(f"No document {doc_id!r} in {where}.")
        origin = record.origin or ""
        if origin.lower().startswith(("http://", "https://")) or not origin:
            link = f": open its link instead, {record.url}" if record.url else ""
            raise DocumentFileError(f"{doc_id!r} is a web article with no file in {where}{link}.")
        uploads = self.uploads_dir.resolve()
        try:
            path = Path(origin).resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop on Python 3.11
            raise DocumentFileError(f"The file of {doc_id!r} in {where} is a link loop.") from None
        if not path.is_relative_to(uploads):
            named = Path(os.path.abspath(origin))  # where it was read, links not followed
            linked = any(named.is_relative_to(u) for u in (uploads, self.uploads_dir.absolute()))
            why = (
                "its file in the uploads is a link to a file outside them"
                if linked
                else "it was indexed from a folder outside the collection's uploads"
            )
            raise DocumentFileError(f"{doc_id!r} cannot be opened from {where}: {why}.")
        if not path.is_file():
            raise DocumentFileError(
                f"The file of {doc_id!r} is no longer in the uploads of {where} "
                "(deleted since it was indexed)."
            )
        return path

    def stats(self) -> Stats:
        """Documents, chunks, collection, model, store location and last indexing time."""
        col = self.retriever().col
        docs, chunks = col.manifest.counts()
        last = col.manifest.get_meta("last_indexed")
        s = self.settings
        store = (
            f"http://{s.store.chroma_host}:{s.store.chroma_port}"
            if s.store.uses_chroma_server
            else str(s.store.home.resolve())
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
        return final_answer(self.stream(question, history, as_of, filters, k, answerer, choices))

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
        """Yield text deltas as the answer is written, then the final :class:`Answer`.

        Arguments are checked first (``assistant.inputs``): a mistake raises
        ``BadInputError`` with one sentence saying what is expected.
        """
        request = Request(
            question=check_question(question),
            answerer=self.answerer_name(check_answerer(answerer)),
            history=check_history(history),
            as_of=check_as_of(as_of),
            filters=check_filters(filters),
            k=check_k(k),
            options=check_choices(choices),
        )
        pipeline = AnswerPipeline(
            self.settings, self.retriever(), self.embedder, self.prompts, self._chat_model
        )
        yield from pipeline.stream(request)

    def search(
        self,
        question: str,
        k: int | None = None,
        as_of: str | None = None,
        filters: Filters | None = None,
    ) -> list[Passage]:
        """The best passages for ``question`` (hybrid retrieval, no answer written);
        arguments are checked as for :meth:`stream`."""
        return self.retriever().retrieve(
            check_question(question), check_k(k), check_as_of(as_of), check_filters(filters)
        )

    def as_retriever(
        self, k: int | None = None, as_of: str | None = None, filters: Filters | None = None
    ) -> EvchatRetriever:
        """A LangChain ``BaseRetriever`` over this collection (hybrid retrieval), its
        arguments checked as for :meth:`search`; each can be overridden per call
        (``retriever.invoke(question, k=3)``)."""
        from assistant.langchain_retriever import EvchatRetriever

        return EvchatRetriever(assistant=self, k=k, as_of=as_of, filters=filters)


def _iso_time(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).isoformat(timespec="seconds")
