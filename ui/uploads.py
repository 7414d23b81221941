"""Uploaded files: safe names, type and size checks, staging into ``EVCHAT_HOME/uploads``."""

from __future__ import annotations

import re
import shutil
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


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


class UploadStager:
    """Copies acceptable uploads into ``folder``; rejects the rest with a reason."""

    def __init__(self, folder: Path, max_mb: float, extensions: Collection[str]) -> None:
        self.folder = Path(folder)
        self.max_mb = max_mb
        self.extensions = extensions

    def stage(self, files: Sequence[Any] | None) -> tuple[list[str], list[tuple[str, str]]]:
        """(names staged, [(original name, why it was rejected)])."""
        staged: list[str] = []
        rejected: list[tuple[str, str]] = []
        self.folder.mkdir(parents=True, exist_ok=True)
        for item in files or []:
            path, orig = file_path(item)
            try:
                staged.append(self._stage_one(path, orig))
            except OSError:
                rejected.append((orig, "the upload could not be read"))
            except ValueError as e:
                rejected.append((orig, str(e)))
        return staged, rejected

    def _stage_one(self, path: Path, orig: str) -> str:
        name = safe_upload_name(orig)
        ext = Path(name).suffix.lower()
        if ext not in self.extensions:
            supported = ", ".join(sorted(self.extensions))
            raise ValueError(f"unsupported file type {ext or '(none)'}; use {supported}")
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
        return name
