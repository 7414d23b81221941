"""Metric helpers of ``evchat eval``: normalisation, matching, quote precision, aggregation."""

from __future__ import annotations

import pytest

from assistant.eval.metrics import (
    QuestionResult,
    aggregate,
    answer_matches,
    choice_named_in,
    contains,
    hit_rank,
    list_items,
    normalise,
    percentile,
    quote_is_precise,
    ranked_docs,
    same_answer,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,000", "1000"),
        ("$7,500", "7500"),
        ("€1,250,000 in aid", "1250000 in aid"),
        ("It rose 3.5%.", "it rose 3.5 percent"),
        ("Mercedes-Benz's EQXX!", "mercedes benz s eqxx"),
        ("  Tesla,   Inc. [2] ", "tesla inc"),
        ("Škoda Enyaq", "skoda enyaq"),
        ("The Verge", "verge"),
        ("A&M and an R&D unit", "and m and r and d unit"),
        ("about fourteen thousand jobs", "about 14000 jobs"),
        ("Twenty-one percent", "21 percent"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_containment_matching_is_normalised_and_on_word_boundaries() -> None:
    assert contains("The credit is worth $7,500 [1].", "7500")
    assert contains("Prices rose 18 percent.", "18%")
    assert contains("GERMANY's plan", "Germany")
    assert not contains("Fordham University", "Ford")
    assert not contains("anything", "")


def test_choice_named_in_answer() -> None:
    choices = ["BMW", "Ford", "Ford Motor", "Hyundai"]
    assert choice_named_in("Ford Motor is halting production; BMW is not.", choices) == "Ford Motor"
    assert choice_named_in("BMW said Ford would follow.", choices) == "BMW"
    assert choice_named_in("No maker is named.", choices) is None


def test_quote_precision_rules() -> None:
    evidence = ["Voltara opened a cell plant in Debrecen, Hungary."]
    assert quote_is_precise("anything", "gold", ["gold"], [], None)
    assert quote_is_precise(
        "On Monday, Voltara opened a cell plant in Debrecen, Hungary.", "x", [], evidence, None
    )
    assert quote_is_precise("The plant is in Hungary.", "x", [], [], "Hungary")
    assert not quote_is_precise("No, it did not.", "x", [], [], "no")  # bare yes/no says nothing
    assert not quote_is_precise("Unrelated sentence.", "x", ["gold"], evidence, "Hungary")


def test_ranking_helpers() -> None:
    docs = ranked_docs(["a", "a", "b", "c", "b"])
    assert docs == ["a", "b", "c"]
    assert hit_rank(docs, ["c", "z"]) == 3
    assert hit_rank(docs, ["z"]) is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([], 95) is None


def test_aggregate_counts() -> None:
    rows = [
        QuestionResult(
            "a",
            "t",
            True,
            has_gold=True,
            hit_rank=1,
            correct=True,
            citations=2,
            precise_citations=1,
        ),
        QuestionResult("b", "t", True, has_gold=True, hit_rank=7, correct=False, refused=True),
        QuestionResult("c", "u", False, refused=True),
        QuestionResult("d", "u", False, refused=False, citations=1, verbatim_citations=1),
    ]
    rows[0].verbatim_citations = 2
    m = aggregate(rows)
    assert (m["hits_at_1"], m["hits_at_5"], m["hits_at_10"]) == (0.5, 0.5, 1.0)
    assert m["mrr_at_10"] == round((1 + 1 / 7) / 2, 4)
    assert m["answer_accuracy"] == 0.5 and m["false_refusal_rate"] == 0.5
    assert m["refusal_recall"] == 0.5 and m["citations_on_unanswerable"] == 1
    assert m["citation_precision"] == 0.5 and m["quotes_verbatim"] == 1.0


def test_list_answers_match_in_any_order() -> None:
    assert list_items("Fruits and vegetables") == list_items("vegetables & fruits")
    assert same_answer("Vegetables and fruits", "Fruits and vegetables")
    assert answer_matches(
        "Prices of vegetables and fruits will rise [1]", None, "Fruits & vegetables"
    )
    assert not answer_matches("Prices of fruits will rise [1]", None, "Fruits and vegetables")


def test_short_answer_equal_to_the_gold_counts() -> None:
    assert answer_matches("The company said so [1]", "The Tesla", "Tesla")
    assert answer_matches("Tesla will cut 14,000 jobs [1]", None, "fourteen thousand")
    assert not answer_matches("Ford said so [1]", "Ford", "Tesla")


def test_yes_or_no_counts_only_as_the_short_answer() -> None:
    assert not answer_matches("No — the fund said no such thing [1]", "No", "yes")
    assert not answer_matches("It said there was no deal [1]", None, "no")
    assert answer_matches("No — it said … [1] [2]", "No", "no")
    assert answer_matches("Similar — … [1]", "Similar", "similar")
