"""``Assistant.document_file``: only files inside the collection's uploads are handed out."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.fixtures.indexed import tiny_assistant
from tests.fixtures.workspace import WORKSPACE_DOCS

REPORT = Path(__file__).resolve().parents[2] / "fixtures" / "pdf_reports"


def test_an_uploaded_pdf_is_given_and_a_file_outside_the_uploads_is_not(tmp_path: Path) -> None:
    bot = tiny_assistant(tmp_path, {"volta.md": WORKSPACE_DOCS["volta.md"]})
    bot.uploads_dir.mkdir(parents=True)
    upload = bot.uploads_dir / "nordic.pdf"
    shutil.copy(REPORT / "nordic-ev-outlook-2024.pdf", upload)
    report = bot.index([upload])
    assert report.added == 1 and not report.failed
    assert bot.document_file("nordic.pdf") == upload.resolve()
    assert bot.document_file("volta.md") is None  # indexed from a folder outside the uploads
    assert bot.document_file("no-such-doc") is None


def test_an_upload_removed_from_disk_is_not_given(tmp_path: Path) -> None:
    bot = tiny_assistant(tmp_path, {"volta.md": WORKSPACE_DOCS["volta.md"]})
    bot.uploads_dir.mkdir(parents=True)
    upload = bot.uploads_dir / "nordic.pdf"
    shutil.copy(REPORT / "nordic-ev-outlook-2024.pdf", upload)
    bot.index([upload])
    upload.unlink()
    assert bot.document_file("nordic.pdf") is None


def test_a_link_in_the_uploads_to_a_file_outside_is_not_given(tmp_path: Path) -> None:
    bot = tiny_assistant(tmp_path, {"volta.md": WORKSPACE_DOCS["volta.md"]})
    bot.uploads_dir.mkdir(parents=True)
    outside = tmp_path / "elsewhere.pdf"
    shutil.copy(REPORT / "nordic-ev-outlook-2024.pdf", outside)
    link = bot.uploads_dir / "linked.pdf"
    link.symlink_to(outside)
    bot.index([bot.uploads_dir])
    assert "linked.pdf" in {d.doc_id for d in bot.documents()}
    assert bot.document_file("linked.pdf") is None
