"""Errors of the write path whose messages are safe to show to a user."""


class EvchatError(Exception):
    """Base class of every error whose message is meant for the user."""


class BadInputError(EvchatError, ValueError):
    """A file, path or argument the user gave cannot be used (also a ``ValueError``, the
    type Python code expects for a bad argument)."""


class ModelMismatchError(EvchatError):
    """A collection was built with another embedding model than the one configured."""


class StoreUnavailableError(EvchatError):
    """The Chroma store cannot be reached or written (server down, disk full, read-only)."""
