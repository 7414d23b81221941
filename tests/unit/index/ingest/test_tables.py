"""Tables of Word files and HTML pages are written like PDF tables: a line per cell."""

from __future__ import annotations

from pathlib import Path

from index.ingest.loaders import SourceFile, load
from index.ingest.tables import make_table, render_table
from index.types import LoadedDocument


def load_one(path: Path) -> LoadedDocument:
    (doc,) = list(load(SourceFile(path, path.name, path.stat().st_size), 2**26))
    assert isinstance(doc, LoadedDocument)
    return doc


def test_a_cell_is_written_with_its_subject_row_and_column() -> None:
    table = make_table("Table 4: EV sales", [["Country", "2023"], ["Norway", "104,000"]])
    assert table is not None
    assert render_table(table) == "Table 4: EV sales\nEV sales — Norway, 2023: 104,000."


def test_a_table_without_row_labels_is_written_a_row_per_line() -> None:
    table = make_table("", [["2022", "2023"], ["79,000", "104,000"]])
    assert table is not None
    assert render_table(table) == "2022: 79,000; 2023: 104,000"


def test_a_header_without_body_is_no_table() -> None:
    assert make_table("x", [["Site", "Chargers"]]) is None


def test_docx_table_rows_become_cell_lines_under_the_paragraph_above(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Chargers installed per site")
    table = document.add_table(rows=3, cols=2)
    for r, (site, count) in enumerate([("Site", "Chargers"), ("Oslo", "40"), ("Bergen", "12")]):
        table.rows[r].cells[0].text, table.rows[r].cells[1].text = site, count
    document.save(str(tmp_path / "sites.docx"))
    doc = load_one(tmp_path / "sites.docx")
    assert "Chargers installed per site — Bergen, Chargers: 12." in doc.text
    (span,) = doc.tables
    assert span.caption == "Chargers installed per site"
    assert doc.text[span.start : span.end].endswith("Bergen, Chargers: 12.")


def test_html_table_caption_and_cells(tmp_path: Path) -> None:
    (tmp_path / "sales.html").write_text(
        "<html><head><title>Sales</title></head><body><article><h1>EV sales in Europe</h1>"
        "<p>The association published its yearly figures on Monday, showing growth in most "
        "markets of the region and a fall in Norway after a tax change.</p>"
        "<table><caption>Table 1: EV sales by country</caption>"
        "<tr><th>Country</th><th>2022</th><th>2023</th></tr>"
        "<tr><td>Norway</td><td>79,000</td><td>104,000</td></tr>"
        "<tr><td>Sweden</td><td>95,000</td><td>112,000</td></tr></table>"
        "<p>Analysts expect the market to keep growing next year in every country.</p>"
        "</article></body></html>"
    )
    doc = load_one(tmp_path / "sales.html")
    assert "EV sales by country — Norway, 2023: 104,000." in doc.text
    assert "| Norway |" not in doc.text
    (span,) = doc.tables
    assert span.caption == "Table 1: EV sales by country"
