"""Helpers shared by the ``evchat`` sub-commands."""

from __future__ import annotations

import argparse

from assistant.assistant import Assistant
from assistant.settings import Settings


def assistant_for(args: argparse.Namespace) -> Assistant:
    """The Assistant for a command's ``--collection`` (default: ``EVCHAT_COLLECTION``)."""
    return Assistant(Settings(), collection=getattr(args, "collection", None))


def add_collection(p: argparse.ArgumentParser) -> None:
    """The ``--collection`` option every command that reads or writes an index takes."""
    p.add_argument("--collection", help="collection name (default: EVCHAT_COLLECTION or evchat)")
