"""``evchat index`` on a folder of hostile files, as a user runs it: each bad file costs one
``failed:`` line, everything else is indexed and answers questions, and no parser's
memory or time runs away. Small budgets (a few MB, a few seconds) prove the mechanism;
``benchmarks/hostile.py`` measures the full-size bombs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.hostile import (
    MB,
    write_big_html,
    write_docx_bomb,
    write_good,
    write_memory_hog,
    write_pdf_bomb,
    write_surrogate_jsonl,
)
from tests.fixtures.store_checks import assert_in_step
from tests.paths import REPO

# Budgets small enough that the hostile files below exceed them. The time budget is set
# from how long the slow page takes to load on this machine (see slow_budget_s).
BUDGETS = {
    "EVCHAT_MAX_UNPACKED_MB": "4",
    "EVCHAT_MAX_HTML_MB": "2",
    "EVCHAT_PARSE_MEMORY_MB": "600",
}
# Runs a command and prints the largest resident set of any process it started (the
# evchat process or its parsing worker), as getrusage reports it for waited-for children.
PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def evchat(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "EVCHAT_HOME": str(home), "ANONYMIZED_TELEMETRY": "False"}
    full_env.update(env or {})
    command = [sys.executable, "-c", PEAK_RSS, sys.executable, "-m", "assistant.cli", *args]
    return subprocess.run(
        command, cwd=REPO, env=full_env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    write_surrogate_jsonl(folder / "lone-surrogates.jsonl")
    write_docx_bomb(folder / "zip-bomb.docx", 64 * MB)
    write_pdf_bomb(folder / "stream-bomb.pdf", 64 * MB)
    write_big_html(folder / "huge-page.html", 3 * MB)
    write_big_html(folder / "slow-page.htm", int(1.9 * MB))  # under the size limit: slow
    write_memory_hog(folder / "memory-hog.txt")
    (folder / os.fsdecode(b"caf\xe9-not-utf8.md")).write_text(
        "# Lyon charging\n\nVoltara opened 40 chargers in Lyon.\n", encoding="utf-8"
    )
    for i, (title, body) in enumerate(
        [
            ("Zephyr plant", "Zephyr Cells will open a sodium battery plant in Lyon in 2027."),
            ("Kestrel order", "Kestrel Freight ordered 300 electric trucks for 2026."),
            ("Orca range", "Orca Drive moved its inverter to silicon carbide for 40 km more."),
        ]
    ):
        write_good(folder / f"good-{i}.md", title, body)
    return folder


@pytest.fixture(scope="module")
def slow_budget_s(hostile_folder: Path) -> float:
    """A time budget the slow page exceeds on this machine, whatever its speed: a third of
    the time the page takes to load here (at least 2 s, which the other files, tiny or
    failing on size or memory within a second, stay well under). A fixed 20 s budget
    passed the page on a fast machine."""
    from index.ingest.loaders import discover, load

    warm = hostile_folder.parent / "warm-up.html"
    warm.write_text("<html><body><p>Warm-up page for the HTML extractor.</p></body></html>")
    for path in (warm, hostile_folder / "slow-page.htm"):
        sources, _ = discover([path])
        start = time.perf_counter()
        list(load(sources[0], 100 * MB))
        took = time.perf_counter() - start
    return round(max(2.0, took / 3), 1)


@pytest.fixture(scope="module")
def indexed(
    hostile_folder: Path, slow_budget_s: float, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    home = tmp_path_factory.mktemp("hostile_home")
    env = {**BUDGETS, "EVCHAT_FILE_TIMEOUT_S": str(slow_budget_s)}
    return home, evchat(home, "index", str(hostile_folder), "--json", env=env)


def failed_lines(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    lines = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    return {Path(line.split(": ")[1]).name: line.split(": ", 2)[2] for line in lines}


def test_every_hostile_file_costs_one_line_and_the_run_succeeds(
    indexed: tuple[Path, subprocess.CompletedProcess[str]], slow_budget_s: float
) -> None:
    _, result = indexed
    assert result.returncode == 0, result.stderr
    failed = failed_lines(result)
    assert set(failed) == {
        "zip-bomb.docx",
        "stream-bomb.pdf",
        "huge-page.html",
        "slow-page.htm",
        "memory-hog.txt",
    }, result.stderr
    assert failed["zip-bomb.docx"].startswith("the Word file expands to 64.")
    assert failed["stream-bomb.pdf"].startswith("the PDF's content expands beyond the 4.0 MB")
    assert failed["huge-page.html"].startswith("the HTML page is 3.0 MB, over the 2 MB limit")
    assert f"longer than the {slow_budget_s:g} s budget" in failed["slow-page.htm"]
    assert "more memory to load than allowed" in failed["memory-hog.txt"]
    assert "Traceback" not in result.stderr and "DEBUG" not in result.stderr


def test_everything_else_is_indexed_with_encodable_text(
    indexed: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    home, result = indexed
    report = json.loads(result.stdout)
    assert report["added"] == 3 + 2 + 1  # the good articles, both records, the odd name
    from assistant.settings import Settings

    col = assert_in_step(Settings(home=home))
    docs = col.manifest.documents()
    assert {"lone-\ufffd-surrogate", "caf\ufffd-not-utf8.md", "good-0.md"} <= set(docs)
    assert docs["lone-\ufffd-surrogate"].title == "Sodium cells \ufffd arrive"


def test_peak_memory_stays_bounded(indexed: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _, result = indexed
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    # The evchat process (model, Chroma) or the worker (capped at 600 MB of address
    # space), whichever is larger; the bombs would take gigabytes if they were parsed.
    assert peak_kb < 1.5 * 1024 * 1024, peak_kb


def test_the_surrogate_record_answers_questions(
    indexed: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    home, _ = indexed
    # A byte that is not UTF-8 on the command line reaches Python as a lone surrogate.
    question = "Where will Zephyr Cells open its sodium " + os.fsdecode(b"\xe9") + " plant?"
    result = evchat(home, "ask", question, "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert not answer["refused"] and "Lyon" in answer["answer"]
    assert any(c["doc_id"] in ("good-0.md", "lone-\ufffd-surrogate") for c in answer["citations"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2024-01-01; DROP TABLE x"], "is not a date of the form YYYY-MM-DD"),
        (["--answerer", "extractive", "--as-of", "2024-02-30"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_on_the_command_line_is_one_line(
    indexed: tuple[Path, subprocess.CompletedProcess[str]], args: list[str], message: str
) -> None:
    home, _ = indexed
    result = evchat(home, "ask", "Which plant?", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()[:-1]  # the last line is the peak RSS
    assert len(lines) == 1 and lines[0].startswith("evchat: ") and message in lines[0]
