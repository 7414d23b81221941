"""Peak memory and time of ``evchat index`` on a folder of full-size hostile files.

    python -m benchmarks.hostile [--keep DIR]

Writes (streamed, a few MB of memory) a ``.docx`` that unzips to 1 GB, a PDF whose one
stream inflates to 1 GB, a 50 MB HTML page, an 8 MB HTML page that keeps trafilatura
busy for many minutes, a 40 MB text file of one-letter lines (gigabytes as Python
objects), a JSONL file with lone surrogates, and three ordinary articles; then runs
``evchat index``'s call (``Assistant.index``, in a child process that also notes when
each file is done) on it with the default settings, and samples the resident memory of
that process and of its parsing worker every 50 ms. Prints one Markdown table row per
file (outcome, seconds until it was done) and the peaks. The generators live in
``tests/fixtures/hostile.py``, shared with the tests that use the same files at small sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from tests.fixtures.hostile import (
    MB,
    write_big_html,
    write_docx_bomb,
    write_good,
    write_memory_hog,
    write_pdf_bomb,
    write_surrogate_jsonl,
)

REPO = Path(__file__).resolve().parent.parent
# What `evchat index FOLDER` runs, plus a line per file with the time it was done.
DRIVER = """
import json, sys, time
from assistant import Assistant, Settings
started = time.monotonic()
def done(i, total, name):
    print(json.dumps({"file": name, "at": time.monotonic() - started}), flush=True)
report = Assistant(Settings()).index([sys.argv[1]], on_progress=done)
print(json.dumps({"report": report.to_dict()}), flush=True)
"""


def write_folder(folder: Path) -> None:
    """The hostile files and three good articles."""
    folder.mkdir(parents=True, exist_ok=True)
    write_docx_bomb(folder / "zip-bomb-1GB.docx", 1024 * MB)
    write_pdf_bomb(folder / "stream-bomb-1GB.pdf", 1024 * MB)
    write_big_html(folder / "page-50MB.html", 50 * MB)
    write_big_html(folder / "slow-page-8MB.html", 8 * MB)
    write_memory_hog(folder / "one-letter-lines-40MB.txt")
    write_surrogate_jsonl(folder / "lone-surrogates.jsonl")
    for i, body in enumerate(
        [
            "Zephyr Cells will open a sodium battery plant in Lyon in 2027.",
            "Kestrel Freight ordered 300 electric trucks for delivery in 2026.",
            "Orca Drive moved its inverter to silicon carbide to gain 40 km of range.",
        ]
    ):
        write_good(folder / f"good-{i}.md", f"Good article {i}", body)


class Sampler(threading.Thread):
    """Peak RSS of a process, of its children, and of their sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.main = self.child = self.total = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                main = self.proc.memory_info().rss
                kids = [c.memory_info().rss for c in self.proc.children(recursive=True)]
            except psutil.Error:
                break
            self.main = max(self.main, main)
            self.child = max(self.child, max(kids, default=0))
            self.total = max(self.total, main + sum(kids))
            time.sleep(0.05)


def run_index(folder: Path, home: Path) -> tuple[subprocess.CompletedProcess[str], Sampler, float]:
    env = {**os.environ, "EVCHAT_HOME": str(home), "ANONYMIZED_TELEMETRY": "False"}
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(folder)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = Sampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    sampler.done.set()
    sampler.join()
    seconds = time.monotonic() - started
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), sampler, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="evchat-hostile-"))
    try:
        folder, home = work / "files", work / "home"
        if not folder.exists():
            write_folder(folder)
        shutil.rmtree(home, ignore_errors=True)
        result, peaks, seconds = run_index(folder, home)
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        report = lines[-1]["report"]
        failed = {Path(f["path"]).name: f["error"] for f in report["failed"]}
        print("| file | size on disk | outcome | done after |\n|---|---:|---|---:|")
        previous = 0.0
        for line in lines[:-1]:
            path = folder / line["file"]
            size = f"{path.stat().st_size / MB:.2f} MB"
            took = line["at"] - previous
            previous = line["at"]
            print(f"| {path.name} | {size} | {failed.get(path.name, 'indexed')} | {took:.1f} s |")
        mb = 1024 * 1024
        print(
            f"\nexit code {result.returncode}; {seconds:.1f} s wall-clock, {report['added']} "
            f"documents added; peak RSS: evchat {peaks.main / mb:.0f} MB, worker "
            f"{peaks.child / mb:.0f} MB, together {peaks.total / mb:.0f} MB"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
