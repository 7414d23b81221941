"""Tables as text that keeps their structure: one line per cell, named by its row and column.

A table found in a PDF, a Word file or an HTML page becomes a ``Table`` (caption, header
row, body rows) and is written into the document text by ``render_table`` as its caption
followed by one sentence per non-empty body cell, naming what the table is about (the
caption without its "Table 1:" label), the row and the column::

    Table 1: Battery-electric car registrations by country (units)
    Battery-electric car registrations by country (units) — Norway, 2023: 104,600.

so that a row-level fact is one self-contained sentence: retrieval finds the row and
column by their names, an answer quotes the cell together with its headers, verbatim, and
the claim check reads the cell as a stated fact of its own sentence. The subject is
repeated on purpose: with the bare "Norway — 2023: 104,600" the caption line outscored
the cell for the extractive answerer (table-question accuracy 0.50 against 0.75 with the
subject; ``benchmarks/pdf_tables.py``), and the closing period keeps a long cell line from
being read as a wrapped line of the next one. A table without a row label column (its
first cell is empty or a number) is written one line per row: ``2023: 104,600; 2024: ...``.

Hand-written: the libraries find tables (pdfplumber, python-docx, trafilatura) but none
writes them out as self-contained sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.ingest.text_clean import clean_field
from index.types import TableSpan

ROW_SEPARATOR = " — "
_NUMBERISH = re.compile(r"^[\s$€£¥%+\-–.,:/()0-9]*$")
_LABEL = re.compile(r"^(?:table|tab\.|exhibit|figure|fig\.)\s*[\w.-]*\s*[:.—–-]\s*", re.I)
_MARKDOWN_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$")


@dataclass(frozen=True)
class Table:
    """A table's caption (written above its cells; may be empty), its header row, its body
    rows, its page, and ``heading``: the text above it that names it when it has no caption
    of its own (already in the document text, so not written again)."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    page: int | None = None
    heading: str = ""


def make_table(
    caption: str, grid: Sequence[Sequence[str | None]], page: int | None = None
) -> Table | None:
    """A ``Table`` from a grid of cell texts whose first row is the header, or None when
    the grid is no table (fewer than two columns or no body row with a value)."""
    cells = [tuple(clean_field(c or "") for c in row) for row in grid]
    cells = [row for row in cells if any(row)]
    width = max((len(row) for row in cells), default=0)
    cells = [row + ("",) * (width - len(row)) for row in cells]
    if width < 2 or len(cells) < 2:
        return None
    return Table(clean_field(caption), cells[0], tuple(cells[1:]), page)


def render_table(table: Table) -> str:
    """The table as document text: the caption line, then its cells (module docstring)."""
    labelled = any(row[0] and not _NUMBERISH.match(row[0]) for row in table.rows)
    lines = [table.caption] if table.caption else []
    subject = _LABEL.sub("", table.caption or table.heading).strip()
    for row in table.rows:
        if labelled:
            lines += _cell_lines(subject, table.header, row)
        else:
            cells = [_named(h, v) for h, v in zip(table.header, row, strict=True) if v]
            if cells:
                lines.append("; ".join(cells))
    return "\n".join(lines)


def _cell_lines(subject: str, header: tuple[str, ...], row: tuple[str, ...]) -> list[str]:
    lead = f"{subject}{ROW_SEPARATOR}" if subject else ""
    label = f"{row[0]}, " if row[0] else ""
    return [
        f"{lead}{label}{_named(column, value)}."
        for column, value in zip(header[1:], row[1:], strict=True)
        if value
    ]


def _named(column: str, value: str) -> str:
    return f"{column}: {value}" if column else value


def markdown_tables(text: str) -> tuple[list[str], list[Table]]:
    """The lines of ``text`` with each pipe table trafilatura writes (``| a | b |`` lines,
    ``|---|`` rules) replaced by one item, its ``render_table`` form; and the tables found.
    A first row with one filled cell is the table's caption (trafilatura's rendering of
    ``<caption>``), else the line before the table serves when it is short (a heading)."""
    out: list[str] = []
    found: list[Table] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("|"):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].lstrip().startswith("|"):
            j += 1
        grid = [_pipe_cells(line) for line in lines[i:j] if not _MARKDOWN_RULE.match(line.strip())]
        caption = ""
        if grid and sum(1 for c in grid[0] if c) == 1 and len(grid) > 2:
            caption = next(c for c in grid[0] if c)
            grid = grid[1:]
        elif out and 0 < len(out[-1].strip()) <= 120:
            caption = out[-1].strip()
        table = make_table(caption, grid)
        if table is None:
            out += lines[i:j]
        else:
            found.append(table)
            if out and caption == out[-1].strip():  # the heading already stands above it
                table = Table("", table.header, table.rows, None, heading=caption)
            found.append(table)
            out.append(render_table(table))
        i = j
    return out, found


def locate_tables(text: str, tables: Sequence[Table]) -> tuple[TableSpan, ...]:
    """Where each table's rendering stands in ``text`` (the cleaned document text), in
    order; a table whose rendering is not found (cleaning changed it) gets no span."""
    spans: list[TableSpan] = []
    cursor = 0
    for table in tables:
        block = render_table(table)
        start = text.find(block, cursor) if block else -1
        if start < 0:
            continue
        cursor = start + len(block)
        spans.append(TableSpan(start, cursor, table.caption or table.heading, table.page))
    return tuple(spans)


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in inner.split("|")]
