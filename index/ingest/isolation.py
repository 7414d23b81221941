"""Loading files in a worker process, so that one hostile file costs one line of the report.

A parser can be made to run out of memory (a zip bomb), to run for ever (a page that
sends an HTML parser into a pathological case), to crash (a bug in a C extension), or to
produce text nothing downstream can encode. ``LoadLimits`` refuse what can be measured
before parsing; the rest is contained here: ``IsolatedLoader`` hands the files to a child
process (``python -c`` … ``child_main``) that loads them with ``index.ingest.loaders.load``
under an address-space cap (``RLIMIT_AS``), chunks the documents that changed, and sends
them back pickled in small batches. The parent waits at most ``timeout_s`` for each
message; a file that exceeds it, or that kills the child, becomes one failed entry, the
child is replaced and the files after it are loaded as usual.

The child loads ahead while the parent embeds what it already received (up to what the
socket buffers), so parsing and chunking overlap with embedding. Idle children are kept
for the next run of the same process (starting one costs imports), and a CPU-time limit
set before each file ends a child whose parent died while it was stuck.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import ClassVar

from index.errors import EvchatError
from index.ingest.loaders import (
    MEMORY_REASON,
    LoadError,
    LoadLimits,
    SourceFile,
    content_hash,
    load,
)
from index.settings import IngestSettings
from index.types import Chunk, FailedFile, LoadedDocument

log = logging.getLogger("evchat.ingest")

_MB = 1024 * 1024
_BATCH_DOCS = 64  # documents per message: a big JSONL file shows progress as it loads
_BATCH_CHARS = 1 << 20
_POLL_S = 0.2  # how often a waiting parent looks at its stop flag
_STARTUP_S = 300  # a child imports its parsers before it counts as started
_KEEP_IDLE = 1  # children kept for the next run
_RECYCLE_RSS = 400 * 1024 * 1024  # a child that grew beyond this is not kept
_CHILD_ENV = {
    "TOKENIZERS_PARALLELISM": "false",  # no thread pool: its stacks would eat the cap
    "MALLOC_ARENA_MAX": "2",
    "OMP_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class Budget:
    """What one file may cost the worker: wall-clock seconds and address space in bytes."""

    timeout_s: float
    memory_bytes: int


@dataclass(frozen=True)
class ChunkPlan:
    """How the worker chunks documents: sizes, and the content hashes of documents that
    are already indexed with this chunker and model (those are not chunked again)."""

    chunk_tokens: int
    overlap_tokens: int
    known: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Prepared:
    """A loaded document with its content hash, and its chunks unless it is unchanged."""

    doc: LoadedDocument
    digest: str
    chunks: list[Chunk] | None


@dataclass(frozen=True)
class FileFailure:
    """The whole file could not be loaded; ``reason`` is one sentence for the user."""

    reason: str


@dataclass(frozen=True)
class FileDone:
    """Everything of the file has been delivered."""


Event = Prepared | FailedFile | FileFailure | FileDone


@dataclass(frozen=True)
class _Job:
    sources: list[SourceFile]
    first: int  # index of sources[0] in the caller's list
    limits: LoadLimits
    plan: ChunkPlan | None
    timeout_s: float


class WorkerError(EvchatError):
    """The worker process that loads files could not be started."""


def isolated_loader(ingest: IngestSettings, plan: ChunkPlan | None = None) -> IsolatedLoader:
    """The loader of a run, with the limits and budgets of the ingest settings."""
    limits = LoadLimits(
        max_file_bytes=int(ingest.max_file_mb * _MB),
        max_html_bytes=int(ingest.max_html_mb * _MB),
        max_unpacked_bytes=int(ingest.max_unpacked_mb * _MB),
    )
    return IsolatedLoader(limits, Budget(ingest.file_timeout_s, ingest.parse_memory_mb * _MB), plan)


class IsolatedLoader:
    """Loads files in a worker process within a time budget and a memory cap."""

    def __init__(self, limits: LoadLimits, budget: Budget, plan: ChunkPlan | None = None) -> None:
        self.limits = limits
        self.budget = budget
        self.plan = plan

    def prestart(self) -> None:
        """Start the worker ahead of :meth:`run` (its imports take seconds)."""
        _Pool.prestart(self.budget.memory_bytes)

    def run(
        self, sources: Sequence[SourceFile], stop: Callable[[], bool] | None = None
    ) -> Iterator[tuple[int, Event]]:
        """(index into ``sources``, event) for every file in order: its documents and bad
        records, or a ``FileFailure``, then ``FileDone``. Returns early once ``stop()``."""
        stop = stop or (lambda: False)
        start = 0
        while start < len(sources) and not stop():
            worker = _Pool.take(self.budget.memory_bytes)
            job = _Job(list(sources[start:]), start, self.limits, self.plan, self.budget.timeout_s)
            done = start
            try:
                worker.send(job)
                for index, event in worker.events(self.budget.timeout_s, stop):
                    yield index, event
                    if isinstance(event, FileDone):
                        done = index + 1
                if worker.finished:
                    _Pool.give_back(worker)
                if done == len(sources) or stop():
                    return
                if worker.reused and not worker.messages and not worker.timed_out:
                    continue  # an idle worker that died meanwhile: not this file's fault
                # The worker failed on file ``done``: report it and go on after it.
                yield done, FileFailure(worker.failure_reason(self.budget.timeout_s))
                yield done, FileDone()
                start = done + 1
            finally:
                if not worker.returned:
                    worker.kill()


class _Worker:
    """One child process and the socket to it."""

    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        parent_sock, child_sock = socket.socketpair()
        env = {**os.environ, **_CHILD_ENV}
        root = str(Path(__file__).resolve().parents[2])  # the folder holding ``index``
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        code = "from index.ingest.isolation import child_main; child_main()"
        args = [str(child_sock.fileno()), str(memory_bytes)]
        # -P: the current folder is not put on the path (a user folder named "index"
        # must not shadow ours); PYTHONPATH starts with the folder of this very package.
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-c", code, *args],
            pass_fds=(child_sock.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # a Ctrl-C in the terminal is the parent's to handle
        )
        child_sock.close()
        self.conn = Connection(parent_sock.detach())
        self.ready = False
        self.rss = 0
        self.timed_out = False
        self.finished = False  # the child sent "end": it is idle and can be reused
        self.returned = False  # it is back in the pool
        self.reused = False  # it comes from the pool (it may have died while idle)
        self.messages = 0  # messages received for the current job

    def send(self, job: _Job) -> None:
        """Start a job, once the child has imported its parsers (which the per-file budget
        should not pay for)."""
        if not self.ready:
            self._wait_ready()
        self.finished = False
        self.messages = 0
        # A child that died while idle fails this send; events() then sees the end and
        # run() starts another.
        with contextlib.suppress(OSError):
            self.conn.send(job)

    def _wait_ready(self) -> None:
        try:
            if self.conn.poll(_STARTUP_S) and self.conn.recv()[0] == "ready":
                self.ready = True
                return
        except (EOFError, OSError):
            pass
        self.kill()
        code = self.proc.poll()
        why = f"exit code {code}" if code is not None else f"no answer in {_STARTUP_S} s"
        raise WorkerError(
            f"Indexing could not start its file-loading process ({why}); if "
            f"EVCHAT_PARSE_MEMORY_MB ({self.memory_bytes // _MB}) is small, raise it."
        )

    def events(self, timeout_s: float, stop: Callable[[], bool]) -> Iterator[tuple[int, Event]]:
        """The events of the current job until it ends, the child fails or ``stop()``."""
        while not stop():
            deadline = time.monotonic() + timeout_s
            while not self._ready(deadline):
                if stop():
                    return
                if time.monotonic() >= deadline:
                    self.timed_out = True
                    return
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                return
            self.messages += 1
            kind, index, payload = message
            if kind == "docs":
                for item in payload:
                    yield index, item
            elif kind == "failed":
                yield index, FileFailure(payload)
            elif kind == "bug":
                log.error("Loader bug on file #%d:\n%s", index, payload)
                yield index, FileFailure(_bug_reason(payload))
            elif kind == "done":
                self.rss = payload
                yield index, FileDone()
            elif kind == "end":
                self.finished = True
                return

    def _ready(self, deadline: float) -> bool:
        wait = max(0.0, min(_POLL_S, deadline - time.monotonic()))
        try:
            return bool(self.conn.poll(wait))
        except (EOFError, OSError):
            return True  # recv() will report the end

    def failure_reason(self, timeout_s: float) -> str:
        """Why the current file did not finish: the time budget or how the child died."""
        if self.timed_out:
            return (
                f"the file took longer than the {timeout_s:g} s budget to load "
                "(EVCHAT_FILE_TIMEOUT_S) and was abandoned"
            )
        code = self._exit_code()
        if code is None:
            return "the loader stopped answering"
        if code in (-signal.SIGKILL, -signal.SIGXCPU):
            return "the loader was stopped while reading the file (out of memory or time)"
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else -code
            return f"the file crashed the loader ({name}); it was skipped"
        return f"the loader stopped unexpectedly on this file (exit code {code})"

    def _exit_code(self) -> int | None:
        try:
            return self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return None

    def alive(self) -> bool:
        return self.proc.poll() is None and not self.timed_out

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)


class _Pool:
    """Idle children kept between runs of this process."""

    _lock = threading.Lock()
    _idle: ClassVar[list[_Worker]] = []

    @classmethod
    def take(cls, memory_bytes: int) -> _Worker:
        with cls._lock:
            while cls._idle:
                worker = cls._idle.pop()
                if worker.alive() and worker.memory_bytes == memory_bytes:
                    worker.returned, worker.reused = False, True
                    return worker
                worker.kill()
        return _Worker(memory_bytes)

    @classmethod
    def prestart(cls, memory_bytes: int) -> None:
        """Start a worker now if none is idle, so its imports overlap the caller's own
        start-up (opening the store, loading the model)."""
        with cls._lock:
            if any(w.memory_bytes == memory_bytes and w.alive() for w in cls._idle):
                return
        worker = _Worker(memory_bytes)
        with cls._lock:
            worker.returned = True
            cls._idle.append(worker)

    @classmethod
    def give_back(cls, worker: _Worker) -> None:
        """Keep a healthy child that has finished its job (it sent "end")."""
        if not worker.alive() or worker.rss > _RECYCLE_RSS:
            return
        with cls._lock:
            if len(cls._idle) < _KEEP_IDLE:
                worker.returned = True
                cls._idle.append(worker)

    @classmethod
    def close_all(cls) -> None:
        with cls._lock:
            idle, cls._idle = cls._idle, []
        for worker in idle:
            worker.kill()


atexit.register(_Pool.close_all)


def _bug_reason(trace: str) -> str:
    last = trace.strip().splitlines()[-1] if trace.strip() else "error"
    kind = last.split(":", 1)[0].strip()
    return f"unexpected error while loading the file ({kind})"


# --- the child ------------------------------------------------------------------------


def child_main() -> None:
    """Entry point of the worker process: ``argv`` = socket fd, address-space cap."""
    fd, memory_bytes = int(sys.argv[1]), int(sys.argv[2])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.CRITICAL)  # parser chatter goes nowhere
    _limit_memory(memory_bytes)
    conn = Connection(fd)
    _import_parsers()
    conn.send(("ready", -1, None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            _serve(conn, job)
        except (BrokenPipeError, ConnectionResetError, EOFError):
            return  # the parent is gone or gave up on this job


def _serve(conn: Connection, job: _Job) -> None:
    for offset, source in enumerate(job.sources):
        index = job.first + offset
        _limit_cpu(job.timeout_s)
        try:
            _load_one(conn, index, source, job)
        except LoadError as error:
            conn.send(("failed", index, str(error)))
        except MemoryError:
            conn.send(("failed", index, MEMORY_REASON))
        except (BrokenPipeError, ConnectionResetError):
            raise
        except Exception:  # a bug of ours or of a chunker: the file fails, the run goes on
            conn.send(("bug", index, traceback.format_exc()))
        conn.send(("done", index, _rss()))
    conn.send(("end", -1, None))


def _load_one(conn: Connection, index: int, source: SourceFile, job: _Job) -> None:
    batch: list[Prepared | FailedFile] = []
    chars = 0
    for item in load(source, job.limits):
        if isinstance(item, LoadedDocument):
            prepared = _prepare(item, job.plan)
            chars += len(item.text)
            batch.append(prepared)
        else:
            batch.append(item)
        if len(batch) >= _BATCH_DOCS or chars >= _BATCH_CHARS:
            conn.send(("docs", index, batch))
            batch, chars = [], 0
            _limit_cpu(job.timeout_s)  # like the parent's budget: per batch of records
    if batch:
        conn.send(("docs", index, batch))


def _prepare(doc: LoadedDocument, plan: ChunkPlan | None) -> Prepared:
    digest = content_hash(doc.text)
    if plan is None or plan.known.get(doc.doc_id) == digest:
        return Prepared(doc, digest, None)
    from index.ingest.chunking import chunk_document

    chunks = chunk_document(doc, digest, plan.chunk_tokens, plan.overlap_tokens)
    return Prepared(doc, digest, chunks)


def _import_parsers() -> None:
    """Import what loading and chunking use, so that no file's budget pays for it."""
    import docx  # noqa: F401
    import pypdf  # noqa: F401
    import trafilatura  # noqa: F401
    import yaml  # noqa: F401

    from index.embed.minilm import count_tokens
    from index.ingest import chunking  # noqa: F401

    count_tokens("warm up")


def _limit_memory(memory_bytes: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, ValueError, OSError):  # not on this platform: time budget only
        pass


def _limit_cpu(timeout_s: float) -> None:
    """End this process if one file keeps it busy far beyond the budget; the parent kills
    it sooner, so this only matters when the parent has died meanwhile."""
    try:
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(usage.ru_utime + usage.ru_stime + 3 * timeout_s + 30)
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ImportError, ValueError, OSError):
        pass


def _rss() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
