"""Loading the binary office formats: PDF (with pypdf) and Word ``.docx`` (with python-docx),
each file becoming one ``LoadedDocument``. PDF text keeps a ``PageSpan`` per page so chunks
can cite page numbers; encrypted, damaged or scanned (text-less) files raise ``LoadError``.

Both formats are compressed, so a small file can expand enormously (a "zip bomb"): a
``.docx`` is refused when its zip directory declares more than ``max_unpacked_bytes`` in
total (Python's zipfile stops at the declared size, so a lying directory only makes the
file damaged), and pypdf is configured to stop decompressing any stream at that size.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from index.ingest.source import LoadError, LoadLimits, SourceFile, make_document, megabytes
from index.ingest.text_clean import clean_text, normalise_date
from index.types import LoadedDocument, PageSpan

# python-docx's blank template carries this creation time; it says nothing about the file.
_DOCX_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)
_DOCX_MAX_PARTS = 10_000  # a real document has dozens; thousands only make the loader slow


def load_pdf(source: SourceFile, limits: LoadLimits) -> Iterator[LoadedDocument]:
    """Load a PDF's text layer page by page; title and date come from its metadata.

    No stream is decompressed beyond ``limits.max_unpacked_bytes``; a PDF whose text
    could not be read because of that says so instead of passing for a scanned one.
    """
    import pypdf
    from pypdf.errors import LimitReachedError

    cap = limits.max_unpacked_bytes
    config = pypdf.get_configuration().with_overwrites(**dict.fromkeys(_PYPDF_OUTPUT_LIMITS, cap))
    with pypdf.apply_configuration(config):
        try:
            reader = pypdf.PdfReader(io.BytesIO(source.path.read_bytes()))
            if reader.is_encrypted and not _pdf_decrypts(reader):
                raise LoadError("the PDF is encrypted")
            pages = list(reader.pages)
        except LoadError:
            raise
        except LimitReachedError as error:
            raise LoadError(_pdf_limit_reason(error, cap)) from None
        except Exception:
            raise LoadError("the PDF is damaged or truncated") from None
        parts, spans, limit_error = _pdf_pages(pages, LimitReachedError)
        if not parts and limit_error is not None:
            raise LoadError(_pdf_limit_reason(limit_error, cap))
        if not parts:
            raise LoadError("the PDF has no text layer (scanned?); OCR is not supported")
        # Built inside the configuration's scope; yielded outside it, so that the
        # context variable pypdf keeps it in is reset where it was set.
        documents = list(_pdf_document(source, reader, parts, spans))
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


def _pdf_limit_reason(error: Exception, cap: int) -> str:
    detail = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
    return (
        f"the PDF's content expands beyond the {megabytes(cap)} limit on decompressed "
        f"data (EVCHAT_MAX_UNPACKED_MB; pypdf: {detail or type(error).__name__})"
    )


def _pdf_pages(
    pages: Sequence[Any], limit_type: type[Exception]
) -> tuple[list[str], list[PageSpan], Exception | None]:
    """The text of every readable page, their spans, and a size-limit error if one hit."""
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    limit_error: Exception | None = None
    for number, page in enumerate(pages, 1):
        try:
            page_text = clean_text(page.extract_text() or "")
        except limit_type as error:
            page_text, limit_error = "", error
        except Exception:  # one unreadable page should not lose the others
            page_text = ""
        if page_text:
            start = offset + (2 if parts else 0)
            parts.append(page_text)
            spans.append(PageSpan(page=number, start=start, end=start + len(page_text)))
            offset = start + len(page_text)
    return parts, spans, limit_error


def _pdf_document(
    source: SourceFile, reader: Any, parts: list[str], spans: list[PageSpan]
) -> Iterator[LoadedDocument]:
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
    from docx.table import Table

    check_docx_size(source, limits.max_unpacked_bytes)
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
        date_from="document properties",
    )


def _docx_row(cells: Sequence[Any]) -> str:
    texts: list[str] = []
    previous = None
    for cell in cells:
        if cell._tc is not previous:  # a merged cell is listed once per grid column
            texts.append(" ".join(cell.text.split()))
        previous = cell._tc
    return " | ".join(texts)
