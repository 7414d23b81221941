"""reindex(): discover → load → diff against the manifest → chunk → embed → write → report.

Crash safety comes from the order of writes: new chunks are upserted into Chroma first
(their ids are derived from the content, so a repeat is harmless and already-present
chunks are not embedded again), then the manifest records the document's new chunks in
one transaction, then the old chunks are deleted. A run that is killed leaves at worst
chunks the manifest does not know; the next run deletes them (it finds the ``dirty``
mark the killed run left) and rebuilds BM25, so the result equals a clean build.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Collection as Collection_
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from index.embed.factory import ArrayEmbedder, make_embedder
from index.errors import StoreUnavailableError
from index.ingest.chunking import chunk_document, chunker_version, context_prefix
from index.ingest.isolation import ChunkPlan, FileFailure, Prepared, isolated_loader
from index.ingest.loaders import SourceFile, content_hash, discover
from index.ingest.stages import Stages
from index.ingest.unchanged_files import FileTracker
from index.ingest.unchanged_files import split as split_unchanged
from index.ingest.unchanged_files import version as files_version
from index.settings import IndexSettings
from index.store.chroma import ActivePointers
from index.store.collection import Collection
from index.store.manifest import ChunkRow, DocumentRecord, FileRecord, Manifest, ManifestEntry
from index.types import Chunk, FailedFile, IndexReport, LoadedDocument

ProgressFn = Callable[[int, int, str], None]  # (files done, files total, message)
# Chunks per batch handed to the background stages. Each batch is sorted by length before
# it is cut into model batches, so a bigger one pads less: on the dev set 512 pads 1% over
# the token count, 128 pads 6% and cost 12% more ONNX CPU (benchmarks/RESULTS-ingest.md).
# The first batch is small so the cores start while the rest is read. The progress bar
# counts documents read and runs at most three batches ahead of what is written.
FLUSH_CHUNKS = 512
FIRST_FLUSH_CHUNKS = 64


@dataclass
class _Pending:
    doc: LoadedDocument
    origin: str
    content_hash: str
    chunks: list[Chunk]
    is_new: bool
    chunker: str | None = None  # None: this run's chunker made the chunks


# A batch once embedded: its documents, the chunks that needed embedding, their vectors.
_Embedded = tuple[list[_Pending], list[Chunk], np.ndarray]


class _Run:
    """State of one re-index run."""

    def __init__(self, col: Collection, embedder: ArrayEmbedder, report: IndexReport) -> None:
        self.col = col
        self.embedder = embedder
        self.report = report
        self.known: dict[str, DocumentRecord] = col.manifest.documents()
        self.seen: set[str] = set()
        self.pending: list[_Pending] = []
        self.pending_chunks = 0
        self.flushed = 0  # batches handed to the stages so far
        self.changed = False
        self.stages: Stages[list[_Pending], _Embedded] | None = None  # from the first document
        s = col.settings
        self.chunker = chunker_version(s.ingest.chunk_tokens, s.ingest.chunk_overlap_tokens)

    def consider(
        self,
        doc: LoadedDocument,
        origin: str,
        digest: str | None = None,
        chunks: list[Chunk] | None = None,
    ) -> None:
        """Queue ``doc`` unless it is indexed as it is; ``digest`` and ``chunks`` may come
        ready-made from the loading worker (``chunks`` None: chunk it here if needed)."""
        if doc.doc_id in self.seen:
            self.report.failed.append(FailedFile(doc.doc_id, "duplicate doc_id; first one kept"))
            return
        self.seen.add(doc.doc_id)
        digest = digest or content_hash(doc.text)
        rec = self.known.get(doc.doc_id)
        if (
            rec
            and rec.content_hash == digest
            and rec.chunker_version == self.chunker
            and rec.model_id == self.col.spec.model_id
        ):
            self.report.unchanged += 1
            return
        s = self.col.settings
        if chunks is None:
            chunks = chunk_document(
                doc, digest, s.ingest.chunk_tokens, s.ingest.chunk_overlap_tokens
            )
        if not chunks:
            self.report.failed.append(FailedFile(origin, "no text to index"))
            return
        self.add(_Pending(doc, origin, digest, chunks, rec is None))

    def skip_files(self, files: Sequence[FileRecord]) -> None:
        """Count the documents of files unchanged since they were indexed whole."""
        for rec in files:
            self.seen.update(rec.doc_ids)
            self.report.unchanged += len(rec.doc_ids)

    def add(self, pending: _Pending) -> None:
        """Queue a document's chunks; hand a batch to the background stages once enough
        have gathered (this thread goes on loading while they embed and write)."""
        if self.stages is None:
            self.stages = Stages(self._embed, self._write)
            warm_up = getattr(self.embedder, "warm_up", None)
            if warm_up is not None:
                self.stages.before(warm_up)  # the model loads while documents are read
        self.pending.append(pending)
        self.pending_chunks += len(pending.chunks)
        if self.pending_chunks >= (
            FLUSH_CHUNKS if self.flushed else min(FIRST_FLUSH_CHUNKS, FLUSH_CHUNKS)
        ):
            self.flush(wait=False)

    def flush(self, wait: bool = True) -> None:
        """Submit the pending documents; with ``wait``, return once everything submitted
        so far is written (and raise the first failure of the background stages)."""
        if self.pending:
            assert self.stages is not None
            batch = list(self.pending)
            self.pending.clear()
            self.pending_chunks = 0
            self.flushed += 1
            self.stages.submit(batch)
        if wait and self.stages is not None:
            stages, self.stages = self.stages, None
            try:
                stages.drain()
            finally:
                stages.close()  # its threads end now; a later add() starts new ones

    def _embed(self, batch: list[_Pending]) -> _Embedded:
        """Embed stage: the batch's chunks that Chroma does not hold yet."""
        wanted = [c for p in batch for c in p.chunks]
        present = self.col.store.existing_ids([c.chunk_id for c in wanted])
        todo = [c for c in wanted if c.chunk_id not in present]
        return batch, todo, self.embedder.embed_array([c.embed_text for c in todo])

    def _write(self, embedded: _Embedded) -> None:
        """Write stage, in the crash-safe order: Chroma upsert, manifest, old chunks."""
        batch, todo, vectors = embedded
        store, manifest = self.col.store, self.col.manifest
        todo_ids = {c.chunk_id for c in todo}
        # Same order as ``todo``, so row i of ``vectors`` belongs to item i.
        items = [(p.doc, c) for p in batch for c in p.chunks if c.chunk_id in todo_ids]
        store.upsert(items, vectors)
        old: set[str] = set()
        for p in batch:
            old |= manifest.chunk_ids(p.doc.doc_id) - {c.chunk_id for c in p.chunks}
        manifest.put_documents(
            [
                ManifestEntry(
                    p.doc, p.origin, p.content_hash, p.chunker or self.chunker,
                    self.col.spec.model_id, p.chunks,
                )
                for p in batch
            ]
        )  # fmt: skip
        store.delete(sorted(old))
        self.report.added += sum(p.is_new for p in batch)
        self.report.updated += sum(not p.is_new for p in batch)
        self.report.embedded += len(todo)
        self.changed = True


def reindex(
    paths: Sequence[str | Path],
    settings: IndexSettings | None = None,
    *,
    collection: str | None = None,
    prune: bool = False,
    show_progress: bool = True,
    on_progress: ProgressFn | None = None,
    embedder: ArrayEmbedder | None = None,
    only: Collection_[str | Path] | None = None,
    stop: Callable[[], bool] | None = None,
) -> IndexReport:
    """Bring the collection in step with ``paths``: add new, replace changed, keep unchanged.

    With ``prune``, documents indexed earlier from under these paths that are gone now
    are deleted. Files that cannot be read are listed in ``report.failed`` and skipped.
    ``only`` restricts the run to these files among those found under ``paths`` (a watched
    folder's changes), keeping their doc ids relative to the folder; it excludes ``prune``.
    ``stop`` is polled while files load: once it returns True, what was loaded is written,
    the rest is left for the next run (no pruning) and ``report.interrupted`` is set.
    """
    settings = settings or IndexSettings()
    started = time.monotonic()
    report = IndexReport()
    isolated_loader(settings.ingest).prestart()  # its imports overlap opening the store
    sources, failed = discover(paths)
    if only is not None:
        wanted = {os.path.abspath(p) for p in only}
        sources = [src for src in sources if os.path.abspath(src.path) in wanted]
        failed, prune = [f for f in failed if os.path.abspath(f.path) in wanted], False
    report.failed.extend(failed)
    col = Collection.open_for_write(settings, collection)
    with col.write_lock():
        run = _Run(col, embedder or make_embedder(settings), report)
        recovering = col.manifest.get_meta("dirty") is not None
        col.manifest.set_meta("dirty", "1")
        current = files_version(run.chunker, col.spec.model_id)
        to_load, skipped = split_unchanged(sources, col.manifest.files(), run.known, current)
        run.skip_files(skipped)
        tracker = FileTracker(current)
        tracker.before(to_load)
        failed_files = _load_all(run, to_load, settings, show_progress, on_progress, stop, tracker)
        run.flush()
        col.manifest.put_files(tracker.records(to_load))  # their documents are written now
        if not report.interrupted:
            _carry_over(run, settings)
            if prune:
                _prune(run, paths, sources, failed_files)
        if recovering:
            _delete_orphans(col)
        if run.changed or recovering or not (col.bm25_folder / "rows.json").exists():
            col.rebuild_bm25()
        col.manifest.set_meta("dirty", None)
        if not report.interrupted or _active_or_first(col, settings):
            col.activate()  # an interrupted model switch stays on the old collection
    report.documents, report.chunks = col.manifest.counts()
    report.seconds = time.monotonic() - started
    return report


def index_documents(
    documents: Iterable[tuple[LoadedDocument, str]],
    settings: IndexSettings | None = None,
    *,
    collection: str | None = None,
    embedder: ArrayEmbedder | None = None,
) -> IndexReport:
    """Index documents that are already loaded (feed articles), each with its origin.

    The same diff, write order and crash recovery as :func:`reindex`: a document whose
    doc id and content hash are already indexed embeds nothing; a changed one replaces its
    chunks. Nothing is pruned.
    """
    settings = settings or IndexSettings()
    started = time.monotonic()
    report = IndexReport()
    col = Collection.open_for_write(settings, collection)
    with col.write_lock():
        run = _Run(col, embedder or make_embedder(settings), report)
        recovering = col.manifest.get_meta("dirty") is not None
        col.manifest.set_meta("dirty", "1")
        for doc, origin in documents:
            run.consider(doc, origin)
        run.flush()
        _carry_over(run, settings)
        if recovering:
            _delete_orphans(col)
        if run.changed or recovering or not (col.bm25_folder / "rows.json").exists():
            col.rebuild_bm25()
        col.manifest.set_meta("dirty", None)
        col.activate()
    report.documents, report.chunks = col.manifest.counts()
    report.seconds = time.monotonic() - started
    return report


def _load_all(
    run: _Run,
    sources: list[SourceFile],
    settings: IndexSettings,
    show_progress: bool,
    on_progress: ProgressFn | None,
    stop: Callable[[], bool] | None,
    tracker: FileTracker,
) -> set[str]:
    """Load every source into the run; returns the paths of files that failed whole.

    Files are parsed and chunked by a worker process within the ingest budgets
    (``index.ingest.isolation``), so a file that hangs, exhausts memory or crashes a
    parser becomes one failed entry. Sets ``report.interrupted`` when ``stop`` ended it.
    """
    loader = isolated_loader(settings.ingest, _chunk_plan(run))
    failed_files: set[str] = set()
    # Progress in bytes of source text, so one big JSONL file shows a rate and an ETA too.
    bar = tqdm(
        total=sum(src.size for src in sources),
        unit="B",
        unit_scale=True,
        desc="Indexing",
        file=sys.stderr,
        disable=not show_progress,
        dynamic_ncols=True,
    )
    docs = done_in_file = 0
    with bar:
        for i, event in loader.run(sources, stop):
            src = sources[i]
            if isinstance(event, Prepared):
                failures = len(run.report.failed)
                _consider(run, event, src)
                tracker.document(i, event.doc.doc_id)
                if len(run.report.failed) > failures:
                    tracker.failed(i)  # e.g. a duplicate doc id: read it again next time
                docs += 1
                step = min(len(event.doc.text.encode()), src.size - done_in_file)
                done_in_file += step
                bar.update(step)
                bar.set_postfix(docs=docs, embedded=run.report.embedded, refresh=False)
            elif isinstance(event, FailedFile):
                run.report.failed.append(event)
                tracker.failed(i)
            elif isinstance(event, FileFailure):
                failed_files.add(src.origin)
                run.report.failed.append(FailedFile(src.origin, event.reason))
                tracker.failed(i)
            else:  # FileDone
                tracker.done(i)
                bar.update(src.size - done_in_file)
                done_in_file = 0
                if on_progress:
                    on_progress(i + 1, len(sources), src.doc_id)
    run.report.interrupted = bool(stop and stop())
    return failed_files


def _consider(run: _Run, item: Prepared, src: SourceFile) -> None:
    try:
        run.consider(item.doc, src.origin, item.digest, item.chunks)
    except OSError as exc:
        raise StoreUnavailableError(f"Indexing stopped: {exc.strerror or exc}.") from exc


def _chunk_plan(run: _Run) -> ChunkPlan:
    """What the worker needs to chunk like this run, skipping documents indexed as they are."""
    s = run.col.settings.ingest
    known = {
        rec.doc_id: rec.content_hash
        for rec in run.known.values()
        if rec.chunker_version == run.chunker and rec.model_id == run.col.spec.model_id
    }
    return ChunkPlan(s.chunk_tokens, s.chunk_overlap_tokens, known)


def _active_or_first(col: Collection, settings: IndexSettings) -> bool:
    active = ActivePointers(settings.store.home).read().get(col.name)
    return active is None or active == col.physical


def _prune(
    run: _Run, paths: Sequence[str | Path], sources: list[SourceFile], failed_files: set[str]
) -> None:
    """Delete documents that came from under ``paths`` and are no longer there."""
    roots = [Path(p).resolve() for p in paths]
    gone = [
        rec
        for rec in run.col.manifest.documents().values()
        if rec.doc_id not in run.seen
        and rec.origin not in failed_files
        and any(Path(rec.origin).is_relative_to(r) for r in roots)
    ]
    for rec in gone:
        _remove_document(run.col, rec.doc_id)
    run.report.removed += len(gone)
    run.changed = run.changed or bool(gone)


def _remove_document(col: Collection, doc_id: str) -> None:
    """Forget a document in the manifest, then delete its chunks from Chroma (a kill in
    between leaves orphans, which the next run's dirty-mark cleanup deletes)."""
    chunk_ids = col.manifest.chunk_ids(doc_id)
    col.manifest.delete_documents([doc_id])
    col.store.delete(sorted(chunk_ids))


def _delete_orphans(col: Collection) -> None:
    """Delete chunks a killed run wrote to Chroma that the manifest does not list."""
    orphans = col.store.existing_ids() - col.manifest.chunk_ids()
    col.store.delete(sorted(orphans))


def delete_documents(
    doc_ids: Sequence[str], settings: IndexSettings | None = None, *, collection: str | None = None
) -> int:
    """Delete documents (manifest, Chroma chunks, BM25) by id; returns how many existed."""
    settings = settings or IndexSettings()
    col = Collection.open_for_write(settings, collection)
    with col.write_lock():
        known = col.manifest.documents()
        ids = [d for d in doc_ids if d in known]
        col.manifest.set_meta("dirty", "1")  # a kill mid-way leaves orphans the next run deletes
        for doc_id in ids:
            _remove_document(col, doc_id)
        if ids:
            col.rebuild_bm25()
        col.manifest.set_meta("dirty", None)
    return len(ids)


def _carry_over(run: _Run, settings: IndexSettings) -> None:
    """After an embedding-model change, re-embed the documents of the collection that was
    active before and that this run did not index, so the switch loses nothing.

    Their stored chunk texts are reused as they are (the source files may not be among
    this run's paths); the new collection becomes active only when the run completes.
    """
    active = ActivePointers(settings.store.home).read().get(run.col.name)
    if not active or active == run.col.physical:
        return
    old = Manifest(settings.store.home / "collections" / active / "manifest.sqlite")
    done = run.seen | set(run.col.manifest.documents())
    rows_by_doc: dict[str, list[ChunkRow]] = {}
    for row in old.all_chunks():
        rows_by_doc.setdefault(row.doc_id, []).append(row)
    for rec in old.documents().values():
        if rec.doc_id in done:
            continue
        doc = LoadedDocument(
            doc_id=rec.doc_id, text="", title=rec.title, source=rec.source,
            published_at=rec.published_at, url=rec.url,
        )  # fmt: skip
        prefix = context_prefix(doc)
        chunks = [
            Chunk(r.chunk_id, r.doc_id, i, r.text, r.start, r.end, r.page, prefix + r.text)
            for i, r in enumerate(rows_by_doc.get(rec.doc_id, []))
        ]
        run.add(_Pending(doc, rec.origin, rec.content_hash, chunks, True, rec.chunker_version))
    run.flush()
