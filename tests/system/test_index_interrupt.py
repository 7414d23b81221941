"""Ctrl-C (SIGINT) or SIGTERM during ``evchat index``: it stops within seconds, keeps what
it indexed (in step across Chroma, manifest and BM25), prints one summary line, exits
non-zero, and the next run continues where it stopped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.fixtures.corpus import write_corpus
from tests.fixtures.store_checks import assert_in_step
from tests.paths import REPO

N_DOCS = 160
STOP_WITHIN_S = 90  # seconds on a loaded shared machine; about 3 on a quiet one


def start_index(
    home: Path, corpus: Path
) -> tuple[subprocess.Popen[bytes], list[bytes], threading.Thread]:
    env = {**os.environ, "EVCHAT_HOME": str(home), "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "index", str(corpus)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    err: list[bytes] = []

    def read() -> None:
        assert proc.stderr is not None
        while chunk := proc.stderr.read1(4096):  # type: ignore[attr-defined]
            err.append(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return proc, err, reader


def wait_for_docs(proc: subprocess.Popen[bytes], err: list[bytes], at_least: int) -> None:
    """Until the progress bar shows ``docs=N`` with N >= ``at_least``."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        counts = [int(n) for n in re.findall(rb"docs=(\d+)", b"".join(err))]
        if counts and max(counts) >= at_least:
            return
        assert proc.poll() is None, b"".join(err).decode(errors="replace")
        time.sleep(0.1)
    pytest.fail("the run never got going")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_stops_the_run_keeps_its_work_and_the_next_run_continues(
    tmp_path: Path, sig: signal.Signals
) -> None:
    corpus, home = tmp_path / "corpus", tmp_path / "home"
    write_corpus(corpus, N_DOCS, paragraphs=4, sentences=5)
    proc, err, reader = start_index(home, corpus)
    wait_for_docs(proc, err, 40)
    proc.send_signal(sig)
    sent = time.monotonic()
    proc.wait(timeout=STOP_WITHIN_S + 30)  # stdout stays tiny: no pipe can fill
    took = time.monotonic() - sent
    reader.join(timeout=30)  # only the reader reads stderr, so it has every line
    assert proc.stdout is not None
    out = proc.stdout.read()
    stderr = b"".join(err).decode(errors="replace")
    assert proc.returncode == 130, stderr
    assert took < STOP_WITHIN_S, took
    assert out == b""  # the summary is the one line on stderr
    [summary] = [line for line in stderr.splitlines() if line.startswith("evchat: interrupted")]
    kept = int(re.search(r"kept (\d+) added", summary).group(1))  # type: ignore[union-attr]
    assert "run it again to continue" in summary and "Traceback" not in stderr
    col = assert_in_step(Settings(home=home))
    assert 0 < kept == len(col.manifest.documents()) < N_DOCS
    assert col.manifest.get_meta("dirty") is None

    rest = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "index", str(corpus)],
        cwd=REPO,
        env={**os.environ, "EVCHAT_HOME": str(home), "ANONYMIZED_TELEMETRY": "False"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert rest.returncode == 0, rest.stderr
    assert rest.stdout.startswith(f"{N_DOCS - kept} added, 0 updated, {kept} unchanged")
    assert len(assert_in_step(Settings(home=home)).manifest.documents()) == N_DOCS
