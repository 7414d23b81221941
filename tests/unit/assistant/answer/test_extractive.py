"""The offline (extractive) answerer on the sample corpus: right source, verbatim quotes,
honest refusals, clear input errors, deterministic output."""

from __future__ import annotations

import re

import pytest

from assistant import Answer, Assistant, EvchatError
from index.types import LoadedDocument

KNOWN_QUESTIONS = [
    (
        "How many battery-electric cars did BYD sell in Q4 2023?",
        "2024-01-02-byd-overtakes-tesla-q4.md",
    ),
    (
        "Where has BYD run an electric bus factory in Hungary since 2017?",
        "2023-12-22-byd-hungary-plant.md",
    ),
    (
        "What definitive EU countervailing duty applies to Tesla's Shanghai-made cars?",
        "2024-10-29-eu-definitive-duties.md",
    ),
    (
        "What was the average battery pack price in China in the 2024 survey?",
        "2024-12-10-battery-pack-prices-report.pdf",
    ),
    (
        "Which automaker joined Ionna as its eighth investor?",
        "2024-07-10-charging-nacs-ionna-afir.md",
    ),
    (
        "What energy density does CATL claim for its Naxtra sodium-ion car battery?",
        "2025-04-22-sodium-ion-batteries.md",
    ),
]
INVENTED = "What did Zorblax Motors announce about its Ohio gigafactory?"


def assert_quotes_verbatim(answer: Answer, docs: dict[str, LoadedDocument]) -> None:
    """Every citation's quote is exactly the document text at its offsets."""
    for c in answer.citations:
        text = docs[c.doc_id].text
        assert text[c.start : c.end] == c.quote, (c.n, c.doc_id, c.quote)


@pytest.mark.parametrize(("question", "doc_id"), KNOWN_QUESTIONS)
def test_known_question_is_answered_from_the_right_document(
    sample_assistant: Assistant,
    sample_documents: dict[str, LoadedDocument],
    question: str,
    doc_id: str,
) -> None:
    answer = sample_assistant.ask(question)
    assert not answer.refused, answer.text
    assert answer.answerer == "extractive"
    assert answer.citations, "an answer must carry citations"
    assert answer.citations[0].doc_id == doc_id, [c.doc_id for c in answer.citations]
    assert "[1]" in answer.text
    assert_quotes_verbatim(answer, sample_documents)
    # Citations are numbered 1..n and every marker in the text resolves to one.
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}
    assert all(s.supported and s.citations for s in answer.sentences)


def test_pdf_answer_cites_its_page(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "What was the average battery pack price in China in the 2024 survey?"
    )
    pdf = [c for c in answer.citations if c.doc_id.endswith(".pdf")]
    assert pdf and all(c.page in (1, 2) for c in pdf)
    assert any(c.page == 2 for c in pdf), [(c.page, c.quote) for c in pdf]


def test_question_about_invented_company_is_refused_with_passages(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask(INVENTED)
    assert answer.refused
    assert answer.text == sample_assistant.prompts.refusal
    assert answer.citations == []
    assert answer.passages, "a refusal still lists the closest passages"
    assert "Zorblax" not in answer.text


@pytest.mark.parametrize("question", ["", "   \n\t", "x" * 2001])
def test_empty_or_overlong_question_raises_evchat_error(
    sample_assistant: Assistant, question: str
) -> None:
    with pytest.raises(EvchatError) as info:
        sample_assistant.ask(question)
    assert str(info.value).strip().endswith(".")


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01", "01/02/2024"])
def test_bad_as_of_date_raises_value_error_with_clear_message(
    sample_assistant: Assistant, bad: str
) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD") as info:
        sample_assistant.ask("Where is BYD building a car plant?", as_of=bad)
    assert bad in str(info.value)


def test_extractive_answers_are_deterministic(sample_assistant: Assistant) -> None:
    question = "Where has BYD run an electric bus factory in Hungary since 2017?"
    first = sample_assistant.ask(question)
    second = sample_assistant.ask(question)
    assert first.text == second.text
    assert [c.to_dict() for c in first.citations] == [c.to_dict() for c in second.citations]


def test_answer_states_the_known_fact(sample_assistant: Assistant) -> None:
    facts = {
        "Where has BYD run an electric bus factory in Hungary since 2017?": "Komárom",
        "Which automaker joined Ionna as its eighth investor?": "Toyota",
    }
    for question, fact in facts.items():
        answer = sample_assistant.ask(question)
        assert fact in answer.text, (question, answer.text)
