"""Follow-ups through every surface (issue 25): the web app's /ask with history, MCP ask
with history over stdio, and the chat model's condensed question checked."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

import pytest
from gradio_client import Client
from mcp import Client as MCPClient
from mcp import StdioServerParameters

from assistant import Assistant
from assistant.answer.followup import readable_date
from tests.system.test_llm_answers import real_llm_bot

CATL = "What did CATL announce about battery costs?"
BYD = "Where is BYD building its first European car plant?"
BYD_DOC = "2023-12-22-byd-hungary-plant.md"


def test_ask_endpoint_answers_a_follow_up_from_the_history_it_returned(
    running_app: str,
) -> None:
    client = Client(running_app, verbose=False)
    first = client.predict(CATL, "", api_name="/ask")
    history = [{"role": "user", "content": CATL}, {"role": "assistant", **first}]
    when = client.predict("When was that reported?", "", "", "", history, api_name="/ask")
    cited = first["citations"][0]
    assert [c["doc_id"] for c in when["citations"]] == [cited["doc_id"]]
    assert when["short_answer"] == readable_date(cited["published_at"])
    alone = client.predict("When was that reported?", "", api_name="/ask")
    assert alone["citations"] != when["citations"]  # without the history it is not anchored


async def _mcp_follow_up(home: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVCHAT_", "OPENAI_"))}
    env |= {"EVCHAT_HOME": str(home), "EVCHAT_ANSWERER": "extractive"}
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "assistant.cli", "mcp"], env=env
    )
    async with MCPClient(params, read_timeout_seconds=300) as client:
        first = (await client.call_tool("ask", {"question": BYD})).structured_content
        history = [{"role": "user", "content": BYD}, {"role": "assistant", **first}]
        follow = await client.call_tool("ask", {"question": "Who reported it?", "history": history})
        return first, follow.structured_content


def test_mcp_ask_with_history_answers_from_the_cited_document(
    sample_assistant: Assistant,
) -> None:
    first, follow = asyncio.run(_mcp_follow_up(sample_assistant.settings.store.home))
    assert first["citations"][0]["doc_id"] == BYD_DOC
    assert [c["doc_id"] for c in follow["citations"]] == [BYD_DOC]
    assert follow["short_answer"] == first["citations"][0]["source"]
    assert not follow["refused"]


@pytest.fixture(scope="module")
def llm_bot(sample_assistant: Assistant, llama_server: str) -> Assistant:
    return real_llm_bot(sample_assistant.settings.store.home, llama_server)


def test_the_models_condensed_question_is_a_question(
    llm_bot: Assistant, sample_assistant: Assistant
) -> None:
    """SmolLM2 may answer instead of rewriting; what is searched is a question either way,
    and the follow-up still prefers the cited document."""
    history = [{"role": "user", "content": BYD}, {"role": "assistant", "content": "Szeged [1]",
               "citations": [{"doc_id": BYD_DOC}], "standalone_question": BYD}]  # fmt: skip
    answer = llm_bot.ask("When will it open?", history=history)
    searched = answer.standalone_question
    assert searched.endswith("?") and '"' not in searched and "\n" not in searched
    assert answer.passages[0].doc_id == BYD_DOC
    when = llm_bot.ask("When was that reported?", history=history)
    assert when.short_answer == "22 December 2023" and when.citations[0].doc_id == BYD_DOC
