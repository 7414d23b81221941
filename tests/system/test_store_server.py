"""The write path against a real Chroma server (``chroma run``) instead of the embedded store."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from assistant.settings import Settings
from index.errors import StoreUnavailableError
from index.ingest.pipeline import reindex
from index.store.chroma import make_client
from index.store.collection import Collection
from tests.conftest import free_port
from tests.fixtures.store_checks import assert_in_step

pytestmark = pytest.mark.server


def server_settings(tmp_path: Path, host: str, port: int) -> Settings:
    # The server lives for the whole session: give each test its own collection name.
    name = f"srv-{uuid.uuid4().hex[:10]}"
    return Settings(home=tmp_path / "home", chroma_host=host, chroma_port=port, collection=name)


def test_reindex_writes_to_the_chroma_server(
    chroma_server: tuple[str, int], small_corpus: Path, tmp_path: Path
) -> None:
    settings = server_settings(tmp_path, *chroma_server)
    assert settings.store.uses_chroma_server

    first = reindex([small_corpus], settings, show_progress=False)
    assert (first.added, first.failed) == (5, [])
    assert first.embedded == first.chunks > 0
    col = assert_in_step(settings)
    assert col.store.count() == first.chunks
    assert not (settings.store.home / "chroma").exists(), "the embedded store was used instead"

    # Another client of the same server sees the collection and its chunks.
    client = make_client(settings)
    remote = client.get_collection(f"{settings.store.collection}--minilm")
    assert set(remote.get(include=[])["ids"]) == col.manifest.chunk_ids()

    second = reindex([small_corpus], settings, show_progress=False)
    assert second.embedded == 0 and second.unchanged == 5
    assert assert_in_step(settings).store.existing_ids() == col.manifest.chunk_ids()


def test_pruning_on_the_server_deletes_the_chunks_there(
    chroma_server: tuple[str, int], small_corpus: Path, tmp_path: Path
) -> None:
    settings = server_settings(tmp_path, *chroma_server)
    reindex([small_corpus], settings, show_progress=False)
    gone = Collection.open_for_write(settings).manifest.chunk_ids("doc-003.md")
    (small_corpus / "doc-003.md").unlink()
    report = reindex([small_corpus], settings, prune=True, show_progress=False)
    assert report.removed == 1
    assert not gone & assert_in_step(settings).store.existing_ids()


def test_a_server_that_is_not_running_gives_store_unavailable_naming_host_and_port(
    tmp_path: Path, small_corpus: Path
) -> None:
    port = free_port()
    settings = Settings(home=tmp_path / "home", chroma_host="127.0.0.1", chroma_port=port)
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError, match=f"127.0.0.1:{port}") as excinfo:
        make_client(settings)
    assert "cannot be reached" in str(excinfo.value)
    with pytest.raises(StoreUnavailableError, match=f"127.0.0.1:{port}"):
        reindex([small_corpus], settings, show_progress=False)
    assert time.monotonic() - started < 30
