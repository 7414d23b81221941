"""Finding the files to index: ``discover`` expands the files and folders a user gave into
``SourceFile``s, walking folders in sorted order, skipping hidden and unsupported files,
following links without looping, and reporting each path it cannot use as a ``FailedFile``.
It reads no file contents; turning a ``SourceFile`` into documents is ``index.ingest.loaders.load``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from index.ingest.source import SUPPORTED_EXTENSIONS, SourceFile, os_reason, unsupported_reason
from index.ingest.text_clean import encodable
from index.types import FailedFile


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
        doc_id = encodable(doc_id)  # a file name that is not UTF-8 still gets a storable id
        try:
            size = path.stat().st_size
            if not os.access(path, os.R_OK):
                raise PermissionError
        except OSError as error:
            failed.append(FailedFile(str(path), os_reason(error)))
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
            failed.append(FailedFile(str(raw), os_reason(error)))
            continue
        except RuntimeError:  # Python 3.11 reports a symlink loop this way
            failed.append(FailedFile(str(raw), "cannot read the file (symlink loop)"))
            continue
        if is_dir:
            _walk(path, add, failed)
        elif not path.is_file():
            failed.append(FailedFile(str(raw), "not a regular file or folder"))
        elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            failed.append(FailedFile(str(raw), unsupported_reason(path.suffix.lower())))
        else:
            add(path, given.name)
    return found, list(dict.fromkeys(FailedFile(encodable(f.path), f.error) for f in failed))


def _walk(root: Path, add: Callable[[Path, str], None], failed: list[FailedFile]) -> None:
    visited = {os.path.realpath(root)}

    def on_error(error: OSError) -> None:
        failed.append(FailedFile(str(error.filename or root), os_reason(error, "folder")))

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
