"""PDF reports as documents: tables kept as tables, lines joined, running headers dropped,
metadata used, bad PDFs named in one line. Runs on the generated fixtures of
``tests/fixtures/pdf_reports`` (real reportlab output, read by real pypdf and pdfplumber)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest.chunking import chunk_document
from index.ingest.loaders import LoadError, SourceFile, load
from index.types import LoadedDocument
from tests.fixtures.pdf_reports.generate import HERE as FIXTURES
from tests.fixtures.pdf_reports.reports import QUESTIONS, REPORTS

MB = 1024 * 1024


def load_fixture(name: str) -> LoadedDocument:
    path = FIXTURES / name
    (doc,) = list(load(SourceFile(path, name, path.stat().st_size), 60 * MB))
    assert isinstance(doc, LoadedDocument)
    return doc


def fixture_error(name: str) -> str:
    path = FIXTURES / name
    with pytest.raises(LoadError) as raised:
        list(load(SourceFile(path, name, path.stat().st_size), 60 * MB))
    return str(raised.value)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.question[:40])
def test_every_table_cell_is_one_line_with_its_row_and_column(question) -> None:
    doc = load_fixture(question.file)
    lines = [ln for ln in doc.text.split("\n") if f"{question.row}, {question.column}:" in ln]
    assert len(lines) == 1
    assert lines[0].endswith(f": {question.cell}.")
    at = doc.text.index(lines[0])
    assert doc.page_at(at) == question.page
    (table,) = [t for t in doc.tables if t.start <= at < t.end]
    assert table.page == question.page and table.caption.startswith("Table ")


def test_tables_drawn_with_horizontal_rules_only_are_found() -> None:
    doc = load_fixture("europe-cell-capacity-review.pdf")
    assert [t.caption for t in doc.tables] == [
        "Table 1: Battery cell plants in Europe, capacity in GWh per year",
        "Table 2: Share of announced capacity by cell chemistry",
    ]
    assert "Loire Gigasite, Operator: Cellvance." in doc.text
    assert "Capacity 2023 Planned" not in doc.text  # the header is no run of words


def test_running_header_and_page_footer_are_dropped() -> None:
    for report in REPORTS:
        doc = load_fixture(report.file)
        assert report.running_header not in doc.text
        assert "Page 1 of 2" not in doc.text and "Page 2 of 2" not in doc.text
        assert doc.text.startswith(report.title)  # the title on the page stays


def test_wrapped_lines_are_joined_and_line_end_hyphens_dropped() -> None:
    doc = load_fixture("nordic-ev-outlook-2024.pdf")
    assert (
        "Electric cars kept gaining ground across the Nordic countries in 2023, although "
        "registrations in Norway fell for the first time in a decade"
    ) in doc.text
    assert "light commercial vehicles and manufacturer demonstration fleets." in doc.text
    assert "battery-electric passenger cars" in doc.text  # a real hyphen is kept


def test_title_source_and_date_come_from_the_pdf_metadata() -> None:
    for report in REPORTS:
        doc = load_fixture(report.file)
        assert (doc.title, doc.source, doc.published_at) == (
            report.title,
            report.author,
            report.created,
        )


def test_placeholder_metadata_falls_back_to_the_file(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "2024-05-02-fleet-note.pdf"
    page = canvas.Canvas(str(path), invariant=1)  # reportlab's defaults: untitled, anonymous
    page.drawString(72, 720, "Fleet operators ordered more electric vans.")
    page.save()
    (doc,) = list(load(SourceFile(path, path.name, path.stat().st_size), 60 * MB))
    assert isinstance(doc, LoadedDocument)
    assert (doc.title, doc.source) == ("2024-05-02-fleet-note", path.name)
    assert doc.published_at == "2000-01-01"  # the PDF's own creation date wins


def test_table_chunks_embed_their_caption_and_keep_their_page() -> None:
    doc = load_fixture("europe-cell-capacity-review.pdf")
    chunks = chunk_document(doc, "hash", chunk_tokens=120, overlap_tokens=0)
    plants = doc.tables[0]
    inside = [c for c in chunks if plants.start <= c.start < plants.end]
    assert len(inside) >= 2  # a long table is split at its lines
    for chunk in inside:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert chunk.end <= plants.end  # no chunk runs from the table into the prose
        assert plants.caption in chunk.embed_text and chunk.page == 1


def test_a_scanned_pdf_says_ocr_is_not_available() -> None:
    assert fixture_error("scanned.pdf") == (
        "the PDF has no text layer (a scan?), and OCR is not available"
    )


def test_an_encrypted_pdf_is_one_line() -> None:
    assert fixture_error("encrypted.pdf") == "the PDF is encrypted"


def test_a_truncated_pdf_is_one_line() -> None:
    assert fixture_error("truncated.pdf") == "the PDF is damaged or truncated"


def test_fixtures_are_what_the_script_writes(tmp_path: Path) -> None:
    from tests.fixtures.pdf_reports.generate import write_report

    for report in REPORTS:
        write_report(report, tmp_path / report.file)
        assert (tmp_path / report.file).read_bytes() == (FIXTURES / report.file).read_bytes()
