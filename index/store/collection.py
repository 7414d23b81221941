"""A collection as both paths see it: Chroma vectors + manifest + BM25, for one model.

``open_for_write`` opens (or creates) the physical collection of the configured embedding
model; ``open_for_read`` opens the one the name currently points at and refuses, with a
clear message, one built by another model.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import BadInputError, ModelMismatchError, StoreUnavailableError
from index.settings import IndexSettings
from index.store import bm25 as bm25_index
from index.store.bm25 import BM25Index
from index.store.catalog import Catalog
from index.store.chroma import (
    ActivePointers,
    ChromaStore,
    EmbeddingSpec,
    check_collection_name,
    embedding_spec,
    make_client,
    physical_name,
)
from index.store.manifest import Manifest


@dataclass
class Collection:
    """Everything stored for one physical collection."""

    settings: IndexSettings
    name: str
    physical: str
    spec: EmbeddingSpec
    store: ChromaStore
    manifest: Manifest
    folder: Path
    _bm25: BM25Index | None = field(default=None, repr=False)
    _bm25_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open_for_write(
        cls, settings: IndexSettings, name: str | None = None, client: Any = None
    ) -> Collection:
        """The collection the configured embedding model writes to (created if needed).

        A rename or delete that a killed process left half done is finished first, so a
        write never lands in a collection that is on its way out.
        """
        name = check_collection_name(name or settings.store.collection)
        Catalog(settings, client).finish_pending()
        spec = embedding_spec(settings)
        return cls._open(settings, name, physical_name(name, spec), spec, client)

    @classmethod
    def open_for_read(
        cls, settings: IndexSettings, name: str | None = None, client: Any = None
    ) -> Collection:
        """The collection ``name`` points at; refused if built with another model.

        A name other than the configured default must exist (be created or indexed into)
        first, so a mistyped name is an error instead of a new, empty collection.
        """
        name = check_collection_name(name or settings.store.collection)
        if name != settings.store.collection and not Catalog(settings, client).exists(name):
            raise BadInputError(
                f"There is no collection {name!r}; create it, or index documents into it first."
            )
        spec = embedding_spec(settings)
        active = ActivePointers(settings.store.home).read().get(name)
        wanted = physical_name(name, spec)
        if active and active != wanted:
            raise ModelMismatchError(
                f"Collection {name!r} was built with another embedding model "
                f"({active.split('--')[-1]}) than the configured {spec.model_id}; "
                "run `evchat index` to rebuild it."
            )
        return cls._open(settings, name, wanted, spec, client)

    @classmethod
    def _open(
        cls, settings: IndexSettings, name: str, physical: str, spec: EmbeddingSpec, client: Any
    ) -> Collection:
        folder = settings.store.home / "collections" / physical
        try:
            manifest = Manifest(folder / "manifest.sqlite")
        except OSError as exc:
            raise StoreUnavailableError(f"Cannot write the index folder {folder} ({exc}).") from exc
        except Exception as exc:  # sqlite3 errors: read-only or full disk
            raise StoreUnavailableError(f"Cannot open the manifest in {folder} ({exc}).") from exc
        store = ChromaStore(client or make_client(settings), physical, spec)
        return cls(settings, name, physical, spec, store, manifest, folder)

    def activate(self) -> None:
        """Make this physical collection the one ``name`` reads from."""
        ActivePointers(self.settings.store.home).set(self.name, self.physical)

    @property
    def bm25_folder(self) -> Path:
        """Where the BM25 index is saved."""
        return self.folder / "bm25"

    def bm25(self) -> BM25Index:
        """The BM25 index, reloaded whenever the manifest has changed since it was loaded."""
        generation = self.manifest.generation()
        with self._bm25_lock:
            if self._bm25 is None or self._bm25.generation != generation:
                self._bm25 = bm25_index.load(self.manifest, self.bm25_folder)
            return self._bm25

    def rebuild_bm25(self) -> None:
        """Rebuild the BM25 index from the manifest (after a write)."""
        with self._bm25_lock:
            self._bm25 = bm25_index.build(self.manifest, self.bm25_folder)

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time per collection, across processes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "write.lock").open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
