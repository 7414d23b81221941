"""Shared test set-up: no network beyond loopback, no model downloads.

Fixtures that start real services live in ``tests/fixtures/`` (one module per service)
and are registered here as plugins.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# The embedder's rewritten graph is cached here, not in the user's ~/.cache.
os.environ["XDG_CACHE_HOME"] = str(Path(__file__).resolve().parent / "artifacts" / "cache")
for _var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
    os.environ.pop(_var, None)  # tests opt in to an LLM explicitly

pytest_plugins = [
    "tests.fixtures.llm",
    "tests.fixtures.chroma",
    "tests.fixtures.corpus",
    "tests.fixtures.app",
    "tests.fixtures.indexed",
    "tests.fixtures.feeds",
    "tests.fixtures.workspace",
    "tests.fixtures.browser",
]

_LOOPBACK = ("127.", "::1", "localhost")
_real_connect = socket.socket.connect


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        return host.startswith(_LOOPBACK) or host in ("", "0.0.0.0")
    return True  # AF_UNIX paths


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
        raise OSError(f"tests may not open outbound connections (to {address!r})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def block_outbound_network() -> Iterator[None]:
    """Fail any socket connection that is not to loopback: nothing may download."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
