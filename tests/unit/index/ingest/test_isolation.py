"""Loading in a worker process: a file that hangs, exhausts memory or kills the worker
costs one failed entry, and the files after it load as usual."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import psutil

from index.ingest.isolation import (
    ChunkPlan,
    FileDone,
    FileFailure,
    IsolatedLoader,
    Prepared,
    isolated_loader,
)
from index.ingest.loaders import content_hash, discover
from index.settings import IngestSettings
from tests.fixtures.hostile import write_big_html, write_good, write_memory_hog

Events = list[tuple[str, object]]


def run(loader: IsolatedLoader, folder: Path, stop: object = None) -> Events:
    sources, failed = discover([folder])
    assert failed == []
    return [(sources[i].doc_id, e) for i, e in loader.run(sources, stop)]  # type: ignore[arg-type]


def failures(events: Events) -> dict[str, str]:
    return {name: e.reason for name, e in events if isinstance(e, FileFailure)}


def loaded(events: Events) -> list[str]:
    return [e.doc.doc_id for _, e in events if isinstance(e, Prepared)]


def workers() -> list[psutil.Process]:
    """This process's live parsing workers (other children, and zombies, are skipped)."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "child_main" in " ".join(proc.cmdline()) and proc.status() != "zombie":
                found.append(proc)
        except psutil.Error:  # gone, or a zombie, meanwhile
            continue
    return found


def kill_idle_workers() -> None:
    """Kill the workers this process keeps (a staged fault), and wait until they are gone."""
    found = workers()
    for proc in found:
        proc.kill()
    psutil.wait_procs(found, timeout=30)


def test_a_file_over_the_time_budget_is_abandoned_and_the_next_one_loads(tmp_path: Path) -> None:
    write_big_html(tmp_path / "a-slow.html", 8 * 1024 * 1024)
    write_good(tmp_path / "b-good.md", "Good", "Zephyr Cells opened a plant in Lyon.")
    loader = isolated_loader(IngestSettings(file_timeout_s=2))
    started = time.monotonic()
    events = run(loader, tmp_path)
    assert failures(events) == {
        "a-slow.html": "the file took longer than the 2 s budget to load "
        "(EVCHAT_FILE_TIMEOUT_S) and was abandoned"
    }
    assert loaded(events) == ["b-good.md"]
    assert [n for n, e in events if isinstance(e, FileDone)] == ["a-slow.html", "b-good.md"]
    assert time.monotonic() - started < 120  # not the minutes the page would take


def test_a_file_needing_more_memory_than_the_cap_fails_alone(tmp_path: Path) -> None:
    write_memory_hog(tmp_path / "a-hog.txt")
    write_good(tmp_path / "b-good.md", "Good", "Zephyr Cells opened a plant in Lyon.")
    events = run(isolated_loader(IngestSettings(parse_memory_mb=512)), tmp_path)
    assert failures(events) == {
        "a-hog.txt": "the file needs more memory to load than allowed (EVCHAT_PARSE_MEMORY_MB)"
    }
    assert loaded(events) == ["b-good.md"]


def test_a_worker_that_crashes_costs_only_its_file(tmp_path: Path) -> None:
    write_big_html(tmp_path / "a-crash.html", 8 * 1024 * 1024)
    write_good(tmp_path / "b-good.md", "Good", "Zephyr Cells opened a plant in Lyon.")

    kill_idle_workers()  # so that the run starts the worker the fault is staged on

    def crash_the_worker() -> None:  # a staged fault: SIGSEGV, as a C parser bug would give
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            # Parsing the page takes the worker well past the ~130 MB its imports need.
            busy = [p for p in workers() if p.memory_info().rss > 200 * 1024 * 1024]
            if busy:
                os.kill(busy[0].pid, signal.SIGSEGV)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=crash_the_worker)
    killer.start()
    events = run(isolated_loader(IngestSettings(file_timeout_s=120)), tmp_path)
    killer.join()
    reason = "the file crashed the loader (SIGSEGV); it was skipped"
    assert failures(events) == {"a-crash.html": reason}
    assert loaded(events) == ["b-good.md"]


def test_documents_come_chunked_unless_already_indexed_as_they_are(tmp_path: Path) -> None:
    write_good(tmp_path / "a.md", "A", "Zephyr Cells opened a plant in Lyon.")
    write_good(tmp_path / "b.md", "B", "Kestrel Freight ordered 300 trucks.")
    loader = isolated_loader(IngestSettings(), ChunkPlan(200, 30))
    first = {e.doc.doc_id: e for _, e in run(loader, tmp_path) if isinstance(e, Prepared)}
    assert all(p.chunks and p.digest == content_hash(p.doc.text) for p in first.values())
    known = {"a.md": first["a.md"].digest}
    again = isolated_loader(IngestSettings(), ChunkPlan(200, 30, known))
    second = {e.doc.doc_id: e for _, e in run(again, tmp_path) if isinstance(e, Prepared)}
    assert second["a.md"].chunks is None  # unchanged: not chunked again
    assert second["b.md"].chunks == first["b.md"].chunks


def test_stop_ends_the_run_early_and_the_worker_is_not_left_behind(tmp_path: Path) -> None:
    for i in range(5):
        write_good(tmp_path / f"{i}.md", f"Doc {i}", f"Kestrel Freight ordered {i} trucks.")
    seen: list[str] = []

    def stop() -> bool:
        return bool(seen)

    sources, _ = discover([tmp_path])
    for i, event in isolated_loader(IngestSettings()).run(sources, stop):
        if isinstance(event, Prepared):
            seen.append(sources[i].doc_id)
    assert seen == ["0.md"]
    deadline = time.monotonic() + 10
    while workers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers() == []  # stopped mid-job, so it is killed rather than kept


def test_an_idle_worker_is_reused_by_the_next_run(tmp_path: Path) -> None:
    write_good(tmp_path / "a.md", "A", "Zephyr Cells opened a plant in Lyon.")
    run(isolated_loader(IngestSettings()), tmp_path)
    before = {p.pid for p in workers()}
    run(isolated_loader(IngestSettings()), tmp_path)
    assert before and {p.pid for p in workers()} == before


def test_budget_does_not_count_the_workers_start(tmp_path: Path) -> None:
    """Starting a worker imports every parser (seconds); a file's budget starts after."""
    kill_idle_workers()
    write_good(tmp_path / "a.md", "A", "Zephyr Cells opened a plant in Lyon.")
    events = run(isolated_loader(IngestSettings(file_timeout_s=1)), tmp_path)
    assert loaded(events) == ["a.md"], failures(events)


def test_an_idle_worker_that_died_is_replaced_without_blaming_a_file(tmp_path: Path) -> None:
    write_good(tmp_path / "a.md", "A", "Zephyr Cells opened a plant in Lyon.")
    run(isolated_loader(IngestSettings()), tmp_path)
    [idle] = workers()
    os.kill(idle.pid, signal.SIGKILL)  # a staged fault: the OOM killer took the idle worker
    events = run(isolated_loader(IngestSettings()), tmp_path)
    assert failures(events) == {} and loaded(events) == ["a.md"]
