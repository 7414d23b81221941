"""EVCHAT_AUTH parsing: one pair, a file of pairs, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.auth import parse_auth


def test_no_setting_means_no_login() -> None:
    assert parse_auth(None) is None and parse_auth("") is None


def test_one_pair_and_a_file_of_pairs(tmp_path: Path) -> None:
    assert parse_auth("ana:s3cret:x") == [("ana", "s3cret:x")]
    users = tmp_path / "users.txt"
    users.write_text("# analysts\nana:one\n\nben:two\n", encoding="utf-8")
    assert parse_auth(str(users)) == [("ana", "one"), ("ben", "two")]


def test_malformed_lines_stop_the_app_with_one_line(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text("no-colon-here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="expected 'user:password'"):
        parse_auth(str(users))
    users.write_text("# nobody\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="names no user"):
        parse_auth(str(users))
