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
    """Embeddings from an OpenAI-compatible server (``text-embedding-3-small`` by default).

    Written on the ``openai`` client, which evchat already needs for chat: LangChain's
    ``OpenAIEmbeddings`` added a package (langchain-openai, and tiktoken, whose length
    check downloads tables at run time and had to be turned off) for a batched call.
    """

    BATCH = 256  # texts per request (the API takes up to 2048)

    def __init__(self, settings: IndexSettings) -> None:
        from openai import OpenAI

        key = settings.openai.openai_api_key
        self._client = OpenAI(
            api_key=key.get_secret_value() if key else "not-needed",
            base_url=settings.openai.openai_base_url,
        )
        self._model = settings.embedding.openai_embedding_model

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` through the API, :attr:`BATCH` at a time, as unit vectors."""
        rows: list[list[float]] = []
        for i in range(0, len(texts), self.BATCH):
            reply = self._client.embeddings.create(
                model=self._model, input=texts[i : i + self.BATCH]
            )
            rows += [d.embedding for d in sorted(reply.data, key=lambda d: d.index)]
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)
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
