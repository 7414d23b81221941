"""``evchat mcp`` under the official MCP Inspector CLI (``npx @modelcontextprotocol/inspector
--cli``), the tool MCP's own project ships for checking servers.

It starts the server from the README's client configuration exactly as written (paths
filled in), lists the tools with ``--strict`` (schema portability problems fail the run),
and calls the tools, good and bad arguments alike, over streamable HTTP. Needs node's
``npx``, which fetches the pinned Inspector from the npm registry on first use; skipped
when node is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from tests.conftest import free_port
from tests.fixtures.processes import stop, wait_until_answering
from tests.paths import REPO

INSPECTOR = "@modelcontextprotocol/inspector@2.12.0"
NPX = shutil.which("npx")
QUESTION = "Where has BYD run an electric bus factory in Hungary since 2017?"
TIMEOUT_S = 300  # the first run downloads the Inspector

pytestmark = pytest.mark.skipif(
    NPX is None, reason="node's npx is not installed: the MCP Inspector CLI cannot run"
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVCHAT_", "OPENAI_"))}
    # The Inspector keeps OAuth secrets in the OS keychain when there is one; none is used.
    return {**env, "MCP_INSPECTOR_SECRET_STORE": "memory", "NO_PROXY": "127.0.0.1", **extra}


def inspector(*args: str) -> tuple[int, Any, str]:
    """Run the Inspector CLI: its exit code, the first JSON value it printed, its stderr."""
    assert NPX is not None
    done = subprocess.run(
        [NPX, "--yes", INSPECTOR, "--cli", *args],
        capture_output=True, text=True, timeout=TIMEOUT_S, env=_env(), cwd=REPO,
    )  # fmt: skip
    start = done.stdout.find("{")
    assert start >= 0, f"no JSON from the Inspector (exit {done.returncode}): {done.stderr}"
    value, _ = json.JSONDecoder().raw_decode(done.stdout[start:])
    return done.returncode, value, done.stderr


def readme_client_config() -> dict[str, Any]:
    """The JSON block of the README's "Adding evchat to an MCP client" section."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Adding evchat to an MCP client", 1)[1]
    block = section.split("```json\n", 1)[1].split("```", 1)[0]
    config: dict[str, Any] = json.loads(block)
    return config


def test_the_readme_configuration_starts_evchat_with_portable_tool_schemas(
    sample_assistant: Assistant, tmp_path: Path
) -> None:
    config = readme_client_config()
    server = config["mcpServers"]["evchat"]
    assert server["command"] == "/path/to/evchat/.venv/bin/evchat" and server["args"] == ["mcp"]
    server["command"] = str(Path(sys.executable).with_name("evchat"))
    server["env"]["EVCHAT_HOME"] = str(sample_assistant.settings.store.home)
    path = tmp_path / "mcp.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    code, listed, stderr = inspector(
        "--config", str(path), "--server", "evchat", "--method", "tools/list", "--strict"
    )
    assert code == 0, stderr
    tools = {t["name"]: t for t in listed["tools"]}
    assert list(tools) == ["search", "ask", "list_documents", "index_path"]
    assert tools["search"]["inputSchema"]["required"] == ["question"]
    assert tools["search"]["inputSchema"]["properties"]["k"]["anyOf"][0]["maximum"] == 50


@pytest.fixture(scope="module")
def http_url(
    sample_assistant: Assistant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``evchat mcp --http`` over the indexed samples (each Inspector call connects)."""
    port = free_port()
    log = tmp_path_factory.mktemp("inspector") / "mcp.log"
    env = _env(EVCHAT_HOME=str(sample_assistant.settings.store.home), EVCHAT_ANSWERER="extractive")
    command = [sys.executable, "-m", "assistant.cli", "mcp", "--http", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        wait_until_answering("evchat mcp", url, proc, log, 120)
        yield url
    finally:
        stop(proc)


def call(url: str, tool: str, *arguments: str) -> tuple[int, Any]:
    """One ``tools/call`` through the Inspector; its exit code and the tool's result."""
    code, result, _ = inspector(
        url, "--method", "tools/call", "--tool-name", tool, "--tool-arg", *arguments
    )
    return code, result


def test_a_search_through_the_inspector_returns_passages(http_url: str) -> None:
    code, result = call(http_url, "search", f"question={QUESTION}", "k=3")
    assert code == 0 and not result.get("isError"), result
    passages = result["structuredContent"]["passages"]
    assert len(passages) == 3 and "hungary" in passages[0]["doc_id"]


# The Inspector turns each --tool-arg into the schema's type (k=2.5 stays a number,
# sources=Reuters a string); "k=abc" it sends as null, which is the default k, so that one
# is left to the SDK client test (test_mcp.py), which sends "abc" itself.
Q = f"question={QUESTION}"
K_RANGE = "k (passages per answer) must be a whole number from 1 to 50, not"


@pytest.mark.parametrize(
    ("tool", "arguments", "sentence"),
    [
        ("search", [Q, "k=-1"], f"{K_RANGE} -1."),
        ("search", [Q, "k=0"], f"{K_RANGE} 0."),
        ("search", [Q, "k=51"], f"{K_RANGE} 51."),
        ("search", [Q, "k=2.5"], f"{K_RANGE} 2.5."),
        ("search", [Q, "sources=Reuters"], "Filters.sources must be a list of texts."),
        ("ask", [Q, "options=Toyota"], "choices must be a list of option texts."),
        ("search", ["as_of=2030-01-01"], "Please type a question."),
    ],
)
def test_bad_arguments_through_the_inspector_are_one_sentence(
    http_url: str, tool: str, arguments: list[str], sentence: str
) -> None:
    code, result = call(http_url, tool, *arguments)
    assert code != 0 and result["isError"] is True
    assert [block["text"] for block in result["content"]] == [
        f"Error executing tool {tool}: {sentence}"
    ]
