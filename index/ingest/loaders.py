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
from functools import partial

from index.ingest.discovery import discover
from index.ingest.office_formats import load_docx, load_pdf
from index.ingest.records import load_json, load_jsonl
from index.ingest.source import (
    SUPPORTED_EXTENSIONS,
    LoadError,
    LoadLimits,
    SourceFile,
    content_hash,
    megabytes,
    os_reason,
    unsupported_reason,
)
from index.ingest.text_formats import load_html, load_markdown, load_txt
from index.types import FailedFile, LoadedDocument

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "LoadError",
    "LoadLimits",
    "SourceFile",
    "content_hash",
    "discover",
    "load",
]


def load(source: SourceFile, limits: LoadLimits | int) -> Iterator[LoadedDocument | FailedFile]:
    """Load one file: yield its documents, and a ``FailedFile`` per bad JSONL/JSON record.

    ``limits`` are the sizes checked before parsing (an int: the largest file in bytes,
    the other limits at their defaults). Raises ``LoadError`` (once iteration starts) with
    a one-sentence message when the whole file cannot be used: unsupported type, empty,
    larger than a limit (checked before reading), unreadable, binary, encrypted or damaged,
    expanding beyond ``max_unpacked_bytes``, no extractable text. Unexpected errors of a
    parser become a ``LoadError`` naming the exception class, so one file never stops a run.
    This runs in the calling process; ``index.ingest.isolation`` runs it in a worker with
    a time budget and a memory cap.
    """
    if isinstance(limits, int):
        limits = LoadLimits(max_file_bytes=limits)
    ext = source.path.suffix.lower()
    loader = _LOADERS.get(ext)
    if loader is None:
        raise LoadError(unsupported_reason(ext))
    try:
        size = source.path.stat().st_size
    except OSError as error:
        raise LoadError(os_reason(error)) from None
    _check_size(size, ext, limits)
    try:
        yield from loader(source, limits)
    except LoadError:
        raise
    except OSError as error:
        raise LoadError(os_reason(error)) from None
    except RecursionError:
        raise LoadError("the file is too deeply nested to load (RecursionError)") from None
    except MemoryError:
        raise LoadError(MEMORY_REASON) from None
    except Exception as error:  # a parser bug must not stop the whole run
        detail = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
        raise LoadError(
            f"unexpected error while loading the file ({type(error).__name__}"
            + (f": {detail})" if detail else ")")
        ) from error


def _check_size(size: int, ext: str, limits: LoadLimits) -> None:
    if size > limits.max_file_bytes:
        raise LoadError(
            f"the file is {megabytes(size)}, over the {limits.max_file_bytes / MB:g} MB limit "
            "(EVCHAT_MAX_FILE_MB)"
        )
    if ext in _HTML and size > limits.max_html_bytes:
        raise LoadError(
            f"the HTML page is {megabytes(size)}, over the {limits.max_html_bytes / MB:g} MB "
            "limit for HTML (EVCHAT_MAX_HTML_MB)"
        )
    if size == 0:
        raise LoadError("the file is empty")


MEMORY_REASON = "the file needs more memory to load than allowed (EVCHAT_PARSE_MEMORY_MB)"
Loader = Callable[[SourceFile, LoadLimits], Iterator[LoadedDocument | FailedFile]]
MB = 1024 * 1024
_HTML = frozenset({".html", ".htm"})


def _without_limits(
    loader: Callable[[SourceFile], Iterator[LoadedDocument | FailedFile]],
    source: SourceFile,
    limits: LoadLimits,
) -> Iterator[LoadedDocument | FailedFile]:
    return loader(source)  # formats whose size on disk is all there is to bound


_LOADERS: dict[str, Loader] = {
    ".txt": partial(_without_limits, load_txt),
    ".md": partial(_without_limits, load_markdown),
    ".markdown": partial(_without_limits, load_markdown),
    ".html": partial(_without_limits, load_html),
    ".htm": partial(_without_limits, load_html),
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".jsonl": partial(_without_limits, load_jsonl),
    ".json": partial(_without_limits, load_json),
}
