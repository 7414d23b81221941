"""Records that flow through the write path: a loaded document and its chunks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageSpan:
    """A page of a paged document (PDF): characters [start, end) of the text are page ``page``."""

    page: int
    start: int
    end: int


@dataclass(frozen=True)
class TableSpan:
    """A table of the document: characters [start, end) of the text are its rendered rows
    (one line per cell, "row — column: value"; see ``index.ingest.tables``), under
    ``caption`` (its caption, else the heading above it; may be empty) on ``page``."""

    start: int
    end: int
    caption: str
    page: int | None = None


@dataclass(frozen=True)
class LoadedDocument:
    """One document's full text and metadata, as a loader returns it.

    ``text`` is the canonical text: chunk offsets and citation quotes refer to it.
    """

    doc_id: str
    text: str
    title: str
    source: str
    published_at: str | None = None  # ISO date YYYY-MM-DD when known
    url: str | None = None
    pages: tuple[PageSpan, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    # Where ``published_at`` was read ("front matter", "'Published' line", "file name", …),
    # so a wrong guess can be traced; None when unknown.
    date_from: str | None = None
    tables: tuple[TableSpan, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page number holding character ``offset``, or None for unpaged documents."""
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return self.pages[-1].page if self.pages and offset >= self.pages[-1].end else None


@dataclass(frozen=True)
class Chunk:
    """A verbatim slice ``document.text[start:end]`` plus what is embedded for it."""

    chunk_id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    page: int | None
    embed_text: str  # title and date prepended; what the embedding model sees


@dataclass(frozen=True)
class FailedFile:
    """A file (or JSONL line) that could not be indexed, with a one-sentence reason."""

    path: str
    error: str


@dataclass
class IndexReport:
    """What one ``reindex`` run did. ``embedded`` counts chunks embedded in this run;
    ``interrupted`` is set when the run was stopped before every file was loaded."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[FailedFile] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    interrupted: bool = False  # stopped early (Ctrl-C): the next run continues

    def to_dict(self) -> dict[str, object]:
        """The JSON shape printed by ``evchat index --json``."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"path": f.path, "error": f.error} for f in self.failed],
            "documents": self.documents,
            "chunks": self.chunks,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
        }
