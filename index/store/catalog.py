"""The named collections of one ``EVCHAT_HOME``: list, create, rename and delete them.

A user-named collection ("reports") is stored in three places (see :mod:`.chroma`): one
physical Chroma collection per embedding model ("reports--minilm"), a folder per physical
collection under ``collections/`` (manifest and BM25 index), and its entry in
``active.json``. Renaming or deleting changes all three, so it is written to a journal
(``catalog-pending.json``) first and then done in idempotent steps; a run killed half-way
is finished by the next catalog call or the next index run of any collection, and never
leaves a collection half renamed or half deleted.

Only the store is touched here: what the read path keeps elsewhere (conversations, the
uploads folder) is the caller's to move.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from typing import Any

from index.errors import BadInputError, StoreUnavailableError
from index.settings import IndexSettings
from index.store.chroma import (
    ActivePointers,
    ChromaStore,
    check_collection_name,
    embedding_spec,
    make_client,
    physical_name,
)
from index.store.manifest import Manifest

_SEP = "--"  # between a collection's name and its model in a physical name
_JOURNAL = "catalog-pending.json"


@dataclass(frozen=True)
class CollectionSummary:
    """One named collection as listed: what its active physical collection holds."""

    name: str
    documents: int
    chunks: int
    last_indexed: float | None
    physical: str | None  # the physical collection it reads from (None: never indexed)


def _name_of(physical: str) -> str:
    return physical.rsplit(_SEP, 1)[0]


class Catalog:
    """The named collections under ``settings.store.home``."""

    def __init__(self, settings: IndexSettings, client: Any = None) -> None:
        self.settings = settings
        self.home = settings.store.home
        self.folders = self.home / "collections"
        self.journal = self.home / _JOURNAL
        self._client = client

    @property
    def client(self) -> Any:
        """The Chroma client (opened on first use)."""
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    # --- reading ---------------------------------------------------------------------
    def names(self) -> list[str]:
        """Every collection name, sorted (a name being renamed or deleted is finished first)."""
        self.finish_pending()
        return self._names()

    def _names(self) -> list[str]:
        names = set(ActivePointers(self.home).read())
        if self.folders.is_dir():
            names |= {
                _name_of(p.name)
                for p in self.folders.iterdir()
                if p.is_dir() and _SEP in p.name and not p.name.startswith(".")
            }
        return sorted(names)

    def exists(self, name: str) -> bool:
        """True when ``name`` is a collection of this home."""
        return name in self.names()

    def summaries(self) -> list[CollectionSummary]:
        """Every collection with its document and chunk counts."""
        pointers = ActivePointers(self.home).read()
        return [self._summary(name, pointers.get(name)) for name in self.names()]

    def _summary(self, name: str, physical: str | None) -> CollectionSummary:
        path = self.folders / (physical or "") / "manifest.sqlite"
        if physical is None or not path.is_file():
            return CollectionSummary(name, 0, 0, None, physical)
        try:  # read-only: listing must work on a read-only home too
            uri = f"file:{path}?mode=ro"
            with closing(sqlite3.connect(uri, uri=True, timeout=10)) as db:
                docs = db.execute("SELECT count(*) FROM documents").fetchone()[0]
                chunks = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
                row = db.execute("SELECT value FROM meta WHERE key='last_indexed'").fetchone()
        except sqlite3.Error:
            return CollectionSummary(name, 0, 0, None, physical)
        return CollectionSummary(
            name, int(docs), int(chunks), float(row[0]) if row else None, physical
        )

    def _physicals(self, name: str) -> list[str]:
        """The physical collections of ``name``: its folders and its active pointer."""
        found = set()
        if self.folders.is_dir():
            found = {
                p.name for p in self.folders.iterdir() if p.is_dir() and _name_of(p.name) == name
            }
        active = ActivePointers(self.home).read().get(name)
        if active:
            found.add(active)
        return sorted(found)

    # --- changing --------------------------------------------------------------------
    def create(self, name: str) -> CollectionSummary:
        """A new, empty collection for the configured embedding model."""
        name = check_collection_name(name)
        self.finish_pending()
        with self._locked():
            if name in self._names():
                raise BadInputError(f"A collection named {name!r} already exists.")
            spec = embedding_spec(self.settings)
            physical = physical_name(name, spec)
            ChromaStore(self.client, physical, spec)
            try:
                Manifest(self.folders / physical / "manifest.sqlite")
            except (OSError, sqlite3.Error) as exc:
                raise StoreUnavailableError(
                    f"Cannot create the collection folder in {self.folders} ({exc})."
                ) from exc
            ActivePointers(self.home).set(name, physical)
        return CollectionSummary(name, 0, 0, None, physical)

    def rename(self, old: str, new: str) -> None:
        """Give collection ``old`` the name ``new`` (its documents and vectors are kept)."""
        new = check_collection_name(new)
        self.finish_pending()
        with self._locked():
            names = self._names()
            if old not in names:
                raise BadInputError(f"There is no collection named {old!r}.")
            if new in names:
                raise BadInputError(f"A collection named {new!r} already exists.")
            physicals = self._physicals(old)
            moves = [[p, new + p[len(old) :]] for p in physicals]
            with self._writers_stopped(physicals):
                self._run({"op": "rename", "old": old, "new": new, "moves": moves})

    def delete(self, name: str) -> None:
        """Delete collection ``name``: its vectors, manifest, BM25 index and pointer."""
        self.finish_pending()
        with self._locked():
            if name not in self._names():
                raise BadInputError(f"There is no collection named {name!r}.")
            physicals = self._physicals(name)
            with self._writers_stopped(physicals):
                self._run({"op": "delete", "name": name, "physicals": physicals})

    def finish_pending(self) -> None:
        """Finish a rename or delete that a killed process left half done."""
        if not self.journal.exists():
            return
        with self._locked():
            try:
                job = json.loads(self.journal.read_text())
            except FileNotFoundError:
                return  # another process finished it while this one waited
            except ValueError:  # a journal cut while written: its operation never started
                self.journal.unlink(missing_ok=True)
                return
            self._steps(job)
            self.journal.unlink(missing_ok=True)

    # --- the journalled steps ----------------------------------------------------------
    def _run(self, job: dict[str, Any]) -> None:
        tmp = self.journal.with_name(self.journal.name + ".tmp")
        tmp.write_text(json.dumps(job))
        os.replace(tmp, self.journal)
        self._steps(job)
        self.journal.unlink(missing_ok=True)

    def _steps(self, job: dict[str, Any]) -> None:
        if job.get("op") == "rename":
            for old, new in job["moves"]:
                self._rename_physical(old, new)
            ActivePointers(self.home).rename(job["old"], job["new"])
        elif job.get("op") == "delete":
            ActivePointers(self.home).remove(job["name"])
            for physical in job["physicals"]:
                if self._chroma_collection(physical) is not None:
                    self._chroma("delete", lambda p=physical: self.client.delete_collection(p))
                shutil.rmtree(self.folders / physical, ignore_errors=True)

    def _chroma_collection(self, physical: str) -> Any:
        """The Chroma collection, or None when it is gone (a step done before a kill)."""
        from chromadb.errors import NotFoundError

        try:
            return self._chroma("open", lambda: self.client.get_collection(physical))
        except StoreUnavailableError as exc:
            if isinstance(exc.__cause__, NotFoundError):
                return None
            raise

    @staticmethod
    def _chroma(action: str, call: Any) -> Any:
        """Run a Chroma call; a failure (server gone, disk full) is one clear error, and
        the journal stays for the next call to finish the job."""
        try:
            return call()
        except Exception as exc:
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise StoreUnavailableError(
                f"Could not {action} a Chroma collection ({reason}); the change will be "
                "finished by the next collection command or index run."
            ) from exc

    def _rename_physical(self, old: str, new: str) -> None:
        found = self._chroma_collection(old)  # None: renamed by an earlier run of this step
        if found is not None:
            self._chroma("rename", lambda: found.modify(name=new))
        src, dst = self.folders / old, self.folders / new
        if src.exists() and not dst.exists():
            os.replace(src, dst)

    @contextmanager
    def _writers_stopped(self, physicals: list[str]) -> Iterator[None]:
        """Hold the write lock of each physical collection (an index run of it waits)."""
        with ExitStack() as stack:
            for physical in physicals:
                folder = self.folders / physical
                if folder.is_dir():
                    fh = stack.enter_context((folder / "write.lock").open("a"))
                    fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One catalog change at a time per home, across processes."""
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            fh = (self.home / "catalog.lock").open("a")
        except OSError as exc:
            raise StoreUnavailableError(
                f"Cannot write the index folder {self.home} ({exc})."
            ) from exc
        with fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
