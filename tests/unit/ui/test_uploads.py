"""Upload staging: safe names, type and size checks, nothing written outside the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.uploads import UploadStager, safe_upload_name


@pytest.mark.parametrize("name", ["../evil.md", "/etc/passwd", "a\\b.md", "x\x00.md", "..", "..."])
def test_names_that_try_to_escape_or_hide_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        safe_upload_name(name)


def test_odd_characters_are_replaced() -> None:
    assert safe_upload_name("Q3 report (final)!.md") == "Q3 report _final_.md"


def test_stager_keeps_good_files_and_explains_each_rejection(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    good, empty, exe, big = (src / n for n in ("note.md", "empty.md", "tool.exe", "big.txt"))
    good.write_text("BYD opened a plant.", encoding="utf-8")
    empty.write_bytes(b"")
    exe.write_bytes(b"MZ")
    big.write_bytes(b"x" * 2048)
    stager = UploadStager(tmp_path / "uploads", max_mb=1 / 1024, extensions={".md", ".txt"})
    files = [{"path": str(p), "orig_name": p.name} for p in (good, empty, exe, big)]
    staged, rejected = stager.stage(files)
    assert staged == ["note.md"]
    assert (tmp_path / "uploads" / "note.md").read_text(encoding="utf-8") == "BYD opened a plant."
    reasons = dict(rejected)
    assert reasons["empty.md"] == "the file is empty"
    assert "unsupported file type .exe" in reasons["tool.exe"]
    assert "the limit is" in reasons["big.txt"]
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == ["note.md"]
