"""Loading the binary office formats: PDF (with pypdf) and Word ``.docx`` (with python-docx),
each file becoming one ``LoadedDocument``. PDF text keeps a ``PageSpan`` per page so chunks
can cite page numbers; encrypted, damaged or scanned (text-less) files raise ``LoadError``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from index.ingest.source import LoadError, SourceFile, make_document
from index.ingest.text_clean import clean_text, normalise_date
from index.types import LoadedDocument, PageSpan

# python-docx's blank template carries this creation time; it says nothing about the file.
_DOCX_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)


def load_pdf(source: SourceFile) -> Iterator[LoadedDocument]:
    """Load a PDF's text layer page by page; title and date come from its metadata."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(source.path.read_bytes()))
        if reader.is_encrypted and not _pdf_decrypts(reader):
            raise LoadError("the PDF is encrypted")
        pages = list(reader.pages)
    except LoadError:
        raise
    except Exception:
        raise LoadError("the PDF is damaged or truncated") from None
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    for number, page in enumerate(pages, 1):
        try:
            page_text = clean_text(page.extract_text() or "")
        except Exception:  # one unreadable page should not lose the others
            page_text = ""
        if page_text:
            start = offset + (2 if parts else 0)
            parts.append(page_text)
            spans.append(PageSpan(page=number, start=start, end=start + len(page_text)))
            offset = start + len(page_text)
    if not parts:
        raise LoadError("the PDF has no text layer (scanned?); OCR is not supported")
    title, created = None, None
    try:
        if reader.metadata is not None:
            title = reader.metadata.title
            title = str(title).removeprefix("Microsoft Word - ") if title else None
            created = normalise_date(reader.metadata.creation_date)
    except Exception:  # malformed metadata is not worth failing the file for
        pass
    text = "\n\n".join(parts)
    yield from make_document(source, text, title, published_at=created, pages=tuple(spans))


def _pdf_decrypts(reader: Any) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. AES without the optional crypto dependency
        return False


def load_docx(source: SourceFile) -> Iterator[LoadedDocument]:
    """Load a Word file's paragraphs and tables; title and date come from core properties."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(source.path))
    except Exception:
        raise LoadError("the Word file is damaged or is not a .docx file") from None
    blocks: list[str] = []
    heading: str | None = None
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.append("\n".join(_docx_row(row.cells) for row in item.rows))
            continue
        style = getattr(item.style, "name", "") or ""
        if heading is None and item.text.strip() and style.startswith(("Heading", "Title")):
            heading = item.text.strip()
        blocks.append(item.text)
    props = document.core_properties
    created = props.created if props.created != _DOCX_TEMPLATE_CREATED else None
    yield from make_document(
        source,
        "\n\n".join(block for block in blocks if block.strip()),
        (props.title or "").strip() or heading,
        published_at=normalise_date(created),
    )


def _docx_row(cells: Sequence[Any]) -> str:
    texts: list[str] = []
    previous = None
    for cell in cells:
        if cell._tc is not previous:  # a merged cell is listed once per grid column
            texts.append(" ".join(cell.text.split()))
        previous = cell._tc
    return " | ".join(texts)
