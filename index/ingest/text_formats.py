"""Loading the plain-text formats: ``.txt``, Markdown (``.md``, ``.markdown``) and HTML
(``.html``, ``.htm``), each file becoming one ``LoadedDocument``. Titles, dates, sources and
URLs come from a leading ``Date:`` line, YAML front matter or HTML metadata, with the first
line or heading, and a date in the file name, as fallbacks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from index.ingest.source import LoadError, SourceFile, decode_file, make_document, short_first_line
from index.ingest.tables import markdown_tables
from index.ingest.text_clean import clean_text, decode_bytes, normalise_date
from index.types import LoadedDocument

_DATE_HEADER = re.compile(r"\Adate:?[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|\n+|\Z)", re.IGNORECASE)
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
    """Load a plain-text file; a leading ``Date: YYYY-MM-DD`` line becomes its date."""
    text = clean_text(decode_file(source))
    published = None
    header = _DATE_HEADER.match(text)
    if header and normalise_date(header.group(1)):
        published, text = normalise_date(header.group(1)), text[header.end() :]
    yield from make_document(
        source,
        text,
        short_first_line(text),
        published_at=published or normalise_date(source.path.stem),
    )


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
    title = meta.get("title") or (heading.group(1) if heading else None)
    date = meta.get("date") or meta.get("published_at") or meta.get("published")
    url = meta.get("url") or meta.get("link")
    known = {"title", "date", "published_at", "published", "url", "link", "source"}
    extra = {k: v for k, v in meta.items() if k not in known and isinstance(v, str)}
    yield from make_document(
        source,
        text,
        str(title) if title else None,
        source=str(meta.get("source") or ""),
        published_at=normalise_date(date) or normalise_date(source.path.stem),
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
    yield from make_document(
        source,
        text,
        getattr(result, "title", None),
        source=getattr(result, "sitename", None) or getattr(result, "hostname", None) or "",
        published_at=normalise_date(getattr(result, "date", None)),
        url=getattr(result, "url", None) or None,
        tables=tables,
    )


def _strip_tags(markup: str) -> str:
    """Visible text of HTML by regular expressions, for markup lxml gives up on (deep nesting)."""
    markup = _INVISIBLE_HTML.sub(" ", markup)
    markup = _BLOCK_TAG.sub("\n", markup)
    text = html.unescape(_ANY_TAG.sub("", markup))
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))
