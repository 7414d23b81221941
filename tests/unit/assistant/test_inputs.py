"""What callers hand ``Assistant.ask``: every mistake is one clear sentence, never a
``TypeError`` from inside, and text the tokenizer cannot take is made safe first."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant import Assistant, BadInputError, EvchatError, Filters
from assistant.inputs import (
    check_answerer,
    check_as_of,
    check_choices,
    check_filters,
    check_history,
    check_k,
    check_question,
)

HUNGARY = "Where has BYD run an electric bus factory in Hungary since 2017?"


@pytest.mark.parametrize("k", ["5", 2.5, 0, -1, 51, True, [3]])
def test_k_must_be_a_whole_number_from_1_to_50(k: object) -> None:
    with pytest.raises(BadInputError, match=r"k \(passages per answer\) must be a whole number"):
        check_k(k)


def test_valid_k_and_none_pass() -> None:
    assert [check_k(1), check_k(50), check_k(None)] == [1, 50, None]


@pytest.mark.parametrize(
    "value", ["2024-01-01; DROP TABLE x", "2024-1-1", "01/02/2024", "2024-02-30", "today"]
)
def test_as_of_must_be_exactly_yyyy_mm_dd(value: str) -> None:
    with pytest.raises(BadInputError, match="is not a date of the form YYYY-MM-DD"):
        check_as_of(value)


def test_as_of_accepts_dates_and_blank() -> None:
    assert check_as_of(" 2024-07-01 ") == "2024-07-01"
    assert check_as_of(dt.date(2024, 7, 1)) == "2024-07-01"
    assert check_as_of("") is None and check_as_of(None) is None
    with pytest.raises(BadInputError, match="must be a date written YYYY-MM-DD"):
        check_as_of(20240701)


def test_filters_are_checked_like_the_as_of_date() -> None:
    with pytest.raises(BadInputError, match="'from' date"):
        check_filters(Filters(date_from="2024-01-01; DROP TABLE x"))
    with pytest.raises(BadInputError, match="is after the 'to' date"):
        check_filters(Filters(date_from="2024-05-01", date_to="2024-01-01"))
    with pytest.raises(BadInputError, match=r"Filters\.sources must be a list of texts"):
        check_filters(Filters(sources="Reuters"))  # type: ignore[arg-type]
    with pytest.raises(BadInputError, match=r"assistant\.Filters"):
        check_filters({"sources": ["Reuters"]})
    ok = check_filters(Filters(sources=["Reuters"], date_to=" 2024-01-31 "))  # type: ignore[arg-type]
    assert ok == Filters(sources=("Reuters",), date_to="2024-01-31")


def test_lone_surrogates_in_a_question_become_replacement_characters() -> None:
    assert check_question("  Lithium \ud800 prices?  ") == "Lithium \ufffd prices?"
    assert check_question("Cafe\u0301?") == "Café?"  # NFC, as document text is
    for bad in ("", "   ", None, 42):
        with pytest.raises(BadInputError, match="Please type a question"):
            check_question(bad)
    with pytest.raises(BadInputError, match="too long"):
        check_question("x" * 2001)


def test_options_and_history_and_answerer_are_checked() -> None:
    assert check_choices(["BYD", " byd ", "CATL \ud800"]) == ["BYD", "CATL \ufffd"]
    with pytest.raises(BadInputError, match="list of option texts"):
        check_choices("BYD")
    with pytest.raises(BadInputError, match="Every option must be text"):
        check_choices(["BYD", 3])
    with pytest.raises(BadInputError, match="At most 20 options"):
        check_choices([f"option {i}" for i in range(21)])
    history = check_history([{"role": "user", "content": "Tell me \ud800"}, ("q", "a")])
    assert history[0]["content"] == "Tell me \ufffd" and len(history) == 3
    with pytest.raises(BadInputError, match="history must be a list"):
        check_history("earlier")
    assert check_answerer("extractive") == "extractive" and check_answerer(None) is None
    with pytest.raises(BadInputError, match="Unknown answerer 'gpt'"):
        check_answerer("gpt")


def test_bad_input_errors_are_evchat_errors_and_value_errors() -> None:
    assert issubclass(BadInputError, EvchatError) and issubclass(BadInputError, ValueError)


def test_the_api_answers_a_question_with_a_lone_surrogate(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(HUNGARY.replace("factory", "factory \ud800"))
    assert not answer.refused and "Komárom" in answer.text
    answer.text.encode("utf-8")


def test_the_api_refuses_bad_arguments_before_any_work(sample_assistant: Assistant) -> None:
    with pytest.raises(BadInputError, match="whole number from 1 to 50, not '5'"):
        sample_assistant.ask(HUNGARY, k="5")  # type: ignore[arg-type]
    with pytest.raises(BadInputError, match="YYYY-MM-DD"):
        sample_assistant.ask(HUNGARY, as_of="2024-01-01; DROP TABLE x")
    with pytest.raises(BadInputError, match="'to' date"):
        list(sample_assistant.stream(HUNGARY, filters=Filters(date_to="soon")))
