"""Named collections: listing, create, rename, delete, and finishing an interrupted change."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from assistant.settings import Settings
from index.errors import BadInputError, StoreUnavailableError
from index.ingest.pipeline import reindex
from index.store.catalog import Catalog
from index.store.chroma import ActivePointers, make_client
from index.store.collection import Collection
from tests.fixtures.corpus import write_corpus
from tests.fixtures.store_checks import assert_in_step


def index_into(settings: Settings, name: str, folder: Path, n: int, seed: int = 0) -> None:
    write_corpus(folder, n, seed=seed, paragraphs=1, sentences=3)
    report = reindex([folder], settings, collection=name, show_progress=False)
    assert report.documents == n and not report.failed


def chroma_names(settings: Settings) -> set[str]:
    return {c.name for c in make_client(settings).list_collections()}


def test_collections_are_listed_with_their_counts(settings: Settings, tmp_path: Path) -> None:
    index_into(settings, "alpha", tmp_path / "a", 3)
    Catalog(settings).create("beta")
    summaries = {s.name: s for s in Catalog(settings).summaries()}
    assert sorted(summaries) == ["alpha", "beta"]
    assert summaries["alpha"].documents == 3 and summaries["alpha"].chunks >= 3
    assert summaries["alpha"].last_indexed is not None
    assert (summaries["beta"].documents, summaries["beta"].chunks) == (0, 0)
    assert ActivePointers(settings.store.home).read()["beta"] == "beta--minilm"


def test_create_refuses_an_existing_or_invalid_name(settings: Settings) -> None:
    Catalog(settings).create("reports")
    with pytest.raises(BadInputError, match="already exists"):
        Catalog(settings).create("reports")
    with pytest.raises(BadInputError, match="not valid"):
        Catalog(settings).create("a/b")


def test_rename_keeps_documents_vectors_and_bm25(settings: Settings, tmp_path: Path) -> None:
    index_into(settings, "alpha", tmp_path / "a", 3)
    before = Collection.open_for_read(settings, "alpha").manifest.chunk_ids()
    Catalog(settings).rename("alpha", "gamma")
    assert Catalog(settings).names() == ["gamma"]
    assert ActivePointers(settings.store.home).read() == {"gamma": "gamma--minilm"}
    assert "alpha--minilm" not in chroma_names(settings)
    assert not (settings.store.home / "collections" / "alpha--minilm").exists()
    col = assert_in_step(settings, "gamma")
    assert col.manifest.chunk_ids() == before
    assert col.bm25().search("charging network", 3)  # the BM25 index came along


def test_rename_refuses_unknown_taken_and_invalid_names(settings: Settings) -> None:
    Catalog(settings).create("alpha")
    Catalog(settings).create("beta")
    with pytest.raises(BadInputError, match="no collection"):
        Catalog(settings).rename("nope", "other")
    with pytest.raises(BadInputError, match="already exists"):
        Catalog(settings).rename("alpha", "beta")
    with pytest.raises(BadInputError, match="not valid"):
        Catalog(settings).rename("alpha", "x")
    assert Catalog(settings).names() == ["alpha", "beta"]


def test_delete_removes_vectors_manifest_and_pointer(settings: Settings, tmp_path: Path) -> None:
    index_into(settings, "alpha", tmp_path / "a", 2)
    index_into(settings, "beta", tmp_path / "b", 2, seed=1)
    Catalog(settings).delete("alpha")
    assert Catalog(settings).names() == ["beta"]
    assert "alpha--minilm" not in chroma_names(settings)
    assert not (settings.store.home / "collections" / "alpha--minilm").exists()
    assert "alpha" not in ActivePointers(settings.store.home).read()
    assert_in_step(settings, "beta")  # the other collection is untouched
    with pytest.raises(BadInputError, match="no collection"):
        Catalog(settings).delete("alpha")


def test_a_deleted_name_can_be_indexed_again_from_scratch(
    settings: Settings, tmp_path: Path
) -> None:
    index_into(settings, "alpha", tmp_path / "a", 3)
    Catalog(settings).delete("alpha")
    index_into(settings, "alpha", tmp_path / "b", 2, seed=5)
    col = assert_in_step(settings, "alpha")
    assert len(col.manifest.documents()) == 2


def test_a_rename_killed_after_its_chroma_step_is_finished_by_the_next_call(
    settings: Settings, tmp_path: Path
) -> None:
    index_into(settings, "alpha", tmp_path / "a", 2)
    catalog = Catalog(settings)
    job = {
        "op": "rename",
        "old": "alpha",
        "new": "delta",
        "moves": [["alpha--minilm", "delta--minilm"]],
    }
    catalog.journal.write_text(json.dumps(job))
    catalog.client.get_collection("alpha--minilm").modify(name="delta--minilm")  # then "killed"
    assert Catalog(settings).names() == ["delta"]
    assert not catalog.journal.exists()
    assert_in_step(settings, "delta")


def test_a_delete_killed_half_way_is_finished_by_the_next_index_run(
    settings: Settings, tmp_path: Path
) -> None:
    index_into(settings, "alpha", tmp_path / "a", 2)
    catalog = Catalog(settings)
    catalog.journal.write_text(
        json.dumps({"op": "delete", "name": "alpha", "physicals": ["alpha--minilm"]})
    )
    ActivePointers(settings.store.home).remove("alpha")  # the first step, then "killed"
    index_into(settings, "beta", tmp_path / "b", 1, seed=2)  # any write finishes it
    assert not catalog.journal.exists()
    assert "alpha--minilm" not in chroma_names(settings)
    assert Catalog(settings).names() == ["beta"]


def test_pointer_changes_from_many_threads_are_all_kept(settings: Settings) -> None:
    pointers = ActivePointers(settings.store.home)

    def point(i: int) -> None:
        pointers.set(f"c{i:02d}", f"c{i:02d}--minilm")

    threads = [threading.Thread(target=point, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(pointers.read()) == 16


class ChromaDownOnDelete:
    """Fake, to stage a fault: a Chroma client whose delete_collection fails (as when the
    server goes away); everything else is the real client."""

    def __init__(self, real: object) -> None:
        self.real = real

    def delete_collection(self, name: str) -> None:
        raise ConnectionError("Could not connect to a Chroma server")

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def test_a_delete_whose_chroma_step_fails_is_one_error_and_finished_later(
    settings: Settings, tmp_path: Path
) -> None:
    index_into(settings, "alpha", tmp_path / "a", 2)
    failing = Catalog(settings, client=ChromaDownOnDelete(make_client(settings)))
    with pytest.raises(StoreUnavailableError, match="finished by the next") as err:
        failing.delete("alpha")
    assert "\n" not in str(err.value) and failing.journal.exists()
    assert Catalog(settings).names() == []  # the next call finishes the delete
    assert "alpha--minilm" not in chroma_names(settings) and not failing.journal.exists()
