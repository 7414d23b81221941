"""A non-editable ``pip install .`` into a fresh venv works from any folder.

The venv is made by ``python -m venv`` (with the pip it brings), installs the committed
lock (``requirements/app.txt``, hash-checked, with ``requirements/install`` as the
Makefile does) and then the project itself without dependencies, exactly as a user
outside the checkout would. Nothing in it may come from
the checkout: the prompts, the web app's assets and the package code are the installed
copies.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.fixtures.llm import FakeLLMServer
from tests.fixtures.processes import stop, wait_until_answering
from tests.paths import REPO

INSTALL_TIMEOUT_S = 1200


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bin folder of a fresh venv with evchat installed (not editable)."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    base = getattr(sys, "_base_executable", sys.executable)
    _run([base, "-m", "venv", str(venv)], REPO, env)
    python = str(venv / "bin" / "python")
    lock = str(REPO / "requirements" / "app.txt")
    _run(
        ["bash", str(REPO / "requirements" / "install"), python, lock], REPO, env, INSTALL_TIMEOUT_S
    )
    _run(
        [python, "-m", "pip", "install", "-q", "--no-deps", str(REPO)],
        venv.parent,
        env,
        INSTALL_TIMEOUT_S,
    )
    yield venv / "bin"


@pytest.fixture
def elsewhere(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder far from the checkout with one document, and an environment for it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kestrel.md").write_text(
        "---\ntitle: Kestrel Freight orders electric trucks\ndate: 2025-06-01\n---\n\n"
        "Kestrel Freight, a Danish haulier, ordered 300 electric trucks for delivery in 2026.\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(EVCHAT_HOME=str(tmp_path / "home"), HF_HUB_OFFLINE="1")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "EVCHAT_PROMPTS_DIR"):
        env.pop(var, None)
    return tmp_path, env


def test_installed_package_is_the_installed_copy(installed: Path, tmp_path: Path) -> None:
    code = (
        "import assistant, prompts, ui, app, json;"
        "from assistant import Settings;"
        "print(json.dumps([assistant.__file__, prompts.__file__, ui.__file__, app.__file__,"
        " str(Settings().answering.prompts_dir)]))"
    )
    paths = json.loads(_run([str(installed / "python"), "-c", code], tmp_path, dict(os.environ)))
    site = str(installed.parent / "lib")
    assert all(p.startswith(site) for p in paths), paths


def test_index_ask_and_model_answer_from_another_folder(
    installed: Path, elsewhere: tuple[Path, dict[str, str]]
) -> None:
    folder, env = elsewhere
    evchat = str(installed / "evchat")
    _run([evchat, "index", "docs"], folder, env)
    out = json.loads(
        _run([evchat, "ask", "How many trucks did Kestrel order?", "--json"], folder, env)
    )
    assert not out["refused"] and "300 electric trucks" in out["answer"]
    assert out["short_answer"] == "300 electric trucks"  # how many → the number, first
    # The chat-model path reads the prompt files: a FAKE OpenAI-compatible server answers.
    fake = FakeLLMServer()
    fake.start()
    try:
        fake.tokens = ["Kestrel Freight ordered 300 electric trucks. [1]"]
        model_env = {**env, "OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "test-key"}
        out = json.loads(
            _run([evchat, "ask", "How many trucks did Kestrel order?", "--json"], folder, model_env)
        )
    finally:
        fake.stop()
    assert out["answerer"] == "openai" and not out["refused"], out
    system_prompt = fake.bodies[-1]["messages"][0]["content"]
    assert "passage" in system_prompt.lower()


def test_serve_answers_http_from_another_folder(
    installed: Path, elsewhere: tuple[Path, dict[str, str]]
) -> None:
    folder, env = elsewhere
    port = free_port()
    log = folder / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(installed / "evchat"), "serve", "--port", str(port)],
            cwd=folder,
            env={**env, "GRADIO_ANALYTICS_ENABLED": "False"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answering("evchat serve", f"http://127.0.0.1:{port}/", proc, log, 180)
    finally:
        stop(proc)
