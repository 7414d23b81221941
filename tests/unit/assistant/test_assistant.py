"""The public Python API as the README shows it: index, ask, stream, retriever, admin."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant import Answer, Assistant, IndexReport, Settings
from tests.fixtures.indexed import SAMPLE_COUNT, SAMPLES_DIR, IndexedSamples, tiny_assistant

HUNGARY = "Where has BYD run an electric bus factory in Hungary since 2017?"
IONNA = "Which automaker joined Ionna as its eighth investor?"
IONNA_DOC = "2024-07-10-charging-nacs-ionna-afir.md"

ANSWER_KEYS = {
    "answer",
    "short_answer",
    "refused",
    "standalone_question",
    "citations",
    "passages",
    "sentences",
    "unsupported",
    "answerer",
    "warning",
    "timings_ms",
}
CITATION_KEYS = {
    "n",
    "doc_id",
    "title",
    "source",
    "published_at",
    "page",
    "quote",
    "start",
    "end",
    "score",
}


def test_index_returns_a_report(indexed_samples: IndexedSamples) -> None:
    report = indexed_samples.report
    assert isinstance(report, IndexReport)
    assert report.added == SAMPLE_COUNT
    assert report.failed == []
    assert report.embedded == report.chunks > SAMPLE_COUNT


def test_reindexing_unchanged_samples_embeds_nothing(sample_assistant: Assistant) -> None:
    report = sample_assistant.index([SAMPLES_DIR])
    assert isinstance(report, IndexReport)
    assert (report.added, report.updated, report.unchanged) == (0, 0, SAMPLE_COUNT)
    assert report.embedded == 0


def test_readme_example_answer_shape(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(HUNGARY)
    assert isinstance(answer, Answer)
    assert "Komárom" in answer.text and "[1]" in answer.text
    data = answer.to_dict()
    assert set(data) == ANSWER_KEYS
    assert data["refused"] is False
    assert data["answerer"] == "extractive"
    assert data["warning"] is None
    assert data["unsupported"] == []
    assert data["standalone_question"] == HUNGARY
    assert set(data["timings_ms"]) >= {"retrieve", "answer"}
    assert data["citations"]
    for c in data["citations"]:
        assert set(c) >= CITATION_KEYS
        assert c["quote"] and c["end"] > c["start"]
    assert {"doc_id", "text", "score"} <= set(data["passages"][0])


def test_refusal_answer_shape(sample_assistant: Assistant) -> None:
    data = sample_assistant.ask(
        "What did Zorblax Motors announce about its Ohio gigafactory?"
    ).to_dict()
    assert set(data) == ANSWER_KEYS
    assert data["refused"] is True and data["citations"] == [] and data["passages"]


def test_stream_yields_text_then_the_answer(sample_assistant: Assistant) -> None:
    items = list(sample_assistant.stream(HUNGARY))
    deltas = [d for d in items[:-1] if isinstance(d, str)]
    final = items[-1]
    assert deltas and len(deltas) == len(items) - 1
    assert isinstance(final, Answer)
    assert "".join(deltas) == final.text
    assert final.text == sample_assistant.ask(HUNGARY).text


def test_stream_of_a_refusal_ends_with_the_answer(sample_assistant: Assistant) -> None:
    items = list(
        sample_assistant.stream("What did Zorblax Motors announce about its Ohio gigafactory?")
    )
    assert isinstance(items[-1], Answer) and items[-1].refused
    assert all(isinstance(i, str) for i in items[:-1])


def test_as_retriever_returns_langchain_documents(sample_assistant: Assistant) -> None:
    retriever = sample_assistant.as_retriever(k=4)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke(IONNA)
    assert len(docs) == 4
    assert all(isinstance(d, Document) and d.page_content for d in docs)
    assert docs[0].metadata["doc_id"] == IONNA_DOC
    assert {"doc_id", "title", "published_at", "chunk_id"} <= set(docs[0].metadata)


def test_documents_lists_every_sample_newest_first(sample_assistant: Assistant) -> None:
    docs = sample_assistant.documents()
    assert len(docs) == SAMPLE_COUNT
    assert {d.doc_id for d in docs} == {p.name for p in SAMPLES_DIR.iterdir()}
    dates = [d.published_at or "" for d in docs]
    assert dates == sorted(dates, reverse=True)
    assert all(d.chunks >= 1 and d.title for d in docs)


def test_stats_counts_documents_and_chunks(sample_assistant: Assistant) -> None:
    stats = sample_assistant.stats()
    assert stats.documents == SAMPLE_COUNT
    assert stats.chunks == sum(d.chunks for d in sample_assistant.documents())
    assert stats.collection == sample_assistant.settings.store.collection
    assert stats.model
    data = stats.to_dict()
    assert data["documents"] == SAMPLE_COUNT and data["chunks"] == stats.chunks


def test_delete_removes_a_document_from_answers(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("delete")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in (
        IONNA_DOC,
        "2023-12-22-byd-hungary-plant.md",
        "2024-11-22-northvolt-chapter-11.md",
    ):
        shutil.copy(SAMPLES_DIR / name, corpus / name)
    bot = Assistant(Settings(home=root / "home", answerer="extractive"))
    assert bot.index([corpus]).added == 3

    before = bot.ask(IONNA)
    assert not before.refused and before.citations[0].doc_id == IONNA_DOC

    assert bot.delete([IONNA_DOC]) == 1
    assert IONNA_DOC not in {d.doc_id for d in bot.documents()}
    assert bot.stats().documents == 2
    after = bot.ask(IONNA)
    assert all(p.doc_id != IONNA_DOC for p in after.passages)
    assert after.refused or all(c.doc_id != IONNA_DOC for c in after.citations)
    assert "Toyota" not in after.text
    assert bot.as_retriever().invoke(IONNA)[0].metadata["doc_id"] != IONNA_DOC


def test_warm_up_loads_what_the_first_question_waits_for(tmp_path: Path) -> None:
    docs = {"a.md": ("Ionna grows", "2024-05-01", "BMW and Toyota invest in Ionna chargers.")}
    bot = tiny_assistant(tmp_path / "one", docs)
    fresh = Assistant(bot.settings)  # a new process's view of the same index
    fresh.warm_up()
    collection = fresh.retriever().col
    assert collection._bm25 is not None and collection._bm25.chunk_ids
    assert "row_of" in vars(collection._bm25)  # the lookup recency and filters use
    # An empty home has nothing to load and says so in the log, not as an error.
    Assistant(Settings(home=tmp_path / "empty")).warm_up()
