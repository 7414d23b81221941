"""The [n] marker: written, parsed and defused in one place; streamed without half markers."""

from __future__ import annotations

import re

import pytest

from assistant.answer.markers import (
    MarkerStream,
    defuse_markers,
    marker_numbers,
    replace_markers,
    strip_markers,
    with_markers,
)


def test_markers_are_written_parsed_and_stripped_consistently() -> None:
    text = with_markers("BYD builds a plant in Szeged.", (1, 3))
    assert text == "BYD builds a plant in Szeged. [1] [3]"
    assert marker_numbers(text) == [1, 3]
    assert strip_markers(text) == "BYD builds a plant in Szeged."
    assert replace_markers(text, lambda n: f"<{n}>") == "BYD builds a plant in Szeged. <1> <3>"


def test_defused_document_markers_no_longer_parse_as_markers() -> None:
    defused = defuse_markers("As reported [2], sales rose.")
    assert defused == "As reported (2), sales rose."
    assert marker_numbers(defused) == []


def run_stream(deltas: list[str], n_passages: int) -> list[str]:
    stream = MarkerStream(n_passages)
    shown = [stream.feed(d) for d in deltas]
    shown.append(stream.flush())
    return shown


@pytest.mark.parametrize(
    "deltas",
    [
        ["BYD runs a bus plant [", "1] in Komárom."],
        ["BYD runs a bus plant [1", "] in Komárom."],
        ["BYD runs a bus plant ", "[", "1", "]", " in Komárom."],
        ["BYD runs a bus plant [1][", "2", "] in Komárom."],
    ],
)
def test_marker_stream_never_shows_half_a_marker(deltas: list[str]) -> None:
    shown = run_stream(deltas, n_passages=3)
    for piece in shown:
        assert not re.search(r"\[\d*$", piece), shown
        assert not re.match(r"^\d*\]", piece), shown
    joined = "".join(shown)
    assert joined == "".join(deltas)
    assert "[1]" in joined


def test_marker_stream_drops_markers_to_missing_passages() -> None:
    shown = run_stream(["Komárom [1]. Rockets [", "9]. Norway [3][4", "]."], n_passages=3)
    joined = "".join(shown)
    assert joined == "Komárom [1]. Rockets . Norway [3]."
    assert "[9]" not in joined and "[4]" not in joined


def test_marker_stream_releases_a_held_bracket_that_is_not_a_marker() -> None:
    shown = run_stream(["Prices fell [", "sharply] in 2024 [", "2"], n_passages=3)
    assert "".join(shown) == "Prices fell [sharply] in 2024 [2"
