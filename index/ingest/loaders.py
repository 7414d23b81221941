"""The write path's loading step: find the files to index and turn each into documents.

``discover`` (from ``index.ingest.discovery``) expands the paths a user gave into ``SourceFile``s;
``load`` turns one file into ``LoadedDocument``s (one per file, or one per record for
JSONL/JSON) by handing it to the loader for its extension in ``index.ingest.text_formats``,
``index.ingest.office_formats`` or ``index.ingest.records``, and turns whatever goes wrong into a
``LoadError``. Every text goes through ``index.ingest.text_clean.clean_text``, which defines the
canonical text that chunk offsets refer to. A whole-file problem raises ``LoadError`` (a
one-sentence message for the user); a bad record inside a JSONL/JSON file is yielded as a
``FailedFile``. This module is the public face of the loading step: import from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from index.ingest.discovery import discover
from index.ingest.office_formats import load_docx, load_pdf
from index.ingest.records import load_json, load_jsonl
from index.ingest.source import (
    SUPPORTED_EXTENSIONS,
    LoadError,
    SourceFile,
    content_hash,
    os_reason,
    unsupported_reason,
)
from index.ingest.text_formats import load_html, load_markdown, load_txt
from index.types import FailedFile, LoadedDocument

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "LoadError",
    "SourceFile",
    "content_hash",
    "discover",
    "load",
]


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
        raise LoadError(unsupported_reason(ext))
    try:
        size = source.path.stat().st_size
    except OSError as error:
        raise LoadError(os_reason(error)) from None
    if size > max_bytes:
        raise LoadError(f"the file is larger than the {max_bytes / 1024 / 1024:g} MB limit")
    if size == 0:
        raise LoadError("the file is empty")
    try:
        yield from loader(source)
    except LoadError:
        raise
    except OSError as error:
        raise LoadError(os_reason(error)) from None
    except (RecursionError, MemoryError) as error:
        reason = f"the file is too deeply nested or too large ({type(error).__name__})"
        raise LoadError(reason) from None
    except Exception as error:  # a parser bug must not stop the whole run
        detail = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
        raise LoadError(
            f"unexpected error while loading the file ({type(error).__name__}"
            + (f": {detail})" if detail else ")")
        ) from error


_LOADERS: dict[str, Callable[[SourceFile], Iterator[LoadedDocument | FailedFile]]] = {
    ".txt": load_txt,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".jsonl": load_jsonl,
    ".json": load_json,
}
