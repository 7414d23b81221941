"""The background embed/write stages: order kept, bounded, the first failure stops writes."""

from __future__ import annotations

import threading
import time

import pytest

from index.ingest.stages import Stages


def test_batches_are_written_in_submission_order_even_when_embedded_out_of_order() -> None:
    written: list[int] = []

    def embed(n: int) -> int:
        time.sleep(0.05 if n % 2 == 0 else 0.0)  # even batches finish embedding later
        return n

    stages: Stages[int, int] = Stages(embed, written.append)
    for n in range(8):
        stages.submit(n)
    stages.drain()
    assert written == list(range(8))


def test_embedding_overlaps_the_caller_and_writing() -> None:
    calling = threading.get_ident()
    threads: set[int] = set()

    def embed(n: int) -> int:
        threads.add(threading.get_ident())
        return n

    stages: Stages[int, int] = Stages(embed, lambda n: threads.add(threading.get_ident()))
    stages.submit(1)
    stages.drain()
    assert calling not in threads and len(threads) == 2


def test_no_more_than_depth_batches_are_in_flight() -> None:
    release = threading.Event()
    started: list[int] = []

    def embed(n: int) -> int:
        started.append(n)
        release.wait(5)
        return n

    stages: Stages[int, int] = Stages(embed, lambda n: None, depth=2)
    stages.submit(0)
    stages.submit(1)
    blocked = threading.Thread(target=stages.submit, args=(2,))
    blocked.start()
    blocked.join(0.2)
    assert blocked.is_alive()  # the third batch waits for the first to be written
    release.set()
    blocked.join(5)
    stages.drain()
    assert sorted(started) == [0, 1, 2]


def test_a_failed_write_stops_later_writes_and_is_raised_on_the_caller() -> None:
    written: list[int] = []

    def write(n: int) -> None:
        if n == 2:
            raise OSError("disk full")
        written.append(n)

    stages: Stages[int, int] = Stages(lambda n: n, write, depth=10)
    with pytest.raises(OSError, match="disk full"):  # from a later submit, or from drain
        for n in range(6):
            stages.submit(n)
        stages.drain()
    assert written == [0, 1]
    with pytest.raises(OSError, match="disk full"):
        stages.submit(7)  # the run stays failed
    assert written == [0, 1]


def test_a_failed_embedding_is_raised_and_nothing_after_it_is_written() -> None:
    written: list[int] = []

    def embed(n: int) -> int:
        if n == 1:
            raise RuntimeError("model broke")
        return n

    stages: Stages[int, int] = Stages(embed, written.append, depth=10)
    with pytest.raises(RuntimeError, match="model broke"):  # from a later submit, or drain
        for n in range(4):
            stages.submit(n)
        stages.drain()
    assert written == [0]


def test_batches_wait_for_the_job_before_them() -> None:
    order: list[str] = []
    stages: Stages[int, int] = Stages(lambda n: order.append("embed") or n, lambda n: None)
    stages.before(lambda: time.sleep(0.1) or order.append("warm up"))
    stages.submit(1)
    stages.drain()
    assert order == ["warm up", "embed"]


def test_closing_ends_the_stage_threads() -> None:
    before = set(threading.enumerate())
    stages: Stages[int, int] = Stages(lambda n: n, lambda n: None)
    stages.submit(1)
    stages.drain()
    started = set(threading.enumerate()) - before
    assert {t.name.split("_")[0] for t in started} == {"index-embed", "index-write"}
    stages.close()
    assert not [t for t in started if t.is_alive()]
