"""The only package that talks to a chat model (one module per client).

:class:`OpenAIChatModel` speaks the OpenAI chat-completions API (OpenAI itself or any
compatible server: llama.cpp, vLLM, Ollama, LM Studio ...) with one bounded retry loop of
our own; :class:`LlamaCppChatModel` runs a GGUF file in-process for the optional ``local``
answerer. Both turn every failure into :class:`~assistant.errors.LLMError` with one clear
sentence that never contains the API key. Nothing heavy is imported at import time.
"""

from __future__ import annotations

from assistant.errors import LLMError
from assistant.llm.base import ChatModel, Messages
from assistant.llm.llama_cpp import LlamaCppChatModel, bundled_gguf_path
from assistant.llm.openai_chat import OpenAIChatModel
from assistant.settings import Settings

__all__ = [
    "ChatModel",
    "LlamaCppChatModel",
    "Messages",
    "OpenAIChatModel",
    "bundled_gguf_path",
    "chat_model_from_settings",
]


def chat_model_from_settings(settings: Settings | None = None) -> ChatModel:
    """The chat model the settings select.

    ``answerer='openai'`` (or ``'auto'`` with ``OPENAI_API_KEY``/``OPENAI_BASE_URL`` set)
    gives :class:`OpenAIChatModel`; ``'local'`` gives :class:`LlamaCppChatModel`. The
    extractive answerer has no chat model, so asking for one raises :class:`LLMError`.
    """
    settings = settings or Settings()
    answerer = settings.answering.answerer
    if answerer == "auto":
        has_openai = settings.openai.openai_api_key is not None or bool(
            settings.openai.openai_base_url
        )
        answerer = "openai" if has_openai else "extractive"
    if answerer == "openai":
        return OpenAIChatModel(settings)
    if answerer == "local":
        return LlamaCppChatModel(settings)
    raise LLMError(
        "No chat model is configured: set OPENAI_API_KEY or OPENAI_BASE_URL, "
        "or EVCHAT_ANSWERER=local."
    )
