"""What every chat model is: a list of ``{"role", "content"}`` messages in, text out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

Messages = list[dict[str, str]]


class ChatModel(Protocol):
    """A chat model: a list of ``{"role", "content"}`` messages in, text out."""

    def stream(self, messages: Messages) -> Iterator[str]:
        """Yield the answer as text deltas."""
        ...

    def complete(self, messages: Messages) -> str:
        """Return the whole answer."""
        ...
