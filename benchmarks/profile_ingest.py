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
from collections.abc import Callable
from pathlib import Path
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


def install() -> None:
    """Wrap the stages' functions with thread-CPU timers."""
    import index.ingest.pipeline as pipeline
    from index.embed.minilm import MiniLMEmbedder
    from index.store.chroma import ChromaStore
    from index.store.collection import Collection
    from index.store.manifest import Manifest

    # Loading, cleaning and chunking run in the parsing worker process (its CPU is read
    # from /proc at the end, see worker_usage); the parent only diffs and queues.
    pipeline._consider = _timed("parent: diff against manifest + queue", pipeline._consider)
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


def worker_usage() -> tuple[float, float]:
    """(CPU seconds, peak RSS MB) of the idle parsing workers this process keeps, read
    from /proc (the worker is a separate process: the parent's clocks do not see it)."""
    from index.ingest.isolation import _Pool

    cpu = peak = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for worker in list(_Pool._idle):
        pid = worker.proc.pid
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        cpu += (int(stat[11]) + int(stat[12])) / ticks  # utime, stime
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return cpu, peak


def report(wall: float, cpu: float) -> dict[str, Any]:
    """The stage CPU seconds with the run's wall time, process CPU (the parent's and the
    parsing worker's) and idle core time."""
    cores = os.cpu_count() or 1
    worker_cpu, worker_peak = worker_usage()
    stages = dict(CPU)
    stages["worker process: load + clean + chunk"] = worker_cpu
    total = cpu + worker_cpu
    return {
        "wall_s": wall,
        "process_cpu_s": total,
        "worker_cpu_s": worker_cpu,
        "worker_peak_rss_mb": worker_peak,
        "cores": cores,
        "idle_core_s": max(cores * wall - total, 0.0),
        "utilisation": total / (cores * wall) if wall else 0.0,
        "stages_cpu_s": dict(sorted(stages.items(), key=lambda kv: -kv[1])),
    }
