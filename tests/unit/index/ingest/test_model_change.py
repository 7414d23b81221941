"""Changing the embedding model builds a new collection, carries every document over,
and switches to it only when complete.

The "new model" is the same MiniLM under another model id (a stand-in named as such):
no second offline embedding model ships, and what is tested is the collection switch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, ModelMismatchError, Settings
from index.store import chroma as store_module
from index.store import collection as collection_module
from index.store.chroma import MINILM, ActivePointers, EmbeddingSpec
from index.store.collection import Collection

RENAMED_MINILM = EmbeddingSpec("stand-in:minilm-renamed", MINILM.dimension, "minilm2")


def _docs(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.md").write_text(
            f"---\ntitle: {name} opens a battery plant\ndate: 2025-03-01\n---\n"
            f"The company {name} opened a battery cell plant with 20 GWh of annual capacity.\n"
        )
    return folder


def test_model_change_rebuilds_everything_and_switches_when_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(home=tmp_path / "home")
    first = Assistant(settings).index([_docs(tmp_path / "a", ["Alpha", "Bravo", "Charlie"])])
    assert first.added == 3
    old_physical = ActivePointers(settings.store.home).read()["evchat"]

    monkeypatch.setattr(store_module, "embedding_spec", lambda s: RENAMED_MINILM)
    monkeypatch.setattr(collection_module, "embedding_spec", lambda s: RENAMED_MINILM)
    report = Assistant(settings).index([_docs(tmp_path / "b", ["Delta"])])

    new = Collection.open_for_read(settings)
    assert new.physical != old_physical
    assert ActivePointers(settings.store.home).read()["evchat"] == new.physical
    assert set(new.manifest.documents()) == {"Alpha.md", "Bravo.md", "Charlie.md", "Delta.md"}
    assert report.embedded == len(new.manifest.chunk_ids())  # all re-embedded
    assert new.store.existing_ids() == new.manifest.chunk_ids() == set(new.bm25().chunk_ids)

    monkeypatch.undo()
    with pytest.raises(ModelMismatchError):
        Collection.open_for_read(settings)
