"""The head of a .txt or .md article: title line, dateline or "Published" line, byline,
source line; and Markdown stored as plain text. Real files through the real loaders."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest.loaders import discover, load
from index.ingest.markdown_text import markdown_text
from index.ingest.news_header import parse_date, read_header
from index.types import LoadedDocument


def load_one(path: Path) -> LoadedDocument:
    files, failed = discover([path])
    assert failed == [] and len(files) == 1
    docs = list(load(files[0], 60 * 1024 * 1024))
    assert len(docs) == 1 and isinstance(docs[0], LoadedDocument)
    return docs[0]


BODY = "Kestrel Recycling opened its first plant in Sarnia, recovering 300 tonnes a year.\n"


@pytest.mark.parametrize(
    ("head", "date", "date_from"),
    [
        ("Published 2026-10-15", "2026-10-15", "'Published' line"),
        ("Published: October 15, 2026", "2026-10-15", "'Published' line"),
        ("Published on Thursday, 15 October 2026 at 09:30", "2026-10-15", "'Published' line"),
        ("Posted Oct. 15, 2026", "2026-10-15", "'Published' line"),
        ("Date: 15 Oct 2026", "2026-10-15", "'Date' line"),
        ("October 15, 2026", "2026-10-15", "dateline"),
        ("By Jane Doe | October 15, 2026", "2026-10-15", "byline"),
        ("By Jane Doe · 2026-10-15T09:30:00Z", "2026-10-15", "byline"),
    ],
)
def test_txt_head_gives_title_and_date(
    tmp_path: Path, head: str, date: str, date_from: str
) -> None:
    path = tmp_path / "kestrel-recycling.txt"
    path.write_text(f"Kestrel Recycling opens Sarnia plant\n{head}\n\n{BODY}", encoding="utf-8")
    doc = load_one(path)
    assert (doc.title, doc.published_at, doc.date_from) == (
        "Kestrel Recycling opens Sarnia plant",
        date,
        date_from,
    )
    assert head not in doc.text  # a metadata line, not part of the article
    assert doc.text.startswith("Kestrel Recycling opens Sarnia plant\n")  # the title stays


def test_published_line_wins_over_updated_line_and_file_name(tmp_path: Path) -> None:
    path = tmp_path / "2020-01-01-kestrel.txt"
    path.write_text(
        f"Kestrel opens plant\nUpdated 16 October 2026\nPublished 15 October 2026\n\n{BODY}",
        encoding="utf-8",
    )
    doc = load_one(path)
    assert (doc.published_at, doc.date_from) == ("2026-10-15", "'Published' line")


def test_labelled_title_and_source_lines(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        f"Title: Kestrel opens plant\nSource: Sarnia Observer\nDate: 2026-10-15\n\n{BODY}",
        encoding="utf-8",
    )
    doc = load_one(path)
    assert (doc.title, doc.source, doc.published_at) == (
        "Kestrel opens plant",
        "Sarnia Observer",
        "2026-10-15",
    )
    assert doc.text == BODY.strip()


def test_wire_dateline_in_the_first_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    text = "Kestrel opens plant\n\nSARNIA, Ontario, Oct. 15, 2026 — Kestrel Recycling said."
    path.write_text(text.replace("Ontario, ", ""), encoding="utf-8")
    doc = load_one(path)
    assert (doc.published_at, doc.date_from) == ("2026-10-15", "dateline")
    assert doc.text.endswith("SARNIA, Oct. 15, 2026 — Kestrel Recycling said.")  # kept


def test_file_name_date_is_recorded_as_such(tmp_path: Path) -> None:
    path = tmp_path / "2022-07-01-news.txt"
    path.write_text("Some news.\n\nNothing dated here, 3 min read.\n", encoding="utf-8")
    doc = load_one(path)
    assert (doc.published_at, doc.date_from) == ("2022-07-01", "file name")


def test_undated_text_has_no_date_source(tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text("Plant news\nyesterday\n\nIt opened in 2026.\n", encoding="utf-8")
    doc = load_one(path)
    assert (doc.published_at, doc.date_from) == (None, None)
    assert "yesterday" in doc.text  # not a date: stays in the text


def test_long_first_line_is_body_not_title() -> None:
    long_line = "Kestrel " * 30
    head = read_header(f"{long_line}\nPublished 2026-10-15\n")
    assert head.title is None and head.published_at is None


def test_parse_date_needs_a_four_digit_year() -> None:
    assert parse_date("Oct 15") is None
    assert parse_date("yesterday") is None
    assert parse_date("15/10/2026") == "2026-10-15"
    assert parse_date("not a date 2026") is None


def test_markdown_published_line_under_the_heading(tmp_path: Path) -> None:
    path = tmp_path / "plant.md"
    path.write_text(
        f"# Kestrel opens *Sarnia* plant\n\n*Published 15 October 2026*\n\n{BODY}",
        encoding="utf-8",
    )
    doc = load_one(path)
    assert (doc.title, doc.published_at, doc.date_from) == (
        "Kestrel opens Sarnia plant",
        "2026-10-15",
        "'Published' line",
    )
    assert doc.text == "Kestrel opens Sarnia plant\n\n" + BODY.strip()


def test_markdown_is_stored_as_plain_text() -> None:
    source = (
        "## Volkswagen turns to *Xpeng*\n\n"
        "*Update (July 2024):* BYD opened **Rayong**, see [the report](https://x.test/r).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n"
        "| model | range |\n|---|---|\n| T03 | 265 km |\n\n"
        "Literal \\*stars\\* &amp; <b>tags</b> stay text.\n\n```\ncode *as is*\n```"
    )
    assert markdown_text(source) == (
        "Volkswagen turns to Xpeng\n\n"
        "Update (July 2024): BYD opened Rayong, see the report.\n\n"
        "• one\n• two\n\n1. first\n2. second\n\n"
        "model | range\nT03 | 265 km\n\n"
        "Literal *stars* & <b>tags</b> stay text.\n\ncode *as is*"
    )
