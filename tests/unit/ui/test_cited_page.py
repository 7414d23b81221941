"""The cited page of a PDF, rendered with the quoted cell highlighted in its place."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from ui.cited_page import SCALE, page_figure, page_picture, quote_boxes

REPORT = Path(__file__).resolve().parents[2] / "fixtures" / "pdf_reports"
NORDIC = REPORT / "nordic-ev-outlook-2024.pdf"
CELL = "Battery-electric car registrations by country (units) — Norway, 2023: 104,600."


def word_box(text: str, row: str | None = None) -> tuple[float, float, float, float]:
    import pdfplumber

    with pdfplumber.open(NORDIC) as pdf:
        words = pdf.pages[0].extract_words()
    tops = {round(w["top"]) for w in words if w["text"] == row} if row else None
    (w,) = [w for w in words if w["text"] == text and (tops is None or round(w["top"]) in tops)]
    return (w["x0"], w["top"], w["x1"], w["bottom"])


def yellowish(picture: Image.Image, box: tuple[float, float, float, float]) -> float:
    """The share of the box's pixels that the highlight tints (red and green high, blue low)."""
    x0, top, x1, bottom = (int(v * SCALE) for v in box)
    pixels = [picture.getpixel((x, y)) for x in range(x0, x1) for y in range(top, bottom)]
    return sum(1 for r, g, b in pixels if r > 200 and g > 180 and b < 170) / len(pixels)


def test_a_cell_quote_marks_the_cell_its_row_and_column() -> None:
    marked = {(round(b.x0), round(b.top)) for b in quote_boxes(NORDIC, 1, CELL)}
    for text, row in (("104,600", "Norway"), ("Norway", "113,800"), ("2023", "Country")):
        x0, top, _, _ = word_box(text, row)
        assert (round(x0), round(top)) in marked, text
    x0, top, _, _ = word_box("138,300")
    assert (round(x0), round(top)) not in marked  # the next column's cell is not


def test_the_picture_shows_the_highlight_on_the_cell_only() -> None:
    picture = Image.open(io.BytesIO(page_picture(NORDIC, 1, CELL))).convert("RGB")
    assert yellowish(picture, word_box("104,600", "Norway")) > 0.5
    assert yellowish(picture, word_box("112,400")) < 0.05  # Sweden's 2023 cell


def test_a_prose_quote_is_found_across_its_line_breaks() -> None:
    quote = (
        "Electric cars kept gaining ground across the Nordic countries in 2023, although "
        "registrations in Norway fell for the first time in a decade"
    )
    boxes = quote_boxes(NORDIC, 1, quote)
    assert len(boxes) == len(quote.split())
    assert len({round(b.top) for b in boxes}) == 2  # two lines of the page


def test_the_figure_is_inline_and_names_the_page() -> None:
    html = page_figure(NORDIC, 2, "Finland, Points per 1,000 EVs: 118.", "Nordic <Outlook>")
    assert html.startswith('<figure class="cited-page" data-page="2" data-marked="')
    # the header, then the row's label and cell; not "Finland" in the prose above the table
    assert 'data-marked="Points per 1,000 EVs Finland 118"' in html
    assert 'src="data:image/jpeg;base64,' in html
    assert "Page 2 of Nordic &lt;Outlook&gt;" in html


def test_a_page_beyond_the_document_has_no_boxes() -> None:
    assert quote_boxes(NORDIC, 9, CELL) == []
