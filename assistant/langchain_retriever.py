"""evchat's hybrid retrieval as a LangChain ``BaseRetriever``.

It passes LangChain's standard ``RetrieversIntegrationTests`` (tests/system/
test_langchain_standard.py): ``k`` is honoured both at construction and per call
(``retriever.invoke(q, k=1)``), and every argument goes through the same checks as
:meth:`Assistant.search`, so ``k=0``, ``k=51`` or an empty query raise
:class:`~assistant.errors.BadInputError` with the API's one sentence. ``Document.id`` is
the chunk id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables.config import run_in_executor

from assistant.answer.retrieve import Filters
from assistant.inputs import check_as_of, check_filters, check_k
from assistant.types import Passage

if TYPE_CHECKING:
    from assistant.assistant import Assistant


class EvchatRetriever(BaseRetriever):
    """Returns the passages :meth:`Assistant.search` finds, as LangChain Documents.

    ``k`` (passages per query; None: the configured default), ``as_of`` (YYYY-MM-DD) and
    ``filters`` are set here and can each be overridden per call:
    ``retriever.invoke("...", k=3, as_of="2024-06-30")``.
    """

    assistant: Any
    k: int | None = None
    as_of: str | None = None
    filters: Filters | None = None

    def __init__(self, **data: Any) -> None:
        # Checked before pydantic sees them: its ValidationError would wrap the one
        # sentence in a multi-line dump.
        data["k"] = check_k(data.get("k"))
        data["as_of"] = check_as_of(data.get("as_of"))
        data["filters"] = check_filters(data.get("filters"))
        super().__init__(**data)

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        as_of: str | None = None,
        filters: Filters | None = None,
    ) -> list[Document]:
        bot: Assistant = self.assistant
        passages = bot.search(
            query,
            k=self.k if k is None else k,
            as_of=self.as_of if as_of is None else as_of,
            filters=self.filters if filters is None else filters,
        )
        return [to_document(p) for p in passages]

    async def _aget_relevant_documents(
        self,
        query: str,
        *,
        run_manager: AsyncCallbackManagerForRetrieverRun,
        k: int | None = None,
        as_of: str | None = None,
        filters: Filters | None = None,
    ) -> list[Document]:
        # BaseRetriever's default drops the keyword arguments (so ``ainvoke(q, k=1)``
        # would ignore k); retrieval is synchronous, so it runs in the executor.
        return await run_in_executor(
            None,
            self._get_relevant_documents,
            query,
            run_manager=run_manager.get_sync(),
            k=k,
            as_of=as_of,
            filters=filters,
        )


def to_document(p: Passage) -> Document:
    """A passage as a LangChain Document: its text, the chunk id as ``id``, the rest in
    ``metadata``."""
    return Document(
        id=p.chunk_id,
        page_content=p.text,
        metadata={
            "chunk_id": p.chunk_id,
            "doc_id": p.doc_id,
            "title": p.title,
            "source": p.source,
            "url": p.url,
            "published_at": p.published_at,
            "page": p.page,
            "start": p.start,
            "end": p.end,
            "score": p.score,
        },
    )
