"""Two background stages, embed then write, so loading and chunking never wait for them.

``reindex()`` reads and chunks documents on the calling thread and hands batches of
chunks to :class:`Stages`: an *embed* stage (up to two batches at a time, so the ONNX
sessions always have work while one batch's last, longest texts finish) and a *write*
stage (Chroma upsert, manifest, old-chunk delete) that takes the batches one at a time,
strictly in the order they were submitted. The order of writes within a batch, and of
batches, is therefore the one the crash-safety argument of ``pipeline.py`` relies on.

The first failure stops the write stage (later batches are not written) and is raised
on the calling thread by the next :meth:`Stages.submit` or by :meth:`Stages.drain`.
At most ``depth`` batches are in flight, so memory stays bounded on any corpus.

Hand-written over ``concurrent.futures`` because no library offers an ordered,
bounded, fail-fast two-stage pipeline for threads; the executors' worker threads end by
themselves once the run (and so its executors) is gone, even after an error.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

B = TypeVar("B")  # a batch as submitted
E = TypeVar("E")  # a batch once embedded


class Stages(Generic[B, E]):
    """Run ``embed(batch)`` then ``write(embedded)`` in the background, in order."""

    def __init__(self, embed: Callable[[B], E], write: Callable[[E], None], depth: int = 3) -> None:
        self._embed = embed
        self._write = write
        self._depth = depth
        self._embedding = ThreadPoolExecutor(2, thread_name_prefix="index-embed")
        self._writing = ThreadPoolExecutor(1, thread_name_prefix="index-write")
        self._inflight: deque[Future[None]] = deque()
        self._error: BaseException | None = None
        self._ready: Future[object] | None = None

    def before(self, job: Callable[[], object]) -> None:
        """Run ``job`` in the background; batches are embedded once it is done (e.g. the
        model loads while the caller reads the first documents)."""
        self._ready = self._embedding.submit(job)

    def submit(self, batch: B) -> None:
        """Queue ``batch``; blocks while ``depth`` batches are still being worked on."""
        self._raise_if_failed()
        while len(self._inflight) >= self._depth:
            self._settle(self._inflight.popleft())
            self._raise_if_failed()
        embedded = self._embedding.submit(self._embed_when_ready, batch)
        self._inflight.append(self._writing.submit(self._write_when_ready, embedded))

    def drain(self) -> None:
        """Wait until every submitted batch is written; raise the first failure."""
        while self._inflight:
            self._settle(self._inflight.popleft())
        self._raise_if_failed()

    def close(self) -> None:
        """End the stages' threads (after :meth:`drain`, they have nothing left to do)."""
        self._embedding.shutdown(wait=True)
        self._writing.shutdown(wait=True)

    def _embed_when_ready(self, batch: B) -> E:
        if self._ready is not None:
            self._ready.result()
        return self._embed(batch)

    def _write_when_ready(self, embedded: Future[E]) -> None:
        if self._error is not None:
            return  # an earlier batch failed: write nothing after it
        try:
            self._write(embedded.result())
        except BaseException as exc:
            self._error = exc
            raise

    def _settle(self, written: Future[None]) -> None:
        try:
            written.result()
        except BaseException as exc:
            if self._error is None:
                self._error = exc

    def _raise_if_failed(self) -> None:
        # The failure stays: every later submit or drain raises it again.
        if self._error is not None:
            raise self._error
