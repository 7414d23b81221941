"""The one settings object of evchat: the index sections plus the read path's and the web's.

``Settings`` = :class:`index.settings.IndexSettings` (``store``, ``embedding``,
``ingest``, ``openai``) + :class:`RetrievalSettings`, :class:`AnswerSettings`,
:class:`LLMSettings`, :class:`WebSettings` and :class:`HistorySettings`. Each layer reads its
own section (``settings.retrieval.k``); every field is an ``EVCHAT_<FIELD>`` environment
variable, and ``Settings(k=4, home="…")`` routes flat keyword arguments to their sections.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field

from index.settings import IndexSettings, Section


def bundled_prompts_dir() -> Path:
    """The prompt files shipped with the package (the top-level ``prompts`` folder)."""
    return Path(str(resources.files("prompts")))


class RetrievalSettings(Section):
    """How passages are found: hybrid ranking, filters, recency, named sources."""

    k: int = Field(6, ge=1, le=50, description="Passages handed to the answerer.")
    candidates: int = Field(40, ge=1, description="Candidates taken from each retriever.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in RRF.")
    bm25_weight: float = Field(0.5, ge=0, description="Weight of the BM25 ranking in RRF.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    recency_weight: float = Field(
        1.0, ge=0, description="Recency bonus for 'latest/this week' questions, in RRF ranks."
    )
    recency_half_life_days: float = Field(10.0, gt=0, description="Decay of the recency bonus.")
    recency_with_as_of: bool = Field(
        True,
        description="With an as-of date every question prefers news published close to it; "
        "without one only 'latest/this week' questions do.",
    )
    max_chunks_per_doc: int = Field(2, ge=1, description="Cap on passages from one document.")
    source_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of an extra ranking over the sources a question names "
        "('What did Reuters report ...'); 0 turns it off.",
    )


class AnswerSettings(Section):
    """How answers are written, verified and refused."""

    answerer: Literal["auto", "extractive", "openai", "local"] = Field(
        "auto",
        description="auto = openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else extractive.",
    )
    max_answer_sentences: int = Field(3, ge=1, le=10, description="Extractive answer length.")
    support_threshold: float = Field(
        0.45, description="Minimum support score for a citation to count as supporting."
    )
    refusal_threshold: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Probability that the documents answer (the learned gate of "
        "assistant/answer/gate.py) under which the answer is a refusal; unset: the threshold "
        "fitted with the gate's weights.",
    )
    answer_one_document: bool = Field(
        False, description="Extractive answers quote only the document of the best sentence."
    )
    drop_unsupported: bool = Field(False, description="Drop unsupported sentences from answers.")
    prompts_dir: Path = Field(
        default_factory=bundled_prompts_dir, description="Folder of prompt files."
    )


class LLMSettings(Section):
    """The chat model (credentials are in the ``openai`` section)."""

    model: str = Field("gpt-4o-mini", description="Chat model name for the openai answerer.")
    local_model_path: Path | None = Field(None, description="GGUF file for the local answerer.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Timeout of one chat request.")
    llm_max_retries: int = Field(2, ge=0, description="Retries on timeouts, 429 and 5xx.")
    llm_backoff_s: float = Field(1.0, ge=0, description="First retry delay; doubles each time.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")


class WebSettings(Section):
    """The web app."""

    host: str = Field("127.0.0.1", description="Web app host.")
    port: int = Field(7860, description="Web app port.")
    auth: str | None = Field(
        None, description='"user:password", or a path to a file of such lines, to require login.'
    )
    upload_max_mb: float = Field(
        25.0, gt=0, description="Largest accepted upload; larger ones are refused unstored."
    )
    login_free_failures: int = Field(
        3, ge=0, description="Failed logins per user or address before logins slow down."
    )
    login_delay_s: float = Field(
        1.0, gt=0, description="First wait after too many failed logins; doubles each time."
    )
    login_max_delay_s: float = Field(60.0, gt=0, description="Longest wait between logins.")
    mcp_allow_index: bool = Field(
        False, description="Let MCP clients index files and folders (the index_path tool)."
    )


class HistorySettings(Section):
    """Where conversations and the feedback on answers are kept."""

    history_path: Path | None = Field(
        None,
        description="The conversation history (SQLite); default EVCHAT_HOME/conversations.sqlite.",
    )
    history_timeout_s: float = Field(
        5.0,
        gt=0,
        description="How long saving a turn waits for a history locked by another program.",
    )


class Settings(IndexSettings):
    """Every knob of evchat, grouped by section; see the module docstring.

    >>> Settings(home="/tmp/evchat", k=4).retrieval.k
    4
    """

    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answering: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)

    @property
    def uploads_dir(self) -> Path:
        """Where files uploaded through the web app are stored."""
        return self.store.home / "uploads"

    @property
    def history_file(self) -> Path:
        """The conversation history (SQLite), shared by every collection of the home."""
        return self.history.history_path or self.store.home / "conversations.sqlite"
