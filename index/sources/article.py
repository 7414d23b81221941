"""An article page's main text and metadata (trafilatura), and a feed entry's own text.

Pages are decoded by the charset their server names, else the one their ``<meta>`` names,
else as trafilatura guesses (UTF-8 first): trafilatura alone ignores both declarations and
guesses, which turns a declared windows-1252 page's quotes and accents into the wrong
letters. Every text goes through ``clean_text``, the canonical form chunk offsets refer to.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

from index.ingest.text_clean import clean_text, normalise_date

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)


@dataclass(frozen=True)
class Article:
    """The extracted text of a page with the metadata the page gives."""

    text: str
    title: str | None = None
    published_at: str | None = None
    sitename: str | None = None


def decode_page(body: bytes, charset: str | None) -> str | bytes:
    """The page as text when its charset is declared (header first, then ``<meta>``),
    else the bytes for trafilatura to decode."""
    declared = charset
    if not declared:
        match = _META_CHARSET.search(body[:4096])
        declared = match.group(1).decode("ascii") if match else None
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            return body
        if codec in ("iso8859-1", "ascii"):
            codec = "cp1252"  # what browsers do: the HTML standard maps both to windows-1252
        return body.decode(codec, errors="replace")
    return body


def extract_article(body: bytes, charset: str | None = None) -> Article | None:
    """The page's main text and metadata, or None when it has no readable text."""
    import trafilatura

    page = decode_page(body, charset)
    # Precision over recall: a news page's menus and teasers must not become the article.
    result: Any = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, favor_precision=True
    )
    if result is None or not (result.text or "").strip():
        return None
    # trafilatura puts one block per line; a blank line between blocks marks paragraphs.
    text = clean_text("\n\n".join(line for line in result.text.split("\n") if line.strip()))
    if not text:
        return None
    return Article(
        text=text,
        title=" ".join((result.title or "").split()) or None,
        published_at=normalise_date(result.date),
        sitename=result.sitename or None,
    )


def entry_text(entry: Any) -> str:
    """A feed entry's own text: its full content if given, else its summary (HTML or not)."""
    candidates: list[str] = [c.get("value", "") for c in entry.get("content") or []]
    candidates.append(entry.get("summary") or "")
    best = max(candidates, key=len)
    return html_to_text(best) if best.strip() else ""


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, one paragraph per block, cleaned."""
    import lxml.html

    if "<" not in markup:
        return clean_text(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml's parser errors are many; plain text is the fallback
        return clean_text(re.sub(r"<[^>]*>", " ", markup))
    for block in root.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    text = root.text_content()
    return clean_text("\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip()))
