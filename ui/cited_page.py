"""The cited page of a PDF as a picture, the quoted words highlighted on it.

``page_figure`` renders one page with pypdfium2 and marks the words of the quote with
translucent boxes placed from pdfplumber's word boxes; the picture goes into the sources
panel as a ``data:`` URI, so no file is served at all. Which file may be rendered is the
caller's question: ``Assistant.document_file`` gives only files inside the collection's
uploads folder.

Quotes are slices of the stored text, in which lines are joined and a table cell is
written as "subject — row, column: value." (``index.ingest.tables``), so the quote is not a
run of the page's words: the words are matched in order (``difflib.SequenceMatcher`` on
case-folded words), which finds a prose sentence across its line breaks and, for a table
cell, the caption, the column header, the row label and the cell in their places.
"""

from __future__ import annotations

import base64
import difflib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from assistant import Assistant, Citation

_WORD = re.compile(r"[\w$€£%.,/()'’-]+")
_EDGE = ".,;:()'’"
SCALE = 1.5  # pixels per PDF point: readable in the panel, small as JPEG


@dataclass(frozen=True)
class Box:
    """A highlighted word: its box on the page in PDF points (top-left origin)."""

    x0: float
    top: float
    x1: float
    bottom: float


def _key(word: str) -> str:
    return word.strip(_EDGE).casefold()


def quote_boxes(path: Path, page: int, quote: str) -> list[Box]:
    """The boxes of the page's words that the quote's words match, in order."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        if not 1 <= page <= len(pdf.pages):
            return []
        words = pdf.pages[page - 1].extract_words()
    wanted = [_key(w) for w in _WORD.findall(quote) if _key(w)]
    have = [_key(w["text"]) for w in words]
    matcher = difflib.SequenceMatcher(a=have, b=wanted, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    # A lone word matched above the first run of two or more words is a stray hit on a
    # common word (a row label also named in the prose above its table): left out.
    first_run = min((b.a for b in blocks if b.size >= 2), default=0)
    hit: set[int] = set()
    for block in blocks:
        if block.size >= 2 or block.a >= first_run:
            hit.update(range(block.a, block.a + block.size))
    # A table cell's quote names its row before its column; the page has the column header
    # first. A quote word left unmatched still counts on a line that holds a matched word.
    lines = {round(words[i]["top"]) for i in hit}
    missing = set(wanted) - {have[i] for i in hit}
    hit.update(i for i, k in enumerate(have) if k in missing and round(words[i]["top"]) in lines)
    return [
        Box(words[i]["x0"], words[i]["top"], words[i]["x1"], words[i]["bottom"])
        for i in sorted(hit)
    ]


def page_picture(path: Path, page: int, quote: str) -> bytes:
    """The page as a JPEG with the quote's words highlighted in yellow."""
    import pypdfium2
    from PIL import Image, ImageDraw

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        picture = pdf[page - 1].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()
    layer = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for box in quote_boxes(path, page, quote):
        draw.rectangle(
            [box.x0 * SCALE - 1, box.top * SCALE - 1, box.x1 * SCALE + 1, box.bottom * SCALE + 1],
            fill=(255, 221, 0, 110),
        )
    picture = Image.alpha_composite(picture.convert("RGBA"), layer).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=80)
    return out.getvalue()


def page_figure(path: Path, page: int, quote: str, title: str) -> str:
    """The sources panel's figure of the cited page (HTML, the picture inline);
    ``data-marked`` lists the highlighted words, for tests and assistive tools."""
    data = base64.b64encode(page_picture(path, page, quote)).decode("ascii")
    label = f"Page {page} of {title}, the quoted words highlighted"
    marked = " ".join(_marked_words(path, page, quote))
    return (
        f'<figure class="cited-page" data-page="{page}" data-marked="{escape(marked)}">'
        f'<img src="data:image/jpeg;base64,{data}" alt="{escape(label)}">'
        f"<figcaption>{escape(label)}</figcaption></figure>"
    )


def _marked_words(path: Path, page: int, quote: str) -> list[str]:
    import pdfplumber

    boxes = {(round(b.x0), round(b.top)) for b in quote_boxes(path, page, quote)}
    with pdfplumber.open(path) as pdf:
        words = pdf.pages[page - 1].extract_words()
    return [w["text"] for w in words if (round(w["x0"]), round(w["top"])) in boxes]


def viewer(bot: Assistant) -> Callable[[Citation], str]:
    """What the sources panel shows of a citation's page: the figure for a cited PDF
    page of a file in the collection's uploads (``Assistant.document_file``), else ""."""

    def view(c: Citation) -> str:
        if c.page is None or not c.doc_id.lower().endswith(".pdf"):
            return ""
        path = bot.document_file(c.doc_id)
        if path is None:
            return ""
        return _cached_figure(path, path.stat().st_mtime_ns, c.page, c.quote, c.title)

    return view


@lru_cache(maxsize=64)
def _cached_figure(path: Path, mtime_ns: int, page: int, quote: str, title: str) -> str:
    # The panel is rebuilt for every turn of the conversation: each page is drawn once.
    try:
        return page_figure(path, page, quote, title)
    except Exception:  # a page that cannot be drawn leaves the quote as it is shown
        return ""
