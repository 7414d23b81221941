"""The evchat command's error handling: one clear line for a user's mistake, an id for a
bug (the traceback goes to the log file, never to the terminal)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.cli import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVCHAT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_a_bad_as_of_date_is_one_line_and_exit_2(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "Which plant?", "--as-of", "2024-01-01; DROP TABLE x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("evchat: The as-of date")
    assert "YYYY-MM-DD" in err


def test_an_out_of_range_setting_is_one_line(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EVCHAT_K", "99")
    assert main(["ask", "Which plant?"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("evchat: the setting EVCHAT_K is invalid: ") and err.count("\n") == 1


def test_a_bug_shows_an_id_and_the_traceback_goes_to_the_log(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken_ask(self: Assistant, *args: object, **kwargs: object) -> None:
        raise RuntimeError("internal detail the user must not see")  # a staged bug

    monkeypatch.setattr(Assistant, "ask", broken_ask)
    assert main(["ask", "Which plant?"]) == 3
    err = capsys.readouterr().err
    shape = r"evchat: Something went wrong \(logged as ([0-9a-f]{8})\)\. See (.+)\.\n"
    found = re.fullmatch(shape, err)
    assert found, err
    assert "internal detail" not in err and "Traceback" not in err
    log = Path(found.group(2))
    assert log == home / "logs" / "evchat.log"
    text = log.read_text(encoding="utf-8")
    assert found.group(1) in text and "Traceback" in text and "internal detail" in text
