"""The web app's login: ``EVCHAT_AUTH`` as ``user:password`` or a file of such lines."""

from __future__ import annotations

from pathlib import Path


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``user:password`` or a path to a file of such lines → credential pairs (None: no
    login). A malformed value stops the app with one clear line."""
    if not value:
        return None
    lines: list[str]
    candidate = Path(value).expanduser()
    if ":" not in value or candidate.is_file():
        lines = candidate.read_text(encoding="utf-8").splitlines()
    else:
        lines = [value]
    pairs = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user:
            raise SystemExit(f"EVCHAT_AUTH: expected 'user:password', got {line!r}")
        pairs.append((user, password))
    if not pairs:
        raise SystemExit("EVCHAT_AUTH names no user")
    return pairs
