"""Loading the binary office formats: PDF (pypdf, with pdfplumber for the layout) and Word
``.docx`` (python-docx), each file becoming one ``LoadedDocument``. PDF text keeps a
``PageSpan`` per page so chunks can cite page numbers; tables of both formats are kept as
tables (``index.ingest.tables``); encrypted, damaged or scanned (text-less) files raise
``LoadError``.

Both formats are compressed, so a small file can expand enormously (a "zip bomb"): a
``.docx`` is refused when its zip directory declares more than ``max_unpacked_bytes`` in
total (Python's zipfile stops at the declared size, so a lying directory only makes the
file damaged), and pypdf is configured to stop decompressing any stream at that size.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from index.ingest.pdf_layout import (
    drop_running_lines,
    hyphenated_words,
    page_blocks,
    read_pages,
)
from index.ingest.source import LoadError, LoadLimits, SourceFile, make_document, megabytes
from index.ingest.tables import Table, make_table, render_table
from index.ingest.text_clean import clean_text, normalise_date
from index.types import LoadedDocument, PageSpan

# python-docx's blank template carries this creation time; it says nothing about the file.
_DOCX_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)
_DOCX_MAX_PARTS = 10_000  # a real document has dozens; thousands only make the loader slow


def load_pdf(source: SourceFile, limits: LoadLimits) -> Iterator[LoadedDocument]:
    """Load a PDF's text layer page by page, its tables as tables (``pdf_layout``); title,
    source (author) and date come from its metadata when it has them.

    pypdf opens the file (encryption, damage) and decompresses each page's content with no
    stream beyond ``limits.max_unpacked_bytes``; a PDF whose text could not be read
    because of that says so instead of passing for a scanned one. pdfplumber then reads
    the layout of the pages that passed; a page it fails on keeps pypdf's plain text.
    """
    import pypdf
    from pypdf.errors import LimitReachedError

    cap = limits.max_unpacked_bytes
    config = pypdf.get_configuration().with_overwrites(**dict.fromkeys(_PYPDF_OUTPUT_LIMITS, cap))
    data = source.path.read_bytes()
    with pypdf.apply_configuration(config):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not _pdf_decrypts(reader):
                raise LoadError("the PDF is encrypted")
            pages = list(reader.pages)
        except LoadError:
            raise
        except LimitReachedError as error:
            raise LoadError(_pdf_limit_reason(error, cap)) from None
        except Exception:
            raise LoadError("the PDF is damaged or truncated") from None
        readable, limit_error = _pdf_readable_pages(pages, LimitReachedError)
        texts, tables = _pdf_layout_texts(data, pages, readable)
        parts, spans = _pdf_spans(texts)
        if not parts and limit_error is not None:
            raise LoadError(_pdf_limit_reason(limit_error, cap))
        if not parts:
            raise LoadError("the PDF has no text layer (a scan?), and OCR is not available")
        # Built inside the configuration's scope; yielded outside it, so that the
        # context variable pypdf keeps it in is reset where it was set.
        documents = list(_pdf_document(source, reader, "\n\n".join(parts), spans, tables))
    yield from documents


# pypdf's per-stream output limits (pypdf.Configuration), all set to max_unpacked_bytes.
_PYPDF_OUTPUT_LIMITS = (
    "maximum_declared_stream_length",
    "array_based_stream_maximum_output_length",
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "brotli_maximum_output_length",
    "jbig2_maximum_output_length",
    "image_maximum_buffer_size",
)
# Metadata values that name no one: tools' defaults.
_PLACEHOLDERS = frozenset(
    {
        "untitled",
        "anonymous",
        "unknown",
        "unspecified",
        "(unspecified)",
        "user",
        "owner",
        "admin",
        "administrator",
        "author",
        "title",
        "none",
    }
)
_FILE_NAME = re.compile(r"\.(?:pdf|docx?|pptx?|xlsx?|indd|tex|txt|rtf|odt)$", re.I)


def _pdf_limit_reason(error: Exception, cap: int) -> str:
    detail = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
    return (
        f"the PDF's content expands beyond the {megabytes(cap)} limit on decompressed "
        f"data (EVCHAT_MAX_UNPACKED_MB; pypdf: {detail or type(error).__name__})"
    )


def _pdf_readable_pages(
    pages: Sequence[Any], limit_type: type[Exception]
) -> tuple[list[int], Exception | None]:
    """The numbers of the pages whose content decompresses within the limits, and a
    size-limit error if one hit (pypdf checks the limits; pdfplumber has none)."""
    readable: list[int] = []
    limit_error: Exception | None = None
    for number, page in enumerate(pages, 1):
        try:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
            readable.append(number)
        except limit_type as error:
            limit_error = error
        except Exception:  # one unreadable page should not lose the others
            continue
    return readable, limit_error


def _pdf_layout_texts(
    data: bytes, pages: Sequence[Any], readable: Sequence[int]
) -> tuple[dict[int, str], list[Table]]:
    """Each readable page's text (paragraphs joined, tables rendered, running headers and
    footers dropped) and the tables found; pypdf's plain text where pdfplumber fails."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            layouts = drop_running_lines(read_pages(pdf, readable))
    except Exception:  # pdfplumber cannot read what pypdf could: keep pypdf's text
        return {n: _pypdf_text(pages[n - 1]) for n in readable}, []
    hyphenated = hyphenated_words(layouts)
    texts: dict[int, str] = {}
    tables: list[Table] = []
    for layout in layouts:
        blocks = page_blocks(layout, hyphenated)
        rendered = [render_table(b) if isinstance(b, Table) else b for b in blocks]
        tables += [b for b in blocks if isinstance(b, Table)]
        texts[layout.number] = clean_text("\n\n".join(r for r in rendered if r.strip()))
    return texts, tables


def _pypdf_text(page: Any) -> str:
    try:
        return clean_text(page.extract_text() or "")
    except Exception:
        return ""


def _pdf_spans(texts: dict[int, str]) -> tuple[list[str], list[PageSpan]]:
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    for number, page_text in sorted(texts.items()):
        if page_text:
            start = offset + (2 if parts else 0)
            parts.append(page_text)
            spans.append(PageSpan(page=number, start=start, end=start + len(page_text)))
            offset = start + len(page_text)
    return parts, spans


def _pdf_document(
    source: SourceFile, reader: Any, text: str, spans: list[PageSpan], tables: list[Table]
) -> Iterator[LoadedDocument]:
    title = author = created = None
    try:
        meta = reader.metadata
        if meta is not None:
            title = _named(str(meta.title or "").removeprefix("Microsoft Word - "), source)
            author = _named(str(meta.author or ""), source)
            created = normalise_date(meta.creation_date)
    except Exception:  # malformed metadata is not worth failing the file for
        pass
    yield from make_document(
        source,
        text,
        title,
        source=author,
        published_at=created or normalise_date(source.path.stem),
        date_from="PDF metadata" if created else ("file name" if source.path.stem else None),
        pages=tuple(spans),
        tables=tables,
    )


def _named(value: str, source: SourceFile) -> str | None:
    """A metadata value that names something: not a tool's placeholder nor a file name."""
    value = " ".join(value.split())
    if not value or value.casefold() in _PLACEHOLDERS or _FILE_NAME.search(value):
        return None
    return None if value.casefold() == source.path.stem.casefold() else value


def _pdf_decrypts(reader: Any) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. AES without the optional crypto dependency
        return False


def check_docx_size(source: SourceFile, max_unpacked: int) -> None:
    """Refuse a ``.docx`` whose zip directory declares more than ``max_unpacked`` bytes
    (or an absurd number of parts), before anything is decompressed."""
    try:
        with zipfile.ZipFile(source.path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise LoadError("the Word file is damaged or is not a .docx file") from None
    total = sum(m.file_size for m in members)
    if total > max_unpacked:
        raise LoadError(
            f"the Word file expands to {megabytes(total)} when unpacked; the limit is "
            f"{megabytes(max_unpacked)} (EVCHAT_MAX_UNPACKED_MB)"
        )
    if len(members) > _DOCX_MAX_PARTS:
        reason = f"the Word file has {len(members):,} parts; at most {_DOCX_MAX_PARTS:,} are read"
        raise LoadError(reason)


def load_docx(source: SourceFile, limits: LoadLimits) -> Iterator[LoadedDocument]:
    """Load a Word file's paragraphs and tables; title and date come from core properties."""
    import docx
    from docx.table import Table as Table_

    check_docx_size(source, limits.max_unpacked_bytes)
    try:
        document = docx.Document(str(source.path))
    except Exception:
        raise LoadError("the Word file is damaged or is not a .docx file") from None
    blocks: list[str] = []
    tables: list[Table] = []
    heading: str | None = None
    for item in document.iter_inner_content():
        if isinstance(item, Table_):
            table = _docx_table(item, blocks[-1] if blocks else "")
            if table is not None:
                tables.append(table)
                blocks.append(render_table(table))
            else:
                blocks.append("\n".join(" | ".join(_docx_row(r.cells)) for r in item.rows))
            continue
        style = getattr(item.style, "name", "") or ""
        if heading is None and item.text.strip() and style.startswith(("Heading", "Title")):
            heading = item.text.strip()
        if item.text.strip():
            blocks.append(item.text)
    props = document.core_properties
    created = props.created if props.created != _DOCX_TEMPLATE_CREATED else None
    yield from make_document(
        source,
        "\n\n".join(blocks),
        (props.title or "").strip() or heading,
        published_at=normalise_date(created),
        date_from="document properties",
        tables=tables,
    )


def _docx_table(table: Any, before: str) -> Table | None:
    """A Word table as a ``Table``: its first row the header; the paragraph just above it,
    when short, names it (a caption or heading, already in the text)."""
    above = before.strip() if 0 < len(before.strip()) <= 120 else ""
    found = make_table("", [_docx_row(row.cells) for row in table.rows])
    if found is None:
        return None
    return Table("", found.header, found.rows, heading=above)


def _docx_row(cells: Sequence[Any]) -> list[str]:
    texts: list[str] = []
    previous = None
    for cell in cells:
        if cell._tc is not previous:  # a merged cell is listed once per grid column
            texts.append(" ".join(cell.text.split()))
        previous = cell._tc
    return texts
