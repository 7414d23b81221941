"""LangChain's own standard suites (``langchain-tests``) on evchat's LangChain parts: the
retriever of ``bot.as_retriever()`` over the indexed samples, and the public embedder
``assistant.MiniLMEmbedder`` (the real ONNX model). Then the checks the suites do not make:
the retriever refuses what ``Assistant.search`` refuses, in the same sentence, and a
Document's id is its chunk's."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_tests.integration_tests import (
    EmbeddingsIntegrationTests,
    RetrieversIntegrationTests,
)
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant import Assistant, BadInputError, Filters, MiniLMEmbedder
from assistant.langchain_retriever import EvchatRetriever

QUESTION = "Where is BYD building its first European car plant?"


class TestEvchatRetrieverStandard(RetrieversIntegrationTests):
    """``RetrieversIntegrationTests``: k at construction and per call, invoke, ainvoke."""

    @pytest.fixture(autouse=True)
    def _samples(self, sample_assistant: Assistant) -> None:
        self.bot = sample_assistant

    @property
    def retriever_constructor(self) -> type[EvchatRetriever]:
        return EvchatRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"assistant": self.bot}

    @property
    def retriever_query_example(self) -> str:
        return QUESTION


class TestMiniLMEmbedderUnitStandard(EmbeddingsUnitTests):
    """``EmbeddingsUnitTests`` on the embedder as ``assistant`` exports it."""

    @property
    def embeddings_class(self) -> type[MiniLMEmbedder]:
        return MiniLMEmbedder

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"workers": 1}


class TestMiniLMEmbedderIntegrationStandard(EmbeddingsIntegrationTests):
    """``EmbeddingsIntegrationTests``: embed_query/embed_documents, sync and async."""

    @property
    def embeddings_class(self) -> type[MiniLMEmbedder]:
        return MiniLMEmbedder

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"workers": 1}


def _search_error(bot: Assistant, **kwargs: Any) -> str:
    with pytest.raises(BadInputError) as raised:
        bot.search(kwargs.pop("query", QUESTION), **kwargs)
    return str(raised.value)


@pytest.mark.parametrize("k", [0, -1, 51, 1000, 2.5, "3", True])
def test_a_bad_k_per_call_is_the_search_apis_sentence(sample_assistant: Assistant, k: Any) -> None:
    retriever = sample_assistant.as_retriever()
    with pytest.raises(BadInputError) as raised:
        retriever.invoke(QUESTION, k=k)
    assert str(raised.value) == _search_error(sample_assistant, k=k)


@pytest.mark.parametrize("k", [0, -1, 51])
def test_a_bad_k_at_construction_is_refused_not_replaced(
    sample_assistant: Assistant, k: int
) -> None:
    with pytest.raises(BadInputError) as raised:
        sample_assistant.as_retriever(k=k)
    assert str(raised.value) == _search_error(sample_assistant, k=k)
    with pytest.raises(BadInputError):  # built directly too: not pydantic's dump
        EvchatRetriever(assistant=sample_assistant, k=k)


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_is_refused_like_search(sample_assistant: Assistant, query: str) -> None:
    with pytest.raises(BadInputError, match=r"^Please type a question\.$"):
        sample_assistant.as_retriever().invoke(query)
    assert _search_error(sample_assistant, query=query) == "Please type a question."


async def test_ainvoke_honours_k_and_refuses_like_invoke(sample_assistant: Assistant) -> None:
    retriever = sample_assistant.as_retriever()
    assert len(await retriever.ainvoke(QUESTION, k=2)) == 2
    with pytest.raises(BadInputError, match="from 1 to 50, not 0"):
        await retriever.ainvoke(QUESTION, k=0)


def test_documents_carry_the_chunk_id_and_match_search(sample_assistant: Assistant) -> None:
    docs = sample_assistant.as_retriever(k=5).invoke(QUESTION)
    passages = sample_assistant.search(QUESTION, k=5)
    assert [d.id for d in docs] == [p.chunk_id for p in passages]
    assert all(d.id == d.metadata["chunk_id"] for d in docs)


def test_as_of_and_filters_apply_per_call(sample_assistant: Assistant) -> None:
    retriever = sample_assistant.as_retriever(k=8)
    old = retriever.invoke(QUESTION, as_of="2023-06-30")
    assert old and all((d.metadata["published_at"] or "") <= "2023-06-30" for d in old)
    ranged = retriever.invoke(QUESTION, filters=Filters(date_from="2024-01-01"))
    assert ranged and all(d.metadata["published_at"] >= "2024-01-01" for d in ranged)
    with pytest.raises(BadInputError) as raised:
        retriever.invoke(QUESTION, as_of="soon")
    assert str(raised.value) == _search_error(sample_assistant, as_of="soon")
