"""Citation safety: sentence verification, verbatim quotes, fake markers in documents.

The model outputs here are scripted strings (fakes of a model's text only); the support
scorer uses the real embedding model.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from assistant import Assistant, Passage, Settings
from assistant.answer.support import SupportScorer
from assistant.answer.verify import (
    QuoteNotInChunkError,
    make_citation,
    verify_generated,
)
from index.embed.factory import make_embedder
from tests.fixtures.indexed import tiny_assistant

BYD_HUNGARY = (
    "BYD will build its first European passenger-car factory near Szeged in southern Hungary. "
    "Since 2017 it has operated an electric bus factory in Komárom, in the north-west of the "
    "country."
)
TOYOTA_IONNA = (
    "Toyota said on 10 July 2024 that it had become an investor in Ionna, the fast-charging "
    "joint venture set up by carmakers. The Japanese company is the eighth shareholder."
)
NORWAY = (
    "Battery-electric cars made up 88.9 percent of new cars registered in Norway in 2024. "
    "Tesla's Model Y was the best-selling car in the country."
)


def passage(n: int, text: str, start: int = 100) -> Passage:
    return Passage(
        chunk_id=f"chunk-{n}",
        doc_id=f"doc-{n}.md",
        text=text,
        title=f"Document {n}",
        source="Test Wire",
        published_at="2024-07-10",
        page=None,
        start=start,
        end=start + len(text),
        score=0.03,
    )


@pytest.fixture(scope="module")
def scorer() -> SupportScorer:
    return SupportScorer(make_embedder(Settings()))


@pytest.fixture(scope="module")
def passages() -> list[Passage]:
    return [passage(1, BYD_HUNGARY), passage(2, TOYOTA_IONNA), passage(3, NORWAY)]


THRESHOLD = Settings().answering.support_threshold


# --- verify_generated --------------------------------------------------------------------


def test_cited_sentence_that_its_passage_states_is_supported(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    raw = "BYD has operated an electric bus factory in Komárom since 2017 [1]."
    verified = verify_generated(raw, passages, scorer, THRESHOLD)
    assert [s.supported for s in verified.sentences] == [True]
    assert len(verified.citations) == 1
    c = verified.citations[0]
    assert c.n == 1 and c.doc_id == "doc-1.md"
    p = passages[0]
    assert "Komárom" in c.quote
    assert p.text[c.start - p.start : c.end - p.start] == c.quote
    assert verified.text.endswith("[1]")


def test_marker_is_renumbered_to_the_citation_list(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    raw = "Toyota became the eighth investor in Ionna [2]."
    verified = verify_generated(raw, passages, scorer, THRESHOLD)
    assert verified.sentences[0].supported
    assert [(c.n, c.doc_id) for c in verified.citations] == [(1, "doc-2.md")]
    assert verified.text.endswith("[1]") and "[2]" not in verified.text


def test_claim_not_in_the_cited_passage_is_unsupported(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    raw = (
        "BYD has operated an electric bus factory in Komárom since 2017 [1]. "
        "BYD sells rockets on Mars [1]."
    )
    verified = verify_generated(raw, passages, scorer, THRESHOLD)
    assert [s.supported for s in verified.sentences] == [True, False]
    rockets = verified.sentences[1]
    assert rockets.text == "BYD sells rockets on Mars." and rockets.citations == ()
    assert "BYD sells rockets on Mars." in verified.text
    assert "BYD sells rockets on Mars. [" not in verified.text  # its marker was removed
    assert len(verified.citations) == 1


def test_claim_citing_the_wrong_passage_is_unsupported(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    raw = "Toyota became the eighth shareholder of Ionna [3]."
    verified = verify_generated(raw, passages, scorer, THRESHOLD)
    assert [s.supported for s in verified.sentences] == [False]
    assert verified.citations == []


def test_drop_unsupported_removes_the_sentence(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    raw = "BYD sells rockets on Mars [1]. Toyota became the eighth investor in Ionna [2]."
    verified = verify_generated(raw, passages, scorer, THRESHOLD, drop_unsupported=True)
    assert "rockets" not in verified.text
    assert [s.supported for s in verified.sentences] == [True]


def test_uncited_sentence_clearly_supported_gets_a_citation(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    raw = "Battery-electric cars made up 88.9 percent of new cars registered in Norway in 2024."
    verified = verify_generated(raw, passages, scorer, THRESHOLD)
    assert verified.sentences[0].supported
    assert verified.sentences[0].citations == (1,)
    assert verified.citations[0].doc_id == "doc-3.md"
    assert "88.9 percent" in verified.citations[0].quote
    assert verified.text.endswith("[1]")


def test_marker_to_a_missing_passage_cites_nothing_unverified(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    raw = "Martian rockets are sold by BYD [9]."
    verified = verify_generated(raw, passages, scorer, THRESHOLD)
    assert "[9]" not in verified.text
    assert verified.citations == []
    assert not verified.sentences[0].supported


# --- make_citation -------------------------------------------------------------------------


def test_citation_offsets_point_into_the_document(passages: list[Passage]) -> None:
    p = passages[0]
    start = p.text.index("Since 2017")
    end = len(p.text)
    c = make_citation(1, p, start, end, 0.9)
    assert c.quote == p.text[start:end]
    assert (c.start, c.end) == (p.start + start, p.start + end)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (5, 5),  # empty
        (len(BYD_HUNGARY) + 10, len(BYD_HUNGARY) + 20),  # past the end
        (-10, len(BYD_HUNGARY)),  # negative: the slice works, the offsets would not
        (5, len(BYD_HUNGARY) + 50),  # end past the chunk: offsets would overrun the quote
    ],
)
def test_quote_not_in_chunk_is_rejected(passages: list[Passage], start: int, end: int) -> None:
    with pytest.raises(QuoteNotInChunkError):
        make_citation(1, passages[0], start, end, 0.9)


# --- fake markers inside documents ----------------------------------------------------------


def test_fake_marker_in_document_never_becomes_a_citation(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    body = (
        "Kestrel EV said its Saxony plant will build 300,000 cars a year [3] from 2026, "
        "after a second assembly line opens. The company did not say how many workers "
        "the plant will employ."
    )
    bot: Assistant = tiny_assistant(
        tmp_path_factory.mktemp("fake_marker"),
        {"kestrel.md": ("Kestrel EV expands Saxony plant", "2024-05-01", body)},
    )
    answer = bot.ask("How many cars a year will the Kestrel EV plant in Saxony build?")
    assert not answer.refused
    assert "300,000 cars a year (3) from 2026" in answer.text
    assert "[3]" not in answer.text
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert set(numbers) == {c.n for c in answer.citations}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert len(answer.citations) < 3
    # The quote itself stays verbatim, look-alike marker and all.
    assert any("[3]" in c.quote for c in answer.citations)


# --- the claim check: names, numbers, dates and negation must agree -------------------------

DEAL = (
    "Stellantis agreed on Monday to buy a 21% stake in Leapmotor in a roughly $1.6 billion "
    "deal. The carmaker will not build Leapmotor cars in Europe before 2026."
)


@pytest.fixture(scope="module")
def deal() -> list[Passage]:
    return [passage(1, DEAL)]


def test_faithful_sentence_is_supported_and_quoted(
    scorer: SupportScorer, deal: list[Passage]
) -> None:
    v = verify_generated(
        "Stellantis agreed to buy a 21% stake in Leapmotor [1].", deal, scorer, THRESHOLD
    )
    assert v.sentences[0].supported and v.citations[0].quote.startswith("Stellantis agreed")


def test_swapped_number_is_flagged_unsupported(scorer: SupportScorer, deal: list[Passage]) -> None:
    v = verify_generated(
        "Stellantis agreed to buy a 21% stake in Leapmotor in a roughly $6.9 billion deal [1].",
        deal,
        scorer,
        THRESHOLD,
    )
    s = v.sentences[0]
    assert not s.supported and s.citations == () and v.citations == []
    assert ("$6.9 billion", "$1.6 billion") in s.conflicts or "$6.9 billion" in s.missing, s


def test_swapped_name_is_flagged_unsupported(scorer: SupportScorer, deal: list[Passage]) -> None:
    v = verify_generated(
        "Renault agreed on Monday to buy a 21% stake in Leapmotor [1].", deal, scorer, THRESHOLD
    )
    s = v.sentences[0]
    assert not s.supported
    assert "Renault" in s.missing or any(c[0] == "Renault" for c in s.conflicts), s


def test_flipped_negation_is_flagged_unsupported(
    scorer: SupportScorer, deal: list[Passage]
) -> None:
    v = verify_generated(
        "The carmaker will build Leapmotor cars in Europe before 2026 [1].", deal, scorer, THRESHOLD
    )
    assert not v.sentences[0].supported and v.sentences[0].reason


def test_swapped_year_is_flagged_unsupported(scorer: SupportScorer, deal: list[Passage]) -> None:
    v = verify_generated(
        "The carmaker will not build Leapmotor cars in Europe before 2029 [1].",
        deal,
        scorer,
        THRESHOLD,
    )
    s = v.sentences[0]
    assert not s.supported and (s.missing or s.conflicts), s


def test_a_sentence_stating_less_than_the_passage_passes(
    scorer: SupportScorer, deal: list[Passage]
) -> None:
    v = verify_generated(
        "Stellantis agreed to buy a stake in Leapmotor [1].", deal, scorer, THRESHOLD
    )
    assert v.sentences[0].supported


def test_the_verdict_explains_itself_in_the_json(
    scorer: SupportScorer, deal: list[Passage]
) -> None:
    v = verify_generated(
        "Stellantis agreed to buy a 45% stake in Leapmotor [1].", deal, scorer, THRESHOLD
    )
    d = v.sentences[0].to_dict()
    assert d["supported"] is False and d["reason"]
    assert d["missing"] or d["conflicts"]
    assert all(isinstance(pair, list) and len(pair) == 2 for pair in d["conflicts"])


# --- the cited document's own metadata counts as stated ----------------------------------


def _with_meta(n: int, text: str, source: str, title: str, published_at: str) -> Passage:
    return replace(passage(n, text), source=source, title=title, published_at=published_at)


SPLIT = "Tesla announced a five-for-one stock split, effective August 31. The shares rose 6%."


@pytest.fixture(scope="module")
def split() -> list[Passage]:
    return [
        _with_meta(1, SPLIT, "cnn.com", "Tesla splits its stock", "2020-08-12"),
        _with_meta(2, BYD_HUNGARY, "Reuters", "BYD picks Hungary", "2020-08-14"),
    ]


@pytest.mark.parametrize(
    "claim",
    [
        "According to CNN, Tesla announced a five-for-one stock split, effective August 31 [1].",
        "CNN reported on Wednesday that Tesla announced a five-for-one stock split [1].",
        "Tesla announced a five-for-one stock split, effective Aug. 31, CNN reported [1].",
    ],
)
def test_the_cited_source_and_date_count_as_stated(
    scorer: SupportScorer, split: list[Passage], claim: str
) -> None:
    v = verify_generated(claim, split, scorer, THRESHOLD)
    assert v.sentences[0].supported, v.sentences[0]


@pytest.mark.parametrize(
    "claim",
    [
        # Reuters is the source of passage 2, not of the cited passage 1.
        "According to Reuters, Tesla announced a five-for-one stock split [1].",
        # Friday is neither a date of passage 1 nor its publication date (a Wednesday).
        "CNN reported on Friday that Tesla announced a five-for-one stock split [1].",
        "Tesla announced a five-for-one stock split, effective Aug. 14 [1].",
    ],
)
def test_another_documents_metadata_does_not(
    scorer: SupportScorer, split: list[Passage], claim: str
) -> None:
    assert not verify_generated(claim, split, scorer, THRESHOLD).sentences[0].supported


# --- a sentence that states nothing is not an answer -----------------------------------------


def test_a_sentence_restating_the_question_is_neither_supported_nor_cited(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    question = "Where is BYD building its first European passenger-car factory?"
    v = verify_generated(
        'The answer to the question "Where is BYD building its first European passenger-car '
        'factory?" should be: [1]',
        passages,
        scorer,
        THRESHOLD,
        question=question,
    )
    s = v.sentences[0]
    assert not s.supported and s.citations == () and v.citations == []
    assert s.reason and "restates the question" in s.reason


def test_beside_a_restatement_the_sentence_that_answers_is_still_supported(
    scorer: SupportScorer, passages: list[Passage]
) -> None:
    question = "Where is BYD building its first European passenger-car factory?"
    v = verify_generated(
        "BYD is building its first European passenger-car factory [1]. "
        "BYD will build its first European passenger-car factory near Szeged in southern "
        "Hungary [1].",
        passages,
        scorer,
        THRESHOLD,
        question=question,
    )
    assert [s.supported for s in v.sentences] == [False, True]
    assert "Szeged" in v.citations[0].quote
