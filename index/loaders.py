"""The write path's loading step: find the files to index and turn each into documents.

``discover`` expands the paths a user gave into ``SourceFile``s; ``load`` turns one file
into ``LoadedDocument``s (one per file, or one per record for JSONL/JSON). Every text goes
through ``index.text_clean.clean_text``, which defines the canonical text that chunk
offsets refer to. A whole-file problem raises ``LoadError`` (a one-sentence message for
the user); a bad record inside a JSONL/JSON file is yielded as a ``FailedFile``.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.errors import BadInputError
from index.text_clean import NotTextError, clean_text, decode_bytes, normalise_date
from index.types import FailedFile, LoadedDocument, PageSpan

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".jsonl", ".json"}
)
_MAX_TITLE_LINE = 150
_RECORD_FIELDS = frozenset({"doc_id", "title", "source", "published_at", "date", "url", "text"})
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
# python-docx's blank template carries this creation time; it says nothing about the file.
_DOCX_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)


class LoadError(BadInputError):
    """A whole file cannot be loaded; the message is one sentence meant for the user."""


@dataclass(frozen=True)
class SourceFile:
    """A file to load: absolute ``path``, stable ``doc_id`` (relative to its root), ``size``.

    ``path`` lies under the resolved root (``Path(root).resolve()``); links inside the root
    are kept as they are, so ``doc_id`` and ``path`` name the same place.
    """

    path: Path
    doc_id: str
    size: int


def content_hash(text: str) -> str:
    """The SHA-256 hex digest of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _unsupported(ext: str) -> str:
    kind = ext or "(no extension)"
    return f"unsupported file type {kind}; supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}"


def _os_reason(error: OSError, what: str = "file") -> str:
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return "no such file or folder"
    if isinstance(error, PermissionError):
        return f"cannot read the {what} (permission denied)"
    return f"cannot read the {what} ({error.strerror or type(error).__name__})"


def discover(paths: Sequence[str | Path]) -> tuple[list[SourceFile], list[FailedFile]]:
    """Expand files and folders into the ``SourceFile``s to load, plus what cannot be used.

    Folders are walked recursively in sorted order, skipping hidden files and folders and,
    silently, files of unsupported types; symlinks are followed but a folder is never
    entered twice, so link loops end. A file's ``doc_id`` is its path relative to the
    folder given (posix form), or its name when the file itself was given. A missing or
    unreadable path, or an explicitly named unsupported file, becomes a ``FailedFile``.
    """
    found: list[SourceFile] = []
    failed: list[FailedFile] = []
    seen_real: set[str] = set()
    owner: dict[str, Path] = {}

    def add(path: Path, doc_id: str) -> None:
        try:
            size = path.stat().st_size
            if not os.access(path, os.R_OK):
                raise PermissionError
        except OSError as error:
            failed.append(FailedFile(str(path), _os_reason(error)))
            return
        real = os.path.realpath(path)
        if real in seen_real:
            return
        if doc_id in owner:
            reason = f"same document id {doc_id!r} as {owner[doc_id]}; index one of them separately"
            failed.append(FailedFile(str(path), reason))
            return
        seen_real.add(real)
        owner[doc_id] = path
        found.append(SourceFile(path=path, doc_id=doc_id, size=size))

    for raw in paths:
        given = Path(raw).expanduser()
        try:
            path = given.resolve()  # so that origins compare with resolved roots
            is_dir = path.is_dir()
            path.stat()
        except OSError as error:
            failed.append(FailedFile(str(raw), _os_reason(error)))
            continue
        except RuntimeError:  # Python 3.11 reports a symlink loop this way
            failed.append(FailedFile(str(raw), "cannot read the file (symlink loop)"))
            continue
        if is_dir:
            _walk(path, add, failed)
        elif not path.is_file():
            failed.append(FailedFile(str(raw), "not a regular file or folder"))
        elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            failed.append(FailedFile(str(raw), _unsupported(path.suffix.lower())))
        else:
            add(path, given.name)
    return found, list(dict.fromkeys(failed))


def _walk(root: Path, add: Callable[[Path, str], None], failed: list[FailedFile]) -> None:
    visited = {os.path.realpath(root)}

    def on_error(error: OSError) -> None:
        failed.append(FailedFile(str(error.filename or root), _os_reason(error, "folder")))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        kept = []
        for name in sorted(dirnames):
            real = os.path.realpath(os.path.join(dirpath, name))
            if not name.startswith(".") and real not in visited:
                visited.add(real)
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if not name.startswith(".") and path.suffix.lower() in SUPPORTED_EXTENSIONS:
                add(path, path.relative_to(root).as_posix())


def load(source: SourceFile, max_bytes: int) -> Iterator[LoadedDocument | FailedFile]:
    """Load one file: yield its documents, and a ``FailedFile`` per bad JSONL/JSON record.

    Raises ``LoadError`` (once iteration starts) with a one-sentence message when the whole
    file cannot be used:
    unsupported type, empty, larger than ``max_bytes`` (checked before reading),
    unreadable, binary, encrypted or damaged, no extractable text. Unexpected errors of a
    parser become a ``LoadError`` naming the exception class, so one file never stops a run.
    """
    ext = source.path.suffix.lower()
    loader = _LOADERS.get(ext)
    if loader is None:
        raise LoadError(_unsupported(ext))
    try:
        size = source.path.stat().st_size
    except OSError as error:
        raise LoadError(_os_reason(error)) from None
    if size > max_bytes:
        raise LoadError(f"the file is larger than the {max_bytes / 1024 / 1024:g} MB limit")
    if size == 0:
        raise LoadError("the file is empty")
    try:
        yield from loader(source)
    except LoadError:
        raise
    except OSError as error:
        raise LoadError(_os_reason(error)) from None
    except (RecursionError, MemoryError) as error:
        reason = f"the file is too deeply nested or too large ({type(error).__name__})"
        raise LoadError(reason) from None
    except Exception as error:  # a parser bug must not stop the whole run
        detail = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
        raise LoadError(
            f"unexpected error while loading the file ({type(error).__name__}"
            + (f": {detail})" if detail else ")")
        ) from error


def _document(
    file: SourceFile,
    text: str,
    title: str | None,
    *,
    source: str | None = None,
    published_at: str | None = None,
    url: str | None = None,
    pages: tuple[PageSpan, ...] = (),
    extra: dict[str, str] | None = None,
) -> Iterator[LoadedDocument]:
    text = clean_text(text)
    if not text:
        raise LoadError("the file is empty")
    yield LoadedDocument(
        doc_id=file.doc_id,
        text=text,
        title=" ".join((title or "").split()) or file.path.stem,
        source=source or file.doc_id,
        published_at=published_at,
        url=url,
        pages=pages,
        extra=extra or {},
    )


def _decode(source: SourceFile) -> str:
    try:
        return decode_bytes(source.path.read_bytes())
    except NotTextError:
        raise LoadError("the file looks like a binary file, not text") from None


def _short_first_line(text: str) -> str | None:
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    return first if 0 < len(first) < _MAX_TITLE_LINE else None


def _load_txt(source: SourceFile) -> Iterator[LoadedDocument]:
    text = clean_text(_decode(source))
    published = None
    header = _DATE_HEADER.match(text)
    if header and normalise_date(header.group(1)):
        published, text = normalise_date(header.group(1)), text[header.end() :]
    yield from _document(
        source,
        text,
        _short_first_line(text),
        published_at=published or normalise_date(source.path.stem),
    )


def _load_markdown(source: SourceFile) -> Iterator[LoadedDocument]:
    text = clean_text(_decode(source))
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
    yield from _document(
        source,
        text,
        str(title) if title else None,
        source=str(meta.get("source") or ""),
        published_at=normalise_date(date) or normalise_date(source.path.stem),
        url=str(url) if url else None,
        extra=extra,
    )


def _load_html(source: SourceFile) -> Iterator[LoadedDocument]:
    import trafilatura
    from trafilatura.metadata import extract_metadata

    data = source.path.read_bytes()
    result: Any = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    text = (result.text or "") if result is not None else ""
    if not text.strip():  # too short or too deep for trafilatura: take all visible text
        text = trafilatura.html2txt(data) or _strip_tags(decode_bytes(data, check_binary=False))
        tree = trafilatura.load_html(data)
        result = extract_metadata(tree) if tree is not None else None
    # trafilatura puts one block per line; a blank line between blocks marks paragraphs.
    text = "\n\n".join(line for line in text.split("\n") if line.strip())
    if not clean_text(text):
        raise LoadError("no readable text found in the HTML")
    yield from _document(
        source,
        text,
        getattr(result, "title", None),
        source=getattr(result, "sitename", None) or getattr(result, "hostname", None) or "",
        published_at=normalise_date(getattr(result, "date", None)),
        url=getattr(result, "url", None) or None,
    )


def _strip_tags(markup: str) -> str:
    """Visible text of HTML by regular expressions, for markup lxml gives up on (deep nesting)."""
    markup = _INVISIBLE_HTML.sub(" ", markup)
    markup = _BLOCK_TAG.sub("\n", markup)
    text = html.unescape(_ANY_TAG.sub("", markup))
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _load_pdf(source: SourceFile) -> Iterator[LoadedDocument]:
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
    yield from _document(source, text, title, published_at=created, pages=tuple(spans))


def _pdf_decrypts(reader: Any) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. AES without the optional crypto dependency
        return False


def _load_docx(source: SourceFile) -> Iterator[LoadedDocument]:
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
    yield from _document(
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


def _load_jsonl(source: SourceFile) -> Iterator[LoadedDocument | FailedFile]:
    data = source.path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 with BOM: decode as a whole
        text = decode_bytes(data, check_binary=False)
        lines = [line.encode("utf-8") for line in text.split("\n")]
    elif b"\x00" in data[:8192]:
        raise LoadError("the file looks like a binary file, not text")
    else:
        lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    seen: dict[str, str] = {}
    records = 0
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = decode_bytes(raw, check_binary=False)
        if not line.strip():
            continue
        records += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            reason = f"line {number}: not valid JSON ({error.msg} at column {error.colno})"
            yield FailedFile(f"{source.doc_id}:{number}", reason)
            continue
        yield _record(source, record, number, f"line {number}", seen)
    if not records:
        raise LoadError("the file is empty")


def _load_json(source: SourceFile) -> Iterator[LoadedDocument | FailedFile]:
    try:
        data = json.loads(_decode(source))
    except json.JSONDecodeError as error:
        raise LoadError(
            f"the file is not valid JSON ({error.msg} on line {error.lineno})"
        ) from None
    records = data if isinstance(data, list) else [data]
    if isinstance(data, dict) and "text" not in data:
        raise LoadError('the JSON holds no document: expected an object with "text" or a list')
    if not records:
        raise LoadError("the JSON list holds no records")
    seen: dict[str, str] = {}
    for number, record in enumerate(records, 1):
        yield _record(source, record, number, f"record {number}", seen)


def _record(
    source: SourceFile, record: object, number: int, where: str, seen: dict[str, str]
) -> LoadedDocument | FailedFile:
    failed_path = f"{source.doc_id}:{number}"
    if not isinstance(record, dict):
        return FailedFile(failed_path, f"{where}: not a JSON object")
    raw_text = record.get("text")
    if not isinstance(raw_text, str):
        return FailedFile(failed_path, f'{where}: the record has no "text" string')
    text = clean_text(raw_text)
    if not text:
        return FailedFile(failed_path, f"{where}: the record's text is empty")
    raw_id = record.get("doc_id")
    doc_id = str(raw_id).strip() if isinstance(raw_id, str | int) else ""
    doc_id = doc_id or f"{source.doc_id}#{number}"
    if doc_id in seen:
        return FailedFile(
            failed_path, f"{where}: duplicate doc_id {doc_id!r} (first at {seen[doc_id]})"
        )
    seen[doc_id] = where

    def field(name: str) -> str | None:
        value = record.get(name)
        return (" ".join(value.split()) or None) if isinstance(value, str) else None

    return LoadedDocument(
        doc_id=doc_id,
        text=text,
        title=field("title") or _short_first_line(text) or doc_id,
        source=field("source") or source.doc_id,
        published_at=normalise_date(record.get("published_at") or record.get("date")),
        url=field("url"),
        extra={k: v for k, v in record.items() if k not in _RECORD_FIELDS and isinstance(v, str)},
    )


_LOADERS: dict[str, Callable[[SourceFile], Iterator[LoadedDocument | FailedFile]]] = {
    ".txt": _load_txt,
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
    ".jsonl": _load_jsonl,
    ".json": _load_json,
}
