"""``evchat mcp`` driven by the official MCP SDK client: over stdio (a subprocess) and over
streamable HTTP (a server process behind EVCHAT_AUTH)."""

from __future__ import annotations

import asyncio
import base64
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from assistant import Assistant, BadInputError, Filters
from tests.conftest import free_port
from tests.fixtures.corpus import write_corpus
from tests.fixtures.processes import stop, wait_until_answering

HUNGARY = "Where has BYD run an electric bus factory in Hungary since 2017?"
UNANSWERABLE = "What did Zorblax Motors announce about its Ohio gigafactory?"
TOOLS = {"search", "ask", "list_documents", "index_path"}

# Each bad argument as an MCP client sends it, and the Python API call making the same
# mistake: the tool error must be that call's one sentence.
BAD_ARGUMENTS: dict[str, tuple[str, dict[str, Any], Callable[[Assistant], object]]] = {
    "k=-1": ("search", {"question": HUNGARY, "k": -1}, lambda b: b.search(HUNGARY, k=-1)),
    "k=0": ("search", {"question": HUNGARY, "k": 0}, lambda b: b.search(HUNGARY, k=0)),
    "k=51": ("search", {"question": HUNGARY, "k": 51}, lambda b: b.search(HUNGARY, k=51)),
    "k=2.5": ("search", {"question": HUNGARY, "k": 2.5}, lambda b: b.search(HUNGARY, k=2.5)),
    "k=abc": ("search", {"question": HUNGARY, "k": "abc"}, lambda b: b.search(HUNGARY, k="abc")),
    "k=true": ("search", {"question": HUNGARY, "k": True}, lambda b: b.search(HUNGARY, k=True)),
    "sources as text": (
        "search",
        {"question": HUNGARY, "sources": "Reuters"},
        lambda b: b.search(HUNGARY, filters=Filters(sources="Reuters")),  # type: ignore[arg-type]
    ),
    "date_to a number": (
        "search",
        {"question": HUNGARY, "date_to": 2024},
        lambda b: b.search(HUNGARY, filters=Filters(date_to=2024)),  # type: ignore[arg-type]
    ),
    "date_from not a date": (
        "search",
        {"question": HUNGARY, "date_from": "last week"},
        lambda b: b.search(HUNGARY, filters=Filters(date_from="last week")),
    ),
    "as_of a number": (
        "search",
        {"question": HUNGARY, "as_of": 20240101},
        lambda b: b.search(HUNGARY, as_of=20240101),  # type: ignore[arg-type]
    ),
    "search without question": ("search", {"k": 3}, lambda b: b.search(None)),  # type: ignore[arg-type]
    "ask without question": ("ask", {}, lambda b: b.ask(None)),  # type: ignore[arg-type]
    "question a number": ("ask", {"question": 42}, lambda b: b.ask(42)),  # type: ignore[arg-type]
    "options as text": (
        "ask",
        {"question": HUNGARY, "options": "Toyota"},
        lambda b: b.ask(HUNGARY, choices="Toyota"),
    ),
    "an option a number": (
        "ask",
        {"question": HUNGARY, "options": ["Toyota", 7]},
        lambda b: b.ask(HUNGARY, choices=["Toyota", 7]),  # type: ignore[list-item]
    ),
}


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVCHAT_", "OPENAI_"))}
    return {**env, "EVCHAT_HOME": str(home), "EVCHAT_ANSWERER": "extractive", **extra}


def _text(result: Any) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def _stdio_session(home: Path) -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "assistant.cli", "mcp"], env=_env(home)
    )
    out: dict[str, Any] = {}
    async with Client(params, read_timeout_seconds=300) as client:
        out["tools"] = {t.name: t for t in (await client.list_tools()).tools}
        out["search"] = await client.call_tool(
            "search", {"question": HUNGARY, "k": 3, "date_to": "2030-01-01"}
        )
        out["ask"] = await client.call_tool("ask", {"question": HUNGARY})
        out["refused"] = await client.call_tool("ask", {"question": UNANSWERABLE})
        out["docs"] = await client.call_tool("list_documents", {})
        out["index"] = await client.call_tool("index_path", {"path": str(home)})
        out["bad_date"] = await client.call_tool("search", {"question": "x", "as_of": "soon"})
        out["bad_k"] = await client.call_tool("search", {"question": HUNGARY, "k": "many"})
        out["empty"] = await client.call_tool("ask", {"question": "   "})
        out["bad"] = {
            label: await client.call_tool(tool, arguments)
            for label, (tool, arguments, _) in BAD_ARGUMENTS.items()
        }
    return out


@pytest.fixture(scope="module")
def stdio_results(sample_assistant: Assistant) -> dict[str, Any]:
    """One stdio session over the indexed samples, every tool called."""
    return asyncio.run(_stdio_session(sample_assistant.settings.store.home))


def test_stdio_lists_the_four_tools_with_their_arguments(stdio_results: dict[str, Any]) -> None:
    tools = stdio_results["tools"]
    assert set(tools) == TOOLS
    search_args = set(tools["search"].input_schema["properties"])
    assert search_args == {"question", "as_of", "k", "sources", "date_from", "date_to"}
    ask_args = set(tools["ask"].input_schema["properties"])
    assert ask_args == {"question", "as_of", "options", "history"}
    assert tools["ask"].description and "refused" in tools["ask"].description


def test_search_returns_passages_with_title_source_date_url_offsets(
    stdio_results: dict[str, Any], sample_assistant: Assistant
) -> None:
    result = stdio_results["search"]
    assert not result.is_error
    passages = result.structured_content["passages"]
    assert len(passages) == 3
    expected = sample_assistant.search(HUNGARY, k=3)
    assert [p["chunk_id"] for p in passages] == [p.chunk_id for p in expected]
    first = passages[0]
    assert {"title", "source", "published_at", "url", "start", "end", "text"} <= set(first)
    assert first["end"] - first["start"] == len(first["text"])


def test_ask_returns_the_verified_answer_with_citations(stdio_results: dict[str, Any]) -> None:
    data = stdio_results["ask"].structured_content
    assert data["refused"] is False
    assert "Komárom" in data["answer"] and "[1]" in data["answer"]
    citation = data["citations"][0]
    assert citation["n"] == 1 and citation["quote"] and citation["end"] > citation["start"]


def test_a_refused_answer_says_so(stdio_results: dict[str, Any]) -> None:
    data = stdio_results["refused"].structured_content
    assert data["refused"] is True and data["citations"] == []
    assert "documents" in data["answer"].lower()


def test_list_documents_lists_the_index(
    stdio_results: dict[str, Any], sample_assistant: Assistant
) -> None:
    docs = stdio_results["docs"].structured_content["documents"]
    assert {d["doc_id"] for d in docs} == {d.doc_id for d in sample_assistant.documents()}


def test_index_path_is_refused_unless_allowed(stdio_results: dict[str, Any]) -> None:
    result = stdio_results["index"]
    assert result.is_error
    assert "EVCHAT_MCP_ALLOW_INDEX=1" in _text(result)


def test_bad_arguments_give_clear_tool_errors(stdio_results: dict[str, Any]) -> None:
    assert stdio_results["bad_date"].is_error
    assert "'soon' is not a date of the form YYYY-MM-DD" in _text(stdio_results["bad_date"])
    assert stdio_results["bad_k"].is_error
    assert _text(stdio_results["bad_k"]) == (
        "Error executing tool search: k (passages per answer) must be a whole number from 1 "
        "to 50, not 'many'."
    )
    assert stdio_results["empty"].is_error
    assert _text(stdio_results["empty"]) == "Error executing tool ask: Please type a question."


@pytest.mark.parametrize("label", list(BAD_ARGUMENTS))
def test_each_bad_argument_is_the_python_apis_one_sentence(
    stdio_results: dict[str, Any], sample_assistant: Assistant, label: str
) -> None:
    tool, _, python_call = BAD_ARGUMENTS[label]
    with pytest.raises(BadInputError) as raised:
        python_call(sample_assistant)
    result = stdio_results["bad"][label]
    assert result.is_error
    assert _text(result) == f"Error executing tool {tool}: {raised.value}"
    assert "\n" not in _text(result) and "pydantic" not in _text(result)


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``evchat mcp --http`` over an empty home, indexing allowed, behind EVCHAT_AUTH."""
    port = free_port()
    log = tmp_path / "mcp.log"
    env = _env(tmp_path / "home", EVCHAT_AUTH="analyst:s3cret", EVCHAT_MCP_ALLOW_INDEX="1")
    command = [sys.executable, "-m", "assistant.cli", "mcp", "--http", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        wait_until_answering("evchat mcp", url, proc, log, 120)
        yield url, tmp_path
    finally:
        stop(proc)


async def _http_session(url: str, corpus: Path, password: str) -> dict[str, Any]:
    token = base64.b64encode(f"analyst:{password}".encode()).decode()
    http = httpx2.AsyncClient(headers={"Authorization": f"Basic {token}"}, timeout=300)
    out: dict[str, Any] = {}
    async with http, Client(streamable_http_client(url, http_client=http)) as client:
        out["index"] = await client.call_tool("index_path", {"path": str(corpus)})
        out["docs"] = await client.call_tool("list_documents", {})
        out["search"] = await client.call_tool(
            "search", {"question": "battery pack charging", "date_from": "2024-03-01"}
        )
    return out


def test_http_enforces_auth_and_serves_the_tools(http_server: tuple[str, Path]) -> None:
    url, tmp = http_server
    assert httpx2.post(url, json={}).status_code == 401
    wrong = base64.b64encode(b"analyst:wrong").decode()
    assert httpx2.post(url, json={}, headers={"Authorization": f"Basic {wrong}"}).status_code == 401
    write_corpus(tmp / "corpus", 4)
    out = asyncio.run(_http_session(url, tmp / "corpus", "s3cret"))
    assert not out["index"].is_error and out["index"].structured_content["added"] == 4
    docs = out["docs"].structured_content["documents"]
    assert len(docs) == 4
    passages = out["search"].structured_content["passages"]
    assert passages and all(p["published_at"] >= "2024-03-01" for p in passages)
