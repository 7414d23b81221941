"""evchat's hybrid retrieval as a LangChain ``BaseRetriever``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

if TYPE_CHECKING:
    from assistant.assistant import Assistant


class EvchatRetriever(BaseRetriever):
    """Returns the passages ``Assistant.retriever()`` finds, as LangChain Documents."""

    assistant: Any
    k: int = 6

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        bot: Assistant = self.assistant
        return [
            Document(
                page_content=p.text,
                metadata={
                    "chunk_id": p.chunk_id,
                    "doc_id": p.doc_id,
                    "title": p.title,
                    "source": p.source,
                    "published_at": p.published_at,
                    "page": p.page,
                    "start": p.start,
                    "end": p.end,
                    "score": p.score,
                },
            )
            for p in bot.retriever().retrieve(query, k=self.k)
        ]
