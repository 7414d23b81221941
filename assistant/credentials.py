"""``EVCHAT_AUTH``: ``user:password``, or the path of a file of such lines (``#`` comments
and blank lines skipped). Read in one place for the web app's login and the MCP server's
HTTP Basic authentication."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import EvchatError


def parse_credentials(value: str | None) -> list[tuple[str, str]]:
    """The ``(user, password)`` pairs of ``value`` ([] when unset); a malformed value or
    an unreadable file is an ``EvchatError`` with one sentence."""
    if not value:
        return []
    candidate = Path(value).expanduser()
    if ":" in value and not candidate.is_file():
        lines = [value]
    else:
        try:
            lines = candidate.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or "not a UTF-8 text file"
            raise EvchatError(
                f"EVCHAT_AUTH: expected 'user:password' or a readable file of such lines; "
                f"cannot read {value!r} ({why})."
            ) from None
    pairs = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            user, sep, password = line.partition(":")
            if not sep or not user:
                raise EvchatError(f"EVCHAT_AUTH: expected 'user:password', got {line!r}.")
            pairs.append((user, password))
    if not pairs:
        raise EvchatError("EVCHAT_AUTH names no user.")
    return pairs
