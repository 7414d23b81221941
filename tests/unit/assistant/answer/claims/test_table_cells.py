"""A table cell, as the loader writes it (one sentence per cell), is a stated fact."""

from __future__ import annotations

from assistant.answer.claims import check_claim
from assistant.answer.sentences import sentence_spans

TABLE = (
    "Table 1: Battery-electric car registrations by country (units)\n"
    "Battery-electric car registrations by country (units) — Norway, 2022: 138,300.\n"
    "Battery-electric car registrations by country (units) — Norway, 2023: 104,600.\n"
    "Battery-electric car registrations by country (units) — Sweden, 2023: 112,400."
)


def evidence() -> list[str]:
    return [TABLE[a:b] for a, b in sentence_spans(TABLE)]


def test_each_cell_is_its_own_sentence() -> None:
    assert len(evidence()) == 4


def test_a_claim_stating_the_cell_is_supported() -> None:
    claim = "Norway registered 104,600 battery-electric cars in 2023."
    assert check_claim(claim, evidence(), published_at="2024-03-12").supported


def test_a_claim_with_the_neighbouring_cells_value_is_not() -> None:
    claim = "Norway registered 112,400 battery-electric cars in 2023."
    result = check_claim(claim, evidence(), published_at="2024-03-12")
    assert not result.supported
