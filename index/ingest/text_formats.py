"""Loading the plain-text formats: ``.txt``, Markdown (``.md``, ``.markdown``) and HTML
(``.html``, ``.htm``), each file becoming one ``LoadedDocument``. Titles, dates, sources and
URLs come from YAML front matter, HTML metadata or the head of the article (a title line, a
``Published …`` or ``Date:`` line, a dateline or byline: ``index.ingest.news_header``), with
the first line or heading, and a date in the file name, as fallbacks; ``date_from`` says
which one gave the date. Markdown is stored as plain text (``index.ingest.markdown_text``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from index.ingest.markdown_text import markdown_line, markdown_text
from index.ingest.news_header import read_header
from index.ingest.source import LoadError, SourceFile, decode_file, make_document, short_first_line
from index.ingest.tables import markdown_tables
from index.ingest.text_clean import clean_text, decode_bytes, normalise_date
from index.types import LoadedDocument

# The seed corpus's form: "date 2024-03-20 Makers plan …", the date opening the first line.
_DATE_PREFIX = re.compile(r"\Adate:?[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|\n+|\Z)", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_INVISIBLE_HTML = re.compile(
    r"<(script|style|noscript|template|head)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|header|footer|blockquote|pre)"
    r"\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")


def load_txt(source: SourceFile) -> Iterator[LoadedDocument]:
    """Load a plain-text file; the head of the article gives its title, source and date
    (:func:`index.ingest.news_header.read_header`), the file name a fallback date."""
    text = clean_text(decode_file(source))
    prefix = _DATE_PREFIX.match(text)
    dated = normalise_date(prefix.group(1)) if prefix else None
    if prefix and dated:
        text = text[prefix.end() :]
    head = read_header(text)
    published, date_from = (
        (dated, "'Date' line")
        if dated
        else _date_or_file_name(head.published_at, head.date_from, source)
    )
    yield from make_document(
        source,
        head.text,
        head.title or short_first_line(head.text),
        source=head.source,
        published_at=published,
        date_from=date_from,
    )


def _date_or_file_name(
    date: str | None, date_from: str | None, source: SourceFile
) -> tuple[str | None, str | None]:
    if date:
        return date, date_from
    from_name = normalise_date(source.path.stem)
    return from_name, ("file name" if from_name else None)


def load_markdown(source: SourceFile) -> Iterator[LoadedDocument]:
    """Load a Markdown file; YAML front matter gives its metadata, else the first heading."""
    text = clean_text(decode_file(source))
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        import yaml

        try:
            parsed = yaml.safe_load(match.group(1) or "") or {}
        except yaml.YAMLError:
            parsed = None
        if isinstance(parsed, dict):
            meta, text = {str(k).lower(): v for k, v in parsed.items()}, text[match.end() :]
    heading = _MD_HEADING.search(text)
    head = read_header(markdown_text(text))
    title = meta.get("title") or (markdown_line(heading.group(1)) if heading else head.title)
    date = normalise_date(meta.get("date") or meta.get("published_at") or meta.get("published"))
    published, date_from = (
        (date, "front matter")
        if date
        else _date_or_file_name(head.published_at, head.date_from, source)
    )
    url = meta.get("url") or meta.get("link")
    known = {"title", "date", "published_at", "published", "url", "link", "source"}
    extra = {k: v for k, v in meta.items() if k not in known and isinstance(v, str)}
    yield from make_document(
        source,
        head.text,
        str(title) if title else None,
        source=str(meta.get("source") or head.source or ""),
        published_at=published,
        date_from=date_from,
        url=str(url) if url else None,
        extra=extra,
    )


def load_html(source: SourceFile) -> Iterator[LoadedDocument]:
    """Load an HTML file's main text and metadata with trafilatura."""
    import trafilatura
    from trafilatura.metadata import extract_metadata

    data = source.path.read_bytes()
    result: Any = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    text = (result.text or "") if result is not None else ""
    if not text.strip():  # too short or too deep for trafilatura: take all visible text
        text = trafilatura.html2txt(data) or _strip_tags(decode_bytes(data, check_binary=False))
        tree = trafilatura.load_html(data)
        result = extract_metadata(tree) if tree is not None else None
    # trafilatura puts one block per line (a table: one line per row, which becomes one
    # block of cell lines); a blank line between blocks marks paragraphs.
    blocks, tables = markdown_tables(text)
    text = "\n\n".join(block for block in blocks if block.strip())
    if not clean_text(text):
        raise LoadError("no readable text found in the HTML")
    published = normalise_date(getattr(result, "date", None))
    yield from make_document(
        source,
        text,
        getattr(result, "title", None),
        source=getattr(result, "sitename", None) or getattr(result, "hostname", None) or "",
        published_at=published,
        date_from="HTML metadata" if published else None,
        url=getattr(result, "url", None) or None,
        tables=tables,
    )


def _strip_tags(markup: str) -> str:
    """Visible text of HTML by regular expressions, for markup lxml gives up on (deep nesting)."""
    markup = _INVISIBLE_HTML.sub(" ", markup)
    markup = _BLOCK_TAG.sub("\n", markup)
    text = html.unescape(_ANY_TAG.sub("", markup))
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))
