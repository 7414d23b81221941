"""The ``[n]`` citation marker: the one module that writes, parses and defuses it.

An answer's text carries ``[n]`` after each sentence, ``n`` being the number of a
:class:`~assistant.types.Citation`. Everything else (the verifier, the web page, the
evaluation) goes through these functions, so the marker's form is defined once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKER_WITH_SPACE = re.compile(r"\s*\[\d{1,3}\]")
_PARTIAL_MARKER = re.compile(r"\[\d{0,3}$")


def marker(n: int) -> str:
    """The marker of citation ``n``: ``[n]``."""
    return f"[{n}]"


def with_markers(text: str, numbers: Iterable[int]) -> str:
    """``text`` followed by the markers of ``numbers``: ``"… [1] [2]"``."""
    return text + "".join(f" {marker(n)}" for n in numbers)


def strip_markers(text: str) -> str:
    """``text`` without ``[n]`` citation markers."""
    return _MARKER_WITH_SPACE.sub("", text).strip()


def marker_numbers(text: str) -> list[int]:
    """The numbers of the ``[n]`` markers in ``text``, in order."""
    return [int(n) for n in _MARKER.findall(text)]


def replace_markers(text: str, render: Callable[[int], str]) -> str:
    """``text`` with every ``[n]`` replaced by ``render(n)`` (e.g. a link)."""
    return _MARKER.sub(lambda m: render(int(m.group(1))), text)


def defuse_markers(text: str) -> str:
    """Turn ``[n]`` look-alikes in document text into ``(n)``: they never read as citations."""
    return _MARKER.sub(r"(\1)", text)


class MarkerStream:
    """Holds back a trailing partial marker (``[``, ``[1``) until it is complete.

    Markers naming a passage that does not exist are removed, so a stream never shows a
    half marker or a citation that cannot be resolved.
    """

    def __init__(self, n_passages: int) -> None:
        self.n_passages = n_passages
        self._held = ""

    def feed(self, delta: str) -> str:
        """Text safe to show now."""
        text = self._held + delta
        m = _PARTIAL_MARKER.search(text)
        self._held = text[m.start() :] if m else ""
        return self._clean(text[: m.start()] if m else text)

    def flush(self) -> str:
        """Whatever was held back, at the end of the stream."""
        text, self._held = self._held, ""
        return self._clean(text)

    def _clean(self, text: str) -> str:
        return replace_markers(text, lambda n: marker(n) if 1 <= n <= self.n_passages else "")
