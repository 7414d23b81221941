"""Times that look forward from a passage's date ("within about three years", "next
year"): read by the claims' date grammar, resolved against the published date."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answer.claims import check_claim
from assistant.answer.claims.dates import extract_dates, later_than

PUBLISHED = dt.date(2023, 12, 22)


def surfaces(text: str) -> dict[str, bool | None]:
    """Each date expression of ``text`` and whether it reaches past :data:`PUBLISHED`."""
    return {f.surface: later_than(f, PUBLISHED) for f in extract_dates(text, PUBLISHED)}


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Production is expected to begin within about three years.", "within about three years"),
        ("The line will open in two years.", "in two years"),
        ("Deliveries start in 6 months.", "in 6 months"),
        ("It will invest $2bn over the next five years.", "over the next five years"),
        ("The plant opens next year.", "next year"),
        ("Output starts in the second half of 2026.", "second half of 2026"),
        ("Cells will be made there from 2026.", "2026"),
        ("The factory should be running by 2027.", "2027"),
    ],
)
def test_forward_times_reach_past_the_published_date(text: str, surface: str) -> None:
    assert surfaces(text) == {surface: True}


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Since 2017 it has operated a bus factory.", "2017"),
        ("The decision was announced on 22 December 2023.", "22 December 2023"),
        ("Sales rose three years ago.", "three years ago"),
        ("Output fell last month.", "last month"),
    ],
)
def test_past_times_end_on_or_before_it(text: str, surface: str) -> None:
    assert surfaces(text) == {surface: False}


def test_a_forward_time_is_one_without_a_published_date() -> None:
    facts = extract_dates("It opens within three years.", None)
    assert [(f.surface, later_than(f, None)) for f in facts] == [("within three years", True)]
    assert later_than(extract_dates("It opened in 2017.", None)[0], None) is None


def test_a_number_of_years_that_is_an_age_or_a_duration_ago_is_not_ahead() -> None:
    assert surfaces("The plant is in three years old buildings.") == {}


def test_forward_times_are_checked_as_dates() -> None:
    evidence = ["BYD said production would begin within about three years."]
    assert check_claim(evidence[0], evidence, published_at="2023-12-22").supported
    implied = "BYD said production would begin within five years."  # says less
    assert check_claim(implied, evidence, published_at="2023-12-22").supported
    sooner = "BYD said production would begin within a year."  # says more
    assert not check_claim(sooner, evidence, published_at="2023-12-22").supported
