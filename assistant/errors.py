"""User-facing errors. Their messages are one clear sentence, safe to show in the CLI and UI.

The write path raises the same classes (re-exported from ``index.errors``) so that a user
error is one type wherever it comes from.
"""

from index.errors import (
    BadInputError,
    EvchatError,
    ModelMismatchError,
    StoreUnavailableError,
)

__all__ = [
    "BadInputError",
    "DocumentFileError",
    "EvchatError",
    "HistoryUnavailableError",
    "LLMError",
    "LLMStreamCutError",
    "ModelMismatchError",
    "StoreUnavailableError",
]


class LLMError(EvchatError):
    """The chat model could not be reached or kept failing after retries."""


class LLMStreamCutError(LLMError):
    """The model's stream broke in the middle; ``partial`` holds what had arrived."""

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial


class HistoryUnavailableError(EvchatError):
    """The conversation history cannot be read or written (corrupt, locked, read-only).

    Answers do not depend on it: a conversation keeps answering and says, in one line,
    that its turns are not being saved.
    """


class DocumentFileError(EvchatError):
    """A document's original file cannot be handed out: the id is unknown, the document
    is a web article, its file lies outside the collection's uploads (a link pointing out
    of them included), or the file is gone. The message says which, in one line."""
