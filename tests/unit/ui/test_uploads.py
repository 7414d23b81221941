"""Upload staging: safe names, type and size checks, nothing written outside the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.uploads import KEEP_BOTH, REPLACE, UploadStager, discard_upload, safe_upload_name


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
    result = stager.stage(files)
    assert [p.name for p in result.paths] == ["note.md"]
    assert (tmp_path / "uploads" / "note.md").read_text(encoding="utf-8") == "BYD opened a plant."
    reasons = dict(result.rejected)
    assert reasons["empty.md"] == "the file is empty"
    assert "unsupported file type .exe" in reasons["tool.exe"]
    assert "the limit is" in reasons["big.txt"]
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == ["note.md"]


def upload(folder: Path, name: str, text: str) -> dict[str, str]:
    """A file as Gradio hands it over: stored under its own folder in the upload area."""
    path = folder / f"hash-{len(list(folder.iterdir()))}" / name
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return {"path": str(path), "orig_name": name}


@pytest.fixture
def gradio_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "gradio"
    folder.mkdir()
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    return folder


def test_staged_and_rejected_uploads_leave_nothing_in_gradios_folder(
    tmp_path: Path, gradio_temp: Path
) -> None:
    stager = UploadStager(tmp_path / "uploads", max_mb=1, extensions={".md"})
    files = [upload(gradio_temp, "a.md", "BYD."), upload(gradio_temp, "tool.exe", "MZ")]
    result = stager.stage(files)
    assert [p.name for p in result.paths] == ["a.md"]
    assert [n for n, _ in result.rejected] == ["tool.exe"]
    assert list(gradio_temp.iterdir()) == []


def test_a_file_outside_gradios_folder_is_never_deleted(tmp_path: Path, gradio_temp: Path) -> None:
    mine = tmp_path / "mine.md"
    mine.write_text("keep me", encoding="utf-8")
    discard_upload(mine)
    UploadStager(tmp_path / "uploads", 1, {".md"}).stage([{"path": str(mine)}])
    assert mine.read_text(encoding="utf-8") == "keep me"


def test_a_taken_name_is_kept_beside_the_old_one_unless_replace_is_chosen(
    tmp_path: Path, gradio_temp: Path
) -> None:
    stager = UploadStager(tmp_path / "uploads", max_mb=1, extensions={".md"})
    stager.stage([upload(gradio_temp, "report.md", "old")])
    both = stager.stage([upload(gradio_temp, "report.md", "new")], {"report.md"}, KEEP_BOTH)
    assert [p.name for p in both.paths] == ["report-2.md"]
    assert both.renamed == [("report.md", "report-2.md")]
    assert (tmp_path / "uploads" / "report.md").read_text(encoding="utf-8") == "old"
    replaced = stager.stage([upload(gradio_temp, "report.md", "newer")], {"report.md"}, REPLACE)
    assert [p.name for p in replaced.paths] == ["report.md"] and replaced.renamed == []
    assert (tmp_path / "uploads" / "report.md").read_text(encoding="utf-8") == "newer"


def test_an_indexed_document_id_counts_as_taken(tmp_path: Path, gradio_temp: Path) -> None:
    stager = UploadStager(tmp_path / "uploads", max_mb=1, extensions={".md"})
    result = stager.stage([upload(gradio_temp, "byd.md", "x")], taken={"byd.md"})
    assert [p.name for p in result.paths] == ["byd-2.md"]


def test_two_files_of_one_name_in_one_upload_are_both_kept(
    tmp_path: Path, gradio_temp: Path
) -> None:
    stager = UploadStager(tmp_path / "uploads", max_mb=1, extensions={".md"})
    files = [upload(gradio_temp, "a.md", "one"), upload(gradio_temp, "a.md", "two")]
    result = stager.stage(files, on_duplicate=REPLACE)
    assert [p.name for p in result.paths] == ["a.md", "a-2.md"]


def test_a_failed_upload_is_set_aside_with_its_reason(tmp_path: Path, gradio_temp: Path) -> None:
    stager = UploadStager(tmp_path / "uploads", max_mb=1, extensions={".md"})
    [path] = stager.stage([upload(gradio_temp, "bad.md", "x")]).paths
    moved = stager.set_aside(path, "the file is empty")
    assert not path.exists() and moved == tmp_path / "uploads" / "failed" / "bad.md"
    note = tmp_path / "uploads" / "failed" / "bad.md.reason.txt"
    assert note.read_text(encoding="utf-8") == "the file is empty\n"


@pytest.mark.parametrize("policy", [KEEP_BOTH, REPLACE])
def test_same_bytes_under_any_name_are_already_indexed(
    tmp_path: Path, gradio_temp: Path, policy: str
) -> None:
    stager = UploadStager(tmp_path / "uploads", max_mb=1, extensions={".txt"})
    first = stager.stage([upload(gradio_temp, "kestrel.txt", "Kestrel recycles.")])
    assert [p.name for p in first.paths] == ["kestrel.txt"]
    files = [
        upload(gradio_temp, "kestrel.txt", "Kestrel recycles."),
        upload(gradio_temp, "kestrel-copy.txt", "Kestrel recycles."),
        upload(gradio_temp, "other.txt", "Kestrel recycles more."),
    ]
    again = stager.stage(files, taken={"kestrel.txt"}, on_duplicate=policy, indexed={"kestrel.txt"})
    assert again.already == [("kestrel.txt", "kestrel.txt"), ("kestrel-copy.txt", "kestrel.txt")]
    assert [p.name for p in again.paths] == ["other.txt"]
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == ["kestrel.txt", "other.txt"]
    assert list(gradio_temp.iterdir()) == []  # Gradio's copies are gone either way


def test_same_bytes_of_a_deleted_document_are_indexed_again(
    tmp_path: Path, gradio_temp: Path
) -> None:
    stager = UploadStager(tmp_path / "uploads", max_mb=1, extensions={".txt"})
    stager.stage([upload(gradio_temp, "kestrel.txt", "Kestrel recycles.")])
    again = stager.stage(
        [upload(gradio_temp, "kestrel.txt", "Kestrel recycles.")],
        on_duplicate=REPLACE,
        indexed=set(),
    )
    assert again.already == [] and [p.name for p in again.paths] == ["kestrel.txt"]
