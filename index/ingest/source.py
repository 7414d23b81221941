"""What every loader shares: the ``SourceFile`` to load, the ``LoadError`` it may raise, and
the helpers that turn a file's text into a ``LoadedDocument``. ``SUPPORTED_EXTENSIONS`` lists
the file types the loading step accepts; ``content_hash`` fingerprints a document's text. The
format modules (``text_formats``, ``office_formats``, ``records``) and the discovery and
dispatch in ``discovery`` and ``loaders`` build on this module and on nothing of each other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.errors import BadInputError
from index.ingest.tables import Table, locate_tables
from index.ingest.text_clean import NotTextError, clean_field, clean_text, decode_bytes, encodable
from index.types import LoadedDocument, PageSpan

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".jsonl", ".json"}
)
_MAX_TITLE_LINE = 150
MB = 1024 * 1024


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

    @property
    def origin(self) -> str:
        """The path as text that can be stored and shown: a file name that is not valid
        UTF-8 (decoded by Python with lone surrogates) gets U+FFFD in their place."""
        return encodable(str(self.path))


@dataclass(frozen=True)
class LoadLimits:
    """Sizes checked before a parser sees a file, in bytes.

    ``max_file_bytes`` bounds every file on disk; ``max_html_bytes`` an HTML page (HTML
    parsers slow down badly on huge pages); ``max_unpacked_bytes`` what a compressed format
    may expand to: a ``.docx`` unzipped (all its parts) or one decompressed PDF stream.
    """

    max_file_bytes: int = 60 * MB
    max_html_bytes: int = 10 * MB
    max_unpacked_bytes: int = 100 * MB


def megabytes(size: int) -> str:
    """A size in bytes as the user reads it: ``12.3 MB``."""
    return f"{size / MB:.1f} MB" if size < 1024 * MB else f"{size / MB / 1024:.1f} GB"


def content_hash(text: str) -> str:
    """The SHA-256 hex digest of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unsupported_reason(ext: str) -> str:
    """The user message for a file whose extension ``ext`` no loader handles."""
    kind = ext or "(no extension)"
    return f"unsupported file type {kind}; supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}"


def os_reason(error: OSError, what: str = "file") -> str:
    """The user message for an ``OSError`` met while reading a file or folder."""
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return "no such file or folder"
    if isinstance(error, PermissionError):
        return f"cannot read the {what} (permission denied)"
    return f"cannot read the {what} ({error.strerror or type(error).__name__})"


def make_document(
    file: SourceFile,
    text: str,
    title: str | None,
    *,
    source: str | None = None,
    published_at: str | None = None,
    date_from: str | None = None,
    url: str | None = None,
    pages: tuple[PageSpan, ...] = (),
    extra: dict[str, str] | None = None,
    tables: Sequence[Table] = (),
) -> Iterator[LoadedDocument]:
    """Yield ``file``'s one document with cleaned ``text``; raise ``LoadError`` if it is empty.

    The title falls back to the file's stem and the source to its ``doc_id``; ``tables``
    (rendered into ``text`` by ``index.ingest.tables.render_table``) are located in it.
    """
    text = clean_text(text)
    if not text:
        raise LoadError("the file is empty")
    yield LoadedDocument(
        doc_id=file.doc_id,
        text=text,
        title=clean_field(title or "") or clean_field(file.path.stem),
        source=clean_field(source or "") or file.doc_id,
        published_at=published_at,
        date_from=date_from if published_at else None,
        url=clean_field(url or "") or None,
        pages=pages,
        extra={clean_field(k): clean_field(v) for k, v in (extra or {}).items()},
        tables=locate_tables(text, tables),
    )


def decode_file(source: SourceFile) -> str:
    """The file's bytes decoded as text; ``LoadError`` if they look binary."""
    try:
        return decode_bytes(source.path.read_bytes())
    except NotTextError:
        raise LoadError("the file looks like a binary file, not text") from None


def short_first_line(text: str) -> str | None:
    """The first non-blank line of ``text`` if it is short enough to serve as a title."""
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    return first if 0 < len(first) < _MAX_TITLE_LINE else None
