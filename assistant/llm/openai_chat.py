"""The OpenAI-compatible client: OpenAI itself or any compatible server (llama.cpp, vLLM,
Ollama, LM Studio ...), with one bounded retry loop of our own. Every failure becomes an
:class:`~assistant.errors.LLMError` with one clear sentence that never contains the API
key; ``openai`` is imported on first use."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from assistant.errors import LLMError, LLMStreamCutError
from assistant.llm.base import Messages
from assistant.settings import Settings

if TYPE_CHECKING:
    from openai import OpenAI

log = logging.getLogger("assistant.llm")

DEFAULT_OPENAI_URL = "https://api.openai.com/v1"
MAX_RETRY_AFTER_S = 30.0
_NO_KEY = "not-needed"


# --------------------------------------------------------------------------- helpers


def _mask(secret: str) -> str:
    """``sk-secret-123456`` -> ``sk-s…3456``; short secrets are fully hidden."""
    return f"{secret[:4]}…{secret[-4:]}" if len(secret) >= 16 else "…"


class _Retryable(Exception):
    """A failure worth another attempt; ``reason`` is a short phrase for the user."""

    def __init__(self, reason: str, wait_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait_s = wait_s  # server-requested delay (Retry-After), if any


class _Fatal(Exception):
    """A failure that another attempt will not fix (bad request, bad key, unknown model)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _StreamEndedEarly(Exception):
    """The stream closed without a finish reason."""


def _retry_after(headers: Any) -> float | None:
    try:
        value = headers.get("retry-after") if headers is not None else None
        return min(max(float(value), 0.0), MAX_RETRY_AFTER_S) if value is not None else None
    except (TypeError, ValueError):
        return None  # an HTTP date or garbage: fall back to our own backoff


def _connection_reason(exc: BaseException) -> str:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return "connection refused"
        seen = seen.__cause__ or seen.__context__
    cause = exc.__cause__ or exc.__context__
    detail = str(cause or exc).strip() or type(cause or exc).__name__
    return f"connection failed: {detail[:120]}"


def _status_detail(exc: Any) -> str:
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message:
        message = getattr(exc, "message", "") or ""
    message = " ".join(str(message).split())
    return f": {message[:200]}" if message else ""


# --------------------------------------------------------------------------- OpenAI


class OpenAIChatModel:
    """Chat over the OpenAI API or any OpenAI-compatible server, with bounded retries.

    Retries (``settings.llm.llm_max_retries`` of them, waiting ``settings.llm.llm_backoff_s``
    and doubling) cover timeouts, connection errors, HTTP 429 (honouring ``Retry-After``
    up to 30 s) and 5xx; any other 4xx fails at once. A stream is only retried before its
    first token; once text has arrived a broken stream raises
    :class:`~assistant.errors.LLMStreamCutError` carrying that text.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        max_tokens: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or Settings()
        self.model = self.settings.llm.model
        self.base_url = (self.settings.openai.openai_base_url or DEFAULT_OPENAI_URL).rstrip("/")
        key = self.settings.openai.openai_api_key
        self._api_key = key.get_secret_value() if key is not None else ""
        self.max_tokens = max_tokens
        self._sleep = sleep
        self._client: OpenAI | None = None

    def __repr__(self) -> str:
        key = _mask(self._api_key) if self._api_key else "none"
        return f"OpenAIChatModel(model={self.model!r}, base_url={self.base_url!r}, key={key})"

    # -- public API -------------------------------------------------------------

    def stream(self, messages: Messages) -> Iterator[str]:
        """Yield text deltas; retry only until the first delta has been yielded."""
        attempts = self.settings.llm.llm_max_retries + 1
        delay = self.settings.llm.llm_backoff_s
        for attempt in range(1, attempts + 1):
            received: list[str] = []
            finished = False
            try:
                with self._create(messages, stream=True) as chunks:
                    for chunk in chunks:
                        if not chunk.choices:
                            continue
                        choice = chunk.choices[0]
                        text = choice.delta.content if choice.delta is not None else None
                        if text:
                            received.append(text)
                            yield text
                        if choice.finish_reason:
                            finished = True
                    if not finished:
                        raise _StreamEndedEarly("the stream ended without a finish reason")
                return
            except Exception as exc:
                if finished:
                    return  # the answer was complete; only the goodbye ([DONE]) was lost
                if received:
                    raise self._cut_error(exc, "".join(received)) from None
                failure = self._classify(exc)
                delay = self._after_failure(failure, attempt, attempts, delay)

    def complete(self, messages: Messages) -> str:
        """Return the whole answer (one non-streaming request, retried as configured)."""
        attempts = self.settings.llm.llm_max_retries + 1
        delay = self.settings.llm.llm_backoff_s
        for attempt in range(1, attempts + 1):
            try:
                response = self._create(messages, stream=False)
                if not response.choices:
                    raise _Retryable("an empty response")
                return response.choices[0].message.content or ""
            except Exception as exc:
                failure = exc if isinstance(exc, _Retryable) else self._classify(exc)
                delay = self._after_failure(failure, attempt, attempts, delay)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- internals --------------------------------------------------------------

    def _get_client(self) -> OpenAI:
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(
                api_key=self._api_key or _NO_KEY,
                base_url=self.base_url,
                timeout=self.settings.llm.llm_timeout_s,
                max_retries=0,
            )
        return self._client

    def _create(self, messages: Messages, *, stream: bool) -> Any:
        kwargs: dict[str, Any] = {}
        if self.max_tokens is not None:
            kwargs["max_tokens"] = self.max_tokens
        return self._get_client().chat.completions.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            temperature=self.settings.llm.temperature,
            stream=stream,
            **kwargs,
        )

    def _clean(self, text: str) -> str:
        if self._api_key and len(self._api_key) >= 4:
            text = text.replace(self._api_key, _mask(self._api_key))
        return text

    def _classify(self, exc: Exception) -> _Retryable | _Fatal:
        import openai

        if isinstance(exc, _Retryable | _Fatal):
            return exc
        if isinstance(exc, _StreamEndedEarly):
            return _Retryable("the stream ended before any text")
        if isinstance(exc, openai.APITimeoutError):
            return _Retryable(f"timed out after {self.settings.llm.llm_timeout_s:g} s")
        if isinstance(exc, openai.APIConnectionError):
            return _Retryable(_connection_reason(exc))
        if isinstance(exc, openai.APIStatusError):
            code = exc.status_code
            if code == 429:
                return _Retryable("HTTP 429, rate limited", _retry_after(exc.response.headers))
            if code >= 500:
                return _Retryable(f"HTTP {code}{_status_detail(exc)}")
            return _Fatal(f"HTTP {code}{_status_detail(exc)}")
        return _Fatal(f"{type(exc).__name__}: {str(exc)[:200]}")

    def _after_failure(
        self, failure: _Retryable | _Fatal, attempt: int, attempts: int, delay: float
    ) -> float:
        """Raise LLMError when giving up; otherwise sleep and return the next delay."""
        reason = self._clean(failure.reason)
        if isinstance(failure, _Fatal):
            raise LLMError(f"The chat model at {self.base_url} failed ({reason}).") from None
        if attempt >= attempts:
            noun = "attempt" if attempts == 1 else "attempts"
            raise LLMError(
                f"The chat model at {self.base_url} did not answer ({reason}) "
                f"after {attempts} {noun}."
            ) from None
        wait = failure.wait_s if failure.wait_s is not None else delay
        log.warning(
            "chat model at %s: %s; retry %d of %d in %.2f s",
            self.base_url,
            reason,
            attempt,
            attempts - 1,
            wait,
        )
        self._sleep(wait)
        return delay * 2

    def _cut_error(self, exc: Exception, partial: str) -> LLMStreamCutError:
        failure = self._classify(exc)
        if isinstance(exc, _StreamEndedEarly):
            reason = "the stream ended without a finish reason"
        else:
            reason = self._clean(failure.reason)
        log.warning(
            "chat model at %s: stream cut after %d chars: %s", self.base_url, len(partial), reason
        )
        return LLMStreamCutError(
            f"The chat model at {self.base_url} stopped in the middle of its answer ({reason}).",
            partial=partial,
        )
