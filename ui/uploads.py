"""Uploaded files: safe names, type and size checks, staging into ``EVCHAT_HOME/uploads``.

Gradio refuses an upload over ``EVCHAT_UPLOAD_MAX_MB`` before storing it (``launch``'s
``max_file_size``); what it did store lands in its temporary folder, and every file is
removed from there once staged or rejected, so nothing an upload brought stays behind.
A file with the same bytes as an upload already indexed from the folder is "already
indexed" and not stored again, whatever its name. A name that is already taken (a file in
the uploads folder or an indexed document id) is either replaced or stored beside it under
a new name, as the user chose; a file that fails
to index moves to ``uploads/failed/`` with a note of why, out of the next run's way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
KEEP_BOTH = "keep both"
REPLACE = "replace"


def safe_upload_name(name: str) -> str:
    """A safe basename for an uploaded file; ValueError for names that try to escape."""
    if not name or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError("the file name must not contain path separators")
    if name in (".", "..") or ".." in name.split("."):
        raise ValueError("the file name must not contain '..'")
    cleaned = _SAFE_NAME.sub("_", name).strip(" .")
    if not cleaned or cleaned.startswith("."):
        raise ValueError("the file name is empty or hidden")
    return cleaned


def file_path(item: Any) -> tuple[Path, str]:
    """(temporary path, original name) of an uploaded file in any form Gradio gives it."""
    if isinstance(item, dict):
        path = item.get("path") or item.get("name") or ""
        orig = item.get("orig_name") or Path(str(path)).name
        return Path(str(path)), str(orig)
    path = getattr(item, "path", None) or getattr(item, "name", None) or item
    orig = getattr(item, "orig_name", None) or Path(str(path)).name
    return Path(str(path)), str(orig)


def gradio_upload_folder() -> Path:
    """Where Gradio stores uploads before a handler sees them (``GRADIO_TEMP_DIR``)."""
    folder = os.environ.get("GRADIO_TEMP_DIR") or str(Path(tempfile.gettempdir()) / "gradio")
    return Path(folder).resolve()


def discard_upload(path: Path) -> None:
    """Delete Gradio's temporary copy of an upload (and its folder, once empty); a path
    outside Gradio's upload folder is never touched."""
    root = gradio_upload_folder()
    try:
        resolved = path.resolve()
    except OSError:
        return
    if not resolved.is_relative_to(root) or resolved == root:
        return
    with contextlib.suppress(OSError):
        resolved.unlink()
    parent = resolved.parent
    while parent != root and parent.is_relative_to(root):
        try:
            parent.rmdir()  # only succeeds when empty
        except OSError:
            break
        parent = parent.parent


@dataclass
class Staged:
    """What staging did: files to index, files refused, names changed to keep both."""

    paths: list[Path] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (name, stored as)
    already: list[tuple[str, str]] = field(default_factory=list)  # (name, indexed as)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class UploadStager:
    """Copies acceptable uploads into ``folder``; rejects the rest with a reason."""

    def __init__(self, folder: Path, max_mb: float, extensions: Collection[str]) -> None:
        self.folder = Path(folder)
        self.max_mb = max_mb
        self.extensions = extensions

    @property
    def failed_folder(self) -> Path:
        """Where uploads that could not be indexed are kept, each with a ``.reason.txt``."""
        return self.folder / "failed"

    def stage(
        self,
        files: Sequence[Any] | None,
        taken: Collection[str] = (),
        on_duplicate: str = KEEP_BOTH,
        indexed: Collection[str] = (),
    ) -> Staged:
        """Stage ``files``; a name in ``taken`` (or in the folder) is replaced or kept
        beside the old one (``on_duplicate``); a file with the same bytes as one in the
        folder whose name is ``indexed`` is not staged (``already``). Gradio's temporary
        copies are deleted."""
        result = Staged()
        self.folder.mkdir(parents=True, exist_ok=True)
        batch: set[str] = set()
        for item in files or []:
            path, orig = file_path(item)
            try:
                same = self.same_bytes(path, indexed)
                if same is not None:
                    result.already.append((orig, same))
                    continue
                name = self._name_for(orig, taken, batch, on_duplicate)
                result.paths.append(self._stage_one(path, name))
                batch.add(name)
                if name != safe_upload_name(orig):
                    result.renamed.append((orig, name))
            except OSError:
                result.rejected.append(
                    (orig, "the upload is no longer on the server; choose the file again")
                )
            except ValueError as e:
                result.rejected.append((orig, str(e)))
            finally:
                discard_upload(path)
        return result

    def same_bytes(self, path: Path, indexed: Collection[str]) -> str | None:
        """The name of an indexed file in the folder with exactly ``path``'s bytes."""
        size = path.stat().st_size
        digest: str | None = None
        for name in sorted(indexed):
            other = self.folder / name
            try:
                if not other.is_file() or other.stat().st_size != size:
                    continue
                digest = digest or file_digest(path)
                if file_digest(other) == digest:
                    return name
            except OSError:
                continue
        return None

    def _name_for(
        self, orig: str, taken: Collection[str], batch: set[str], on_duplicate: str
    ) -> str:
        name = safe_upload_name(orig)
        ext = Path(name).suffix.lower()
        if ext not in self.extensions:
            supported = ", ".join(sorted(self.extensions))
            raise ValueError(f"unsupported file type {ext or '(none)'}; use {supported}")
        if on_duplicate == REPLACE and name not in batch:
            return name  # two files of one name in one upload are both kept

        def free(candidate: str) -> bool:
            return not (
                candidate in batch or candidate in taken or (self.folder / candidate).exists()
            )

        stem, suffix = Path(name).stem, Path(name).suffix
        candidate, n = name, 1
        while not free(candidate):
            n += 1
            candidate = f"{stem}-{n}{suffix}"
        return candidate

    def _stage_one(self, path: Path, name: str) -> Path:
        size = path.stat().st_size
        if size == 0:
            raise ValueError("the file is empty")
        if size > self.max_mb * 1024 * 1024:
            raise ValueError(f"the file is {size / 1e6:.1f} MB; the limit is {self.max_mb} MB")
        root = self.folder.resolve()
        dest = (root / name).resolve()
        if dest.parent != root:
            raise ValueError("the file name is not allowed")
        shutil.copyfile(path, dest)
        return dest

    def set_aside(self, path: Path, reason: str) -> Path:
        """Move a staged upload that failed to index to ``failed/``, with its reason."""
        self.failed_folder.mkdir(parents=True, exist_ok=True)
        dest = self.failed_folder / path.name
        shutil.move(str(path), dest)
        (self.failed_folder / f"{path.name}.reason.txt").write_text(reason + "\n", "utf-8")
        return dest
