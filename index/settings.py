"""Settings of the write path and the store, as sections of one settings object.

evchat has one settings object, :class:`assistant.Settings`, made of sections. The
sections that the write path and the store read live here, at the bottom of the
dependency graph, so that ``index/`` never imports ``assistant/``:

* :class:`StoreSettings` — where the index lives (``EVCHAT_HOME``, Chroma server),
* :class:`EmbeddingSettings` — which embedding model and how it runs,
* :class:`IngestSettings` — chunk sizes and file limits,
* :class:`OpenAISettings` — the credentials of an OpenAI-compatible server, shared by
  OpenAI embeddings and the chat model,
* :class:`SourcesSettings` — documents that arrive by themselves: feeds and watched folders.

:class:`IndexSettings` groups them; ``assistant.Settings`` extends it with the read-path
and web sections. Every field is read from an ``EVCHAT_``-prefixed environment variable
named after it (``EVCHAT_HOME``, ``EVCHAT_CHUNK_TOKENS``), except the OpenAI credentials,
which also read the standard ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``. A settings object
can be built with flat keyword arguments (``Settings(home=".evchat", k=4)``): each one is
routed to the section that owns it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Section(BaseSettings):
    """A group of settings read from ``EVCHAT_<FIELD>`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="EVCHAT_", extra="ignore", populate_by_name=True)


class StoreSettings(Section):
    """Where the index is kept."""

    home: Path = Field(
        Path(".evchat"), description="Folder for the Chroma data, manifests, BM25 index, uploads."
    )
    collection: str = Field("evchat", description="Name of the document collection to use.")
    chroma_host: str | None = Field(
        None, description="Chroma server host; when set (with chroma_port) HttpClient is used."
    )
    chroma_port: int | None = Field(None, description="Chroma server port.")

    @property
    def uses_chroma_server(self) -> bool:
        """True when a Chroma server is configured instead of the embedded store."""
        return bool(self.chroma_host and self.chroma_port)


class EmbeddingSettings(Section):
    """Which embedding model turns chunks and questions into vectors."""

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
    embed_optimise: bool = Field(
        True,
        description="Run MiniLM's rewritten graph (same vectors, fewer kernels, ~10% faster), "
        "made once from the sha256-checked model and cached under ~/.cache/evchat.",
    )


class IngestSettings(Section):
    """How documents are cut into chunks, and what one file may cost to read.

    The sizes are checked before a parser runs; the time and memory budgets hold for the
    worker process that parses and chunks each file (see ``index.ingest.isolation``).
    """

    chunk_tokens: int = Field(200, ge=32, le=250, description="Target chunk size in model tokens.")
    chunk_overlap_tokens: int = Field(30, ge=0, description="Overlap between chunks in tokens.")
    max_file_mb: float = Field(60.0, gt=0, description="Files larger than this are skipped.")
    max_html_mb: float = Field(
        10.0, gt=0, description="HTML pages larger than this are skipped before parsing."
    )
    max_unpacked_mb: float = Field(
        100.0,
        gt=0,
        description="A .docx that unzips to more than this, or a PDF stream that decompresses "
        "to more, is refused (zip bombs).",
    )
    file_timeout_s: float = Field(
        120.0,
        gt=0,
        description="Seconds a file may take to parse and chunk (for JSONL/JSON: each batch of "
        "records) before it is abandoned as failed.",
    )
    parse_memory_mb: int = Field(
        1024,
        ge=512,
        description="Address space of the worker process that parses files, in MB; a file "
        "needing more fails alone.",
    )


class OpenAISettings(Section):
    """Credentials of an OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp)."""

    openai_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("EVCHAT_OPENAI_API_KEY", "OPENAI_API_KEY", "openai_api_key"),
        description="API key; when it or the base URL is set, answers come from the chat model.",
    )
    openai_base_url: str | None = Field(
        None,
        validation_alias=AliasChoices(
            "EVCHAT_OPENAI_BASE_URL", "OPENAI_BASE_URL", "openai_base_url"
        ),
        description="Base URL of the OpenAI-compatible server.",
    )

    @property
    def configured(self) -> bool:
        """True when a key or a base URL is set."""
        return bool(self.openai_api_key or self.openai_base_url)


class SourcesSettings(Section):
    """Documents that arrive by themselves: RSS/Atom feeds and watched folders."""

    feeds_interval_min: float = Field(
        60.0, ge=0, description="Minutes between feed syncs in the web app; 0 turns them off."
    )
    feeds_timeout_s: float = Field(
        20.0, gt=0, description="Time allowed for one feed or article download, in seconds."
    )
    feeds_max_mb: float = Field(
        5.0, gt=0, description="Feeds and article pages larger than this are not downloaded."
    )
    feeds_host_delay_s: float = Field(
        1.0, ge=0, description="Pause between two requests to the same host, in seconds."
    )
    feeds_user_agent: str = Field(
        "evchat/0.1 (RSS/Atom reader)",
        description="User-Agent header sent with feed and article requests.",
    )
    watch_debounce_ms: int = Field(
        1500, ge=50, description="A watched folder is re-indexed after this long without changes."
    )
    watch_settle_s: float = Field(
        1.0,
        ge=0,
        description="A changed file is indexed once its size and time stop changing this long "
        "(so half-written files wait).",
    )


class IndexSettings(BaseModel):
    """The sections the write path and the store read; the base of ``assistant.Settings``."""

    model_config = ConfigDict(frozen=True)

    store: StoreSettings = Field(default_factory=StoreSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    openai: OpenAISettings = Field(default_factory=OpenAISettings)
    sources: SourcesSettings = Field(default_factory=SourcesSettings)

    @model_validator(mode="before")
    @classmethod
    def _route_flat_fields(cls, data: Any) -> Any:
        """``Settings(home=…, k=…)``: build each section from the flat fields it owns;
        the sections not mentioned read their environment variables as usual."""
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {}
        flat: dict[str, Any] = {}
        for key, value in data.items():
            # A section may own a field of its own name (``embedding="openai"``): a value
            # that is not a section's (dict or model) is that field.
            section = key in cls.model_fields and isinstance(value, dict | BaseModel)
            (out if section else flat)[key] = value
        for name, values in cls._by_section(flat).items():
            section_type = cls._section_types()[name]
            given = out.get(name)
            base = given.model_dump() if isinstance(given, BaseModel) else dict(given or {})
            out[name] = section_type(**{**base, **values})
        return out

    @classmethod
    def _section_types(cls) -> dict[str, type[Section]]:
        return {name: f.annotation for name, f in cls.model_fields.items()}  # type: ignore[misc]

    @classmethod
    def _by_section(cls, flat: dict[str, Any]) -> dict[str, dict[str, Any]]:
        owner = {
            field: name
            for name, section in cls._section_types().items()
            for field in section.model_fields
        }
        routed: dict[str, dict[str, Any]] = {}
        for key, value in flat.items():
            if key not in owner:
                raise ValueError(f"Unknown setting {key!r}.")
            routed.setdefault(owner[key], {})[key] = value
        return routed

    def flat(self) -> dict[str, Any]:
        """Every field of every section by its own name (secrets stay masked)."""
        return {
            field: getattr(section, field)
            for section in (getattr(self, name) for name in type(self).model_fields)
            for field in type(section).model_fields
        }

    def replace(self, **changes: Any) -> Self:
        """A copy with some flat fields changed: ``settings.replace(k=3, home=tmp)``."""
        current = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self)(**current, **changes)
