"""The one settings object shared by the write path, the read path and the UI.

It lives at the bottom of the dependency graph (``index/``) so that both ``index`` and
``assistant`` can read it without the write path ever importing the read path;
``assistant.Settings`` re-exports it. Every field is read from an ``EVCHAT_``-prefixed
environment variable (e.g. ``EVCHAT_HOME``), except the OpenAI credentials, which use
the standard ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` names as well.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob of evchat, with its default and the environment variable that sets it."""

    model_config = SettingsConfigDict(env_prefix="EVCHAT_", extra="ignore", populate_by_name=True)

    # --- storage -------------------------------------------------------------------
    home: Path = Field(
        Path(".evchat"), description="Folder for the Chroma data, manifests, BM25 index, uploads."
    )
    collection: str = Field("evchat", description="Name of the document collection to use.")
    chroma_host: str | None = Field(
        None, description="Chroma server host; when set (with chroma_port) HttpClient is used."
    )
    chroma_port: int | None = Field(None, description="Chroma server port.")

    # --- embeddings ----------------------------------------------------------------
    embedding: Literal["minilm", "openai"] = Field(
        "minilm", description="Embedding model: the bundled offline MiniLM, or OpenAI's."
    )
    openai_embedding_model: str = Field(
        "text-embedding-3-small", description="OpenAI embedding model when embedding='openai'."
    )
    embed_batch_size: int = Field(16, ge=1, description="Texts per ONNX batch.")
    embed_workers: int = Field(
        0, ge=0, description="Parallel single-threaded ONNX sessions; 0 means one per core."
    )

    # --- ingestion -----------------------------------------------------------------
    chunk_tokens: int = Field(200, ge=32, le=250, description="Target chunk size in model tokens.")
    chunk_overlap_tokens: int = Field(30, ge=0, description="Overlap between chunks in tokens.")
    max_file_mb: float = Field(60.0, gt=0, description="Files larger than this are skipped.")

    # --- retrieval -----------------------------------------------------------------
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

    # --- answering -----------------------------------------------------------------
    answerer: Literal["auto", "extractive", "openai", "local"] = Field(
        "auto",
        description="auto = openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else extractive.",
    )
    model: str = Field("gpt-4o-mini", description="Chat model name for the openai answerer.")
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("EVCHAT_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("EVCHAT_OPENAI_BASE_URL", "OPENAI_BASE_URL")
    )
    local_model_path: Path | None = Field(None, description="GGUF file for the local answerer.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Timeout of one chat request.")
    llm_max_retries: int = Field(2, ge=0, description="Retries on timeouts, 429 and 5xx.")
    llm_backoff_s: float = Field(1.0, ge=0, description="First retry delay; doubles each time.")
    temperature: float = Field(0.0, ge=0, le=2)
    max_answer_sentences: int = Field(3, ge=1, le=10, description="Extractive answer length.")
    support_threshold: float = Field(
        0.45, description="Minimum support score for a citation to count as supporting."
    )
    refusal_threshold: float = Field(
        0.90,
        description="Evidence score (best sentence support + best passage similarity) "
        "under which the answer is a refusal.",
    )
    answer_margin: float = Field(
        0.05, ge=0, description="Extra answer sentences must score within this of the best one."
    )
    answer_one_document: bool = Field(
        False, description="Extractive answers quote only the document of the best sentence."
    )
    drop_unsupported: bool = Field(False, description="Drop unsupported sentences from answers.")
    prompts_dir: Path = Field(REPO_ROOT / "prompts", description="Folder of prompt files.")

    # --- web app -------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Web app host.")
    port: int = Field(7860, description="Web app port.")
    auth: str | None = Field(
        None, description='"user:password", or a path to a file of such lines, to require login.'
    )
    upload_max_mb: float = Field(25.0, gt=0, description="Largest accepted upload.")

    @property
    def uploads_dir(self) -> Path:
        """Where uploaded files are stored."""
        return self.home / "uploads"

    @property
    def uses_chroma_server(self) -> bool:
        """True when a Chroma server is configured instead of the embedded store."""
        return bool(self.chroma_host and self.chroma_port)
