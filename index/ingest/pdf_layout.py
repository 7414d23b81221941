"""A PDF's pages as paragraphs and tables, read with pdfplumber from the characters' positions.

* **Tables**: ruled tables are found by pdfplumber's line strategy; a table drawn with
  horizontal rules only (header rule and bottom rule, no column lines) is cut into columns
  where every row of it leaves the same gap. Each becomes an ``index.ingest.tables.Table``
  with the line just above it as its caption (when close above), else the heading above.
* **Running headers and footers**: a line in the top or bottom margin of a page that recurs
  (numbers aside) in the margins of other pages is dropped, and so is a bare page number
  ("Page 3 of 12", "- 4 -") in a margin.
* **Broken lines**: the lines of a paragraph are joined with a space; a line-end hyphen
  between two lower-case word parts is dropped ("manufac-" + "turer"), unless the
  hyphenated form occurs elsewhere in the document ("battery-" + "electric"). A paragraph
  ends at a gap wider than half a line or at a change of font size or weight.

The joined text is the document text itself, so the quotes cited from it are what is shown.
Hand-written on pdfplumber's lines and table finder: no maintained library joins a PDF's
lines into paragraphs or drops its running headers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from index.ingest.tables import Table, make_table

MARGIN_SHARE = 0.09  # the top and bottom 9% of a page hold its running header and footer
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?[-–—\s]*$", re.I)
_DIGITS = re.compile(r"\d+")
_HYPHEN_END = re.compile(r"([A-Za-z]*[a-z])-$")
_LOWER_START = re.compile(r"^([a-z][a-z]*)")
_HYPHENATED = re.compile(r"[A-Za-z]+-[A-Za-z]+")
_COLUMN_GAP = 6.0  # points of white space that separate two columns of a rules-only table


@dataclass(frozen=True)
class Line:
    """One text line of a page: its text, vertical place, and font size and weight."""

    text: str
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True)
class PlacedTable:
    """A table found on a page and the top of its box."""

    table: Table
    top: float


@dataclass(frozen=True)
class PageLayout:
    """A page's lines and tables (in reading order by their top) and its height."""

    number: int
    height: float
    items: tuple[Line | PlacedTable, ...]


def read_pages(pdf: Any, numbers: Iterable[int]) -> list[PageLayout]:
    """The layout of the pages ``numbers`` (1-based) of an open ``pdfplumber.PDF``."""
    layouts = []
    for number in numbers:
        page = pdf.pages[number - 1]
        layouts.append(_page_layout(page, number))
        page.close()  # frees pdfplumber's per-page caches
    return layouts


def _page_layout(page: Any, number: int) -> PageLayout:
    boxes: list[tuple[tuple[float, float, float, float], list[list[str | None]]]] = []
    for found in page.find_tables():
        boxes.append((found.bbox, found.extract()))
    boxes += _rules_only_tables(page, [box for box, _ in boxes])
    inside = [box for box, _ in boxes]
    rest = page.filter(lambda obj: not any(_within(obj, box) for box in inside))
    lines = [_line(raw) for raw in rest.extract_text_lines(return_chars=True)]
    placed: list[Line | PlacedTable] = [ln for ln in lines if ln.text]
    for box, grid in boxes:
        table = make_table("", grid, number)
        if table is not None:
            placed.append(PlacedTable(table, float(box[1])))
    placed.sort(key=lambda item: item.top)
    return PageLayout(number, float(page.height), tuple(placed))


def _within(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    mid_x = (obj["x0"] + obj["x1"]) / 2
    mid_y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= mid_x <= box[2] and box[1] <= mid_y <= box[3]


def _line(raw: dict[str, Any]) -> Line:
    chars = raw.get("chars") or []
    size = max((c.get("size", 0.0) for c in chars), default=0.0)
    bold = bool(chars) and all("bold" in str(c.get("fontname", "")).lower() for c in chars)
    text = " ".join(str(raw.get("text", "")).split())
    return Line(text, float(raw["top"]), float(raw["bottom"]), round(size, 1), bold)


def _rules_only_tables(
    page: Any, taken: Sequence[tuple[float, float, float, float]]
) -> list[tuple[tuple[float, float, float, float], list[list[str | None]]]]:
    """Tables drawn with two or more horizontal rules of one width and no column lines:
    their columns are the x ranges that the words of every row leave empty."""
    rules: dict[tuple[int, int], list[float]] = {}
    for edge in page.horizontal_edges:
        if edge["x1"] - edge["x0"] > 40:
            rules.setdefault((round(edge["x0"]), round(edge["x1"])), []).append(edge["top"])
    found = []
    for (x0, x1), tops in rules.items():
        if len(tops) < 2:
            continue
        box = (x0 - 1.0, min(tops) - 1.0, x1 + 1.0, max(tops) + 1.0)
        if any(_overlaps(box, other) for other in taken):
            continue
        grid = _grid_by_gaps(page.crop(box))
        if grid:
            found.append((box, grid))
    return found


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grid_by_gaps(region: Any) -> list[list[str | None]]:
    words = region.extract_words(keep_blank_chars=False, use_text_flow=False)
    if not words:
        return []
    lo, hi = min(w["x0"] for w in words), max(w["x1"] for w in words)
    covered = sorted((w["x0"], w["x1"]) for w in words)
    cuts, reach = [], covered[0][1]
    for x0, x1 in covered[1:]:
        if x0 - reach >= _COLUMN_GAP:
            cuts.append((reach + x0) / 2)
        reach = max(reach, x1)
    if not cuts:
        return []
    edges = [lo - 1, *cuts, hi + 1]
    rows: dict[int, list[list[str]]] = {}
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        column = next(i for i in range(len(edges) - 1) if w["x0"] < edges[i + 1])
        empty: list[list[str]] = [[] for _ in edges[1:]]
        rows.setdefault(round(w["top"]), empty)[column].append(w["text"])
    return [[" ".join(cell) for cell in row] for _, row in sorted(rows.items())]


def drop_running_lines(pages: Sequence[PageLayout]) -> list[PageLayout]:
    """The pages without their running headers and footers (see the module docstring)."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_shape(ln.text) for ln in _margin_lines(page)})
    recurring = {shape for shape, n in seen.items() if n >= 2}
    out = []
    for page in pages:
        margin = {id(ln) for ln in _margin_lines(page)}
        kept = tuple(
            item
            for item in page.items
            if not (
                id(item) in margin
                and isinstance(item, Line)
                and (_shape(item.text) in recurring or _PAGE_NUMBER.match(item.text))
            )
        )
        out.append(PageLayout(page.number, page.height, kept))
    return out


def _margin_lines(page: PageLayout) -> list[Line]:
    edge = page.height * MARGIN_SHARE
    return [
        item
        for item in page.items
        if isinstance(item, Line) and (item.bottom <= edge or item.top >= page.height - edge)
    ]


def _shape(text: str) -> str:
    return _DIGITS.sub("#", text.casefold())


def page_blocks(page: PageLayout, hyphenated: frozenset[str]) -> list[str | Table]:
    """The page as paragraphs (lines joined) and tables (captioned), in reading order.

    ``hyphenated``: the hyphenated words of the whole document (``hyphenated_words``),
    whose line-end hyphens are kept.
    """
    blocks: list[str | Table] = []
    paragraph: list[Line] = []
    heading = ""
    for item in page.items:
        if isinstance(item, PlacedTable):
            caption = _caption(paragraph, item)
            if caption:
                paragraph.pop()
            if paragraph:
                blocks.append(join_lines([ln.text for ln in paragraph], hyphenated))
            paragraph = []
            t = item.table
            context = "" if caption else heading
            blocks.append(Table(caption, t.header, t.rows, t.page, heading=context))
            continue
        if paragraph and _breaks(paragraph[-1], item):
            if len(paragraph) == 1 and (paragraph[0].bold or paragraph[0].size > item.size):
                heading = paragraph[0].text
            blocks.append(join_lines([ln.text for ln in paragraph], hyphenated))
            paragraph = []
        paragraph.append(item)
    if paragraph:
        blocks.append(join_lines([ln.text for ln in paragraph], hyphenated))
    return blocks


def _caption(paragraph: Sequence[Line], table: PlacedTable) -> str:
    """The last line above ``table`` when it stands alone just above it (within two line
    heights) and is short: the table's caption."""
    if not paragraph:
        return ""
    last = paragraph[-1]
    close = table.top - last.bottom <= 2 * (last.bottom - last.top)
    alone = len(paragraph) == 1 or _breaks(paragraph[-2], last)
    return last.text if close and alone and len(last.text) <= 150 else ""


def _breaks(previous: Line, line: Line) -> bool:
    height = max(previous.bottom - previous.top, 1.0)
    return (
        line.top - previous.bottom > 0.5 * height
        or abs(line.size - previous.size) > 0.5
        or line.bold != previous.bold
    )


def join_lines(lines: Sequence[str], hyphenated: frozenset[str]) -> str:
    """The lines of one paragraph as one line (see the module docstring on hyphens)."""
    text = ""
    for line in lines:
        if not text:
            text = line
            continue
        end, start = _HYPHEN_END.search(text), _LOWER_START.match(line)
        if end and start and f"{end.group(1)}-{start.group(1)}".casefold() not in hyphenated:
            text = text[:-1] + line
        else:
            text = f"{text}{'' if text.endswith('-') and start else ' '}{line}"
    return text


def hyphenated_words(pages: Sequence[PageLayout]) -> frozenset[str]:
    """Every hyphenated word written whole on a line of ``pages`` ("battery-electric")."""
    words: set[str] = set()
    for page in pages:
        for item in page.items:
            if isinstance(item, Line):
                words.update(m.casefold() for m in _HYPHENATED.findall(item.text))
    return frozenset(words)
