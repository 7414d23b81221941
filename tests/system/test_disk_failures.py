"""A full disk or a read-only index folder gives a clear message and loses nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from tests.paths import REPO

QUESTION = "Which automaker joined Ionna as its eighth investor?"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 12 MB tmpfs (needs root, as in CI); skipped where mounting is not allowed."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mnt)], check=False
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def _evchat(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"EVCHAT_HOME": str(home), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
        check=False,
    )


def test_disk_full_gives_clear_message_and_keeps_index(small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "home"
    first = _evchat(home, "index", str(REPO / "samples"))
    assert first.returncode == 0, first.stderr
    new = tmp_path / "new"
    new.mkdir()
    for i in range(5):
        (new / f"depot-{i}.md").write_text(
            f"# Depot {i}\n\nCharging depot {i} opened with 12 chargers.\n"
        )
    filler = small_disk / "filler"
    try:  # fill the disk up to the last few kilobytes (unbuffered: the error comes at once)
        with filler.open("wb", buffering=0) as fh:
            while True:
                fh.write(b"\0" * 65536)
    except OSError:
        pass
    full = _evchat(home, "index", str(new))
    assert full.returncode != 0
    assert "Traceback" not in full.stderr
    assert full.stderr.strip().splitlines()[-1].startswith("evchat: ")
    filler.unlink()  # the user frees space: what was indexed before is all there
    answer = Assistant(Settings(home=home)).ask(QUESTION)
    assert not answer.refused and "ionna" in answer.citations[0].doc_id


def test_read_only_home_gives_clear_message_and_keeps_index(small_disk: Path) -> None:
    home = small_disk / "home"
    assert _evchat(home, "index", str(REPO / "samples")).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        again = _evchat(home, "index", str(REPO / "samples"))
        assert again.returncode != 0
        assert "Traceback" not in again.stderr
        assert again.stderr.strip().splitlines()[-1].startswith("evchat: ")
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    answer = Assistant(Settings(home=home)).ask(QUESTION)
    assert not answer.refused and "ionna" in answer.citations[0].doc_id
