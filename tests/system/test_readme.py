"""The README's Python API example runs as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.paths import REPO


def _python_block(after_heading: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(after_heading, 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, f"no python example under {after_heading!r}"
    return match.group(1)


def test_readme_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "samples").symlink_to(REPO / "samples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(_python_block("## Python API"), "README.md", "exec"), namespace)
    answer = namespace["answer"]
    assert not answer.refused and "Komárom" in answer.text  # type: ignore[attr-defined]
    assert namespace["quiz"].text.startswith("CATL — At its Tech Day")  # type: ignore[attr-defined]
    assert os.path.isdir(tmp_path / ".evchat")


def test_readme_conversations_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "samples").symlink_to(REPO / "samples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    code = _python_block("## Conversations, collections and feedback")
    exec(compile(code, "README.md", "exec"), namespace)
    again = namespace["again"]
    assert [len(again.turns)] == [2] and again.turns[0].feedback.verdict == "up"  # type: ignore[attr-defined]
    assert "Komárom" in str(namespace["markdown"])
    assert namespace["names"] == ["evchat", "reports"]
    assert (tmp_path / "my-eval" / "questions.jsonl").is_file()
