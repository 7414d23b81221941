"""The MCP tools' error guard: a user's mistake is its one sentence, a bug only its log id."""

from __future__ import annotations

import logging

import pytest
from mcp.server.mcpserver.exceptions import ToolError

from assistant.errors import BadInputError
from assistant.mcp import _guard


def test_a_user_error_is_its_own_sentence() -> None:
    def bad() -> None:
        raise BadInputError("k (passages per answer) must be a whole number from 1 to 50.")

    with pytest.raises(ToolError, match=r"^k \(passages per answer\) must be a whole number"):
        _guard(bad)


def test_a_bug_shows_only_its_log_id(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        raise TypeError("TextEncodeInput must be Union[internal detail]")

    with caplog.at_level(logging.ERROR, logger="evchat"), pytest.raises(ToolError) as err:
        _guard(broken)
    shown = str(err.value)
    assert shown.startswith("Something went wrong (logged as ") and "TextEncodeInput" not in shown
    ident = shown.removeprefix("Something went wrong (logged as ").removesuffix(").")
    assert any(ident in r.getMessage() and r.exc_info for r in caplog.records)
