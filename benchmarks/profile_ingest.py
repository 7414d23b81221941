"""Where ``reindex()`` spends CPU: thread CPU seconds per stage, wall time, idle cores.

The stages run on several threads (the caller reads and chunks, the embed stage
tokenizes and the ONNX sessions run in the embedder's pool, the write stage writes), so
each stage is timed with the CPU clock of the thread it runs on (``time.thread_time``),
which also keeps the figures meaningful on a loaded machine. ``idle`` is the core time
nobody used: wall seconds x cores - process CPU seconds.

Used by ``python -m benchmarks.ingest --profile``; installs its timers in the child
process that runs ``reindex()`` only.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

CPU: dict[str, float] = defaultdict(float)
_LOCK = threading.Lock()


def _add(name: str, seconds: float) -> None:
    with _LOCK:
        CPU[name] += seconds


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _add(name, time.thread_time() - t)

    return wrapper


def _timed_iter(name: str, fn: Callable[..., Any]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        it = iter(fn(*args, **kwargs))
        while True:
            t = time.thread_time()
            try:
                item = next(it)
            except StopIteration:
                _add(name, time.thread_time() - t)
                return
            _add(name, time.thread_time() - t)
            yield item

    return wrapper


def install() -> None:
    """Wrap the stages' functions with thread-CPU timers."""
    import index.ingest.pipeline as pipeline
    from index.embed.minilm import MiniLMEmbedder
    from index.store.chroma import ChromaStore
    from index.store.collection import Collection
    from index.store.manifest import Manifest

    pipeline.load = _timed_iter("load + clean (trafilatura, pypdf, …)", pipeline.load)
    pipeline.chunk_document = _timed("chunk (splitter + token counts)", pipeline.chunk_document)
    pipeline.content_hash = _timed("content hash", pipeline.content_hash)
    run_on = MiniLMEmbedder._run_on
    MiniLMEmbedder._run_on = staticmethod(_timed("embed: ONNX sessions + pooling", run_on))  # type: ignore[method-assign]
    MiniLMEmbedder.embed_array = _timed("embed: tokenize + dispatch", MiniLMEmbedder.embed_array)  # type: ignore[method-assign]
    MiniLMEmbedder.warm_up = _timed("model load (overlapped)", MiniLMEmbedder.warm_up)  # type: ignore[method-assign]
    ChromaStore.existing_ids = _timed("Chroma: existing ids", ChromaStore.existing_ids)  # type: ignore[method-assign]
    ChromaStore.upsert = _timed("Chroma: upsert (HNSW, SQLite, FTS)", ChromaStore.upsert)  # type: ignore[method-assign]
    ChromaStore.delete = _timed("Chroma: delete old chunks", ChromaStore.delete)  # type: ignore[method-assign]
    Manifest.put_documents = _timed("manifest: write", Manifest.put_documents)  # type: ignore[method-assign]
    Collection.rebuild_bm25 = _timed("BM25 rebuild", Collection.rebuild_bm25)  # type: ignore[method-assign]
    Collection.open_for_write = _timed("open collection (Chroma client)", Collection.open_for_write)  # type: ignore[method-assign]


def report(wall: float, cpu: float) -> dict[str, Any]:
    """The stage CPU seconds with the run's wall time, process CPU and idle core time."""
    cores = os.cpu_count() or 1
    return {
        "wall_s": wall,
        "process_cpu_s": cpu,
        "cores": cores,
        "idle_core_s": max(cores * wall - cpu, 0.0),
        "utilisation": cpu / (cores * wall) if wall else 0.0,
        "stages_cpu_s": dict(sorted(CPU.items(), key=lambda kv: -kv[1])),
    }
