"""Questions that name a source ("What did the Daily Volt report ...") rank and quote that
source's passages first, without excluding the others."""

from __future__ import annotations

import pytest

from assistant import Assistant, Settings
from tests.fixtures.corpus import write_markdown

ARTICLES = [
    (
        "volt.md",
        "Daily Volt",
        "Charging network grows",
        "The charging network added 500 fast chargers along motorways this spring, and "
        "operators expect waiting times at busy sites to fall over the summer.",
    ),
    (
        "wire.md",
        "Motor Wire",
        "Charging network expands",
        "The charging network added 500 fast chargers along motorways this spring, said "
        "operators, who expect waiting times at busy sites to fall over the summer.",
    ),
    (
        "wired.md",
        "Wired",
        "Phone accessories",
        "A 10,000 mAh power bank charged a phone twice before running out.",
    ),
]


@pytest.fixture(scope="module")
def news_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("sources")
    for name, source, title, body in ARTICLES:
        write_markdown(root / "corpus", name, title, body, source=source)
    bot = Assistant(Settings(home=root / "home", answerer="extractive"))
    report = bot.index([root / "corpus"])
    assert report.documents == len(ARTICLES), report.to_dict()
    return bot


def test_named_sources_are_found_as_capitalised_whole_words(news_bot: Assistant) -> None:
    r = news_bot.retriever()
    assert r.named_sources("What did the Daily Volt say about chargers?") == ("Daily Volt",)
    assert r.named_sources("Do Motor Wire and DAILY VOLT agree?") == ("Daily Volt", "Motor Wire")
    assert r.named_sources("Is wired charging faster than wireless?") == ()
    assert r.named_sources("What does Wired say about power banks?") == ("Wired",)
    assert r.named_sources("How many chargers were added?") == ()


@pytest.mark.parametrize("source", ["Daily Volt", "Motor Wire"])
def test_the_named_source_ranks_first_and_is_the_one_quoted(
    news_bot: Assistant, source: str
) -> None:
    question = f"How many fast chargers did the network add, according to {source}?"
    passages = news_bot.retriever().retrieve(question)
    assert passages[0].source == source
    assert len({p.source for p in passages}) > 1, "other sources stay in the results"
    answer = news_bot.ask(question)
    assert not answer.refused
    assert {c.source for c in answer.citations} == {source}


def test_a_comparison_quotes_each_named_source(news_bot: Assistant) -> None:
    answer = news_bot.ask(
        "Do the Daily Volt and Motor Wire agree on how many fast chargers were added?"
    )
    assert not answer.refused
    assert {c.source for c in answer.citations} == {"Daily Volt", "Motor Wire"}


def test_a_source_weight_of_zero_turns_it_off(news_bot: Assistant) -> None:
    off = Assistant(news_bot.settings.replace(source_weight=0.0))
    question = "How many fast chargers did the network add, according to Motor Wire?"
    on_scores = {p.chunk_id: p.score for p in news_bot.retriever().retrieve(question)}
    off_scores = {p.chunk_id: p.score for p in off.retriever().retrieve(question)}
    wire = next(
        p.chunk_id for p in news_bot.retriever().retrieve(question) if p.doc_id == "wire.md"
    )
    assert on_scores[wire] > off_scores[wire]
