"""Pick the embedding model the settings ask for (offline MiniLM or OpenAI)."""

from __future__ import annotations

from functools import cache
from typing import Protocol

import numpy as np

from index.embed.minilm import MiniLMEmbedder
from index.settings import IndexSettings


class ArrayEmbedder(Protocol):
    """Anything that turns texts into a (n, dim) array of unit vectors."""

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``."""
        ...

    def embed_one(self, text: str) -> np.ndarray:
        """Embed one text (implementations may remember recent ones)."""
        ...


class OpenAIArrayEmbedder:
    """OpenAI embeddings (``text-embedding-3-small``) via langchain-openai."""

    def __init__(self, settings: IndexSettings) -> None:
        from langchain_openai import OpenAIEmbeddings

        self._client = OpenAIEmbeddings(
            model=settings.embedding.openai_embedding_model,
            openai_api_key=settings.openai.openai_api_key,
            openai_api_base=settings.openai.openai_base_url,
            # The length check downloads tiktoken's tables at run time: not offline-safe.
            check_embedding_ctx_length=False,
        )

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` through the API."""
        vectors = np.asarray(self._client.embed_documents(texts), dtype=np.float32)
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)

    def embed_one(self, text: str) -> np.ndarray:
        """Embed one text through the API."""
        return self.embed_array([text])[0]


@cache
def _minilm(batch_size: int, workers: int, optimise: bool) -> MiniLMEmbedder:
    return MiniLMEmbedder(batch_size=batch_size, workers=workers, optimise=optimise)


def make_embedder(settings: IndexSettings) -> ArrayEmbedder:
    """The embedder for ``settings`` (the MiniLM one is shared within the process)."""
    if settings.embedding.embedding == "openai":
        return OpenAIArrayEmbedder(settings)
    e = settings.embedding
    return _minilm(e.embed_batch_size, e.embed_workers, e.embed_optimise)
