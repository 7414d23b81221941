"""Files that need no reading: a re-run skips a file whose size and modification time are
what they were when every one of its documents was indexed by this chunker, model and
version of evchat, so an unchanged corpus costs a ``stat`` per file instead of a parse.

Hand-written: it is the manifest's own bookkeeping (the ``files`` table). A file is
recorded only once all its documents are written, and only when nothing in it failed;
deleting one of its documents forgets it. As with git's index, a file modified in the two
seconds before it was read is not recorded (a write within the same clock tick keeps its
size and time), so the next run reads it again. An edit that keeps both the size and the
modification time (a tool that restores them) is not seen: ``evchat index`` re-reads such
a file after ``touch``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata

from index.ingest.source import SourceFile
from index.store.manifest import DocumentRecord, FileRecord

RACY_NS = 2_000_000_000  # modified this close to being read: not trusted next time
# Raised when a loader reads the same bytes into different text or metadata, so files
# recorded by the older loaders are read again (2: Markdown stored as plain text, the
# head of .txt/.md articles read for title, source and date).
LOADERS = 2


def version(chunker: str, model_id: str) -> str:
    """What a recorded file was read with: the chunker, the model, evchat's version and
    the loaders' revision."""
    try:
        ours = metadata.version("evchat")
    except metadata.PackageNotFoundError:
        ours = "unknown"
    return f"{chunker}|{model_id}|{ours}|loaders-{LOADERS}"


def _stat(src: SourceFile) -> tuple[int, int] | None:
    try:
        st = os.stat(src.path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def split(
    sources: Sequence[SourceFile],
    recorded: Mapping[str, FileRecord],
    documents: Mapping[str, DocumentRecord],
    current: str,
) -> tuple[list[SourceFile], list[FileRecord]]:
    """(the sources to read, the recorded files to skip): a file is skipped when its doc
    id, size, modification time and ``current`` version match its record and every one
    of its documents is still indexed from it."""
    load: list[SourceFile] = []
    skip: list[FileRecord] = []
    for src in sources:
        rec = recorded.get(src.origin)
        if rec is not None and _matches(rec, src, documents, current):
            skip.append(rec)
        else:
            load.append(src)
    return load, skip


def _matches(
    rec: FileRecord, src: SourceFile, documents: Mapping[str, DocumentRecord], current: str
) -> bool:
    if rec.version != current or rec.file_doc_id != src.doc_id:
        return False
    if _stat(src) != (rec.size, rec.mtime_ns):
        return False
    return all(d in documents and documents[d].origin == rec.origin for d in rec.doc_ids) and bool(
        rec.doc_ids
    )


@dataclass
class FileTracker:
    """Collects, while files load, which ones were read whole and cleanly."""

    current: str
    started_ns: int = field(default_factory=time.time_ns)
    _stats: dict[int, tuple[int, int] | None] = field(default_factory=dict)
    _docs: dict[int, list[str]] = field(default_factory=dict)
    _bad: set[int] = field(default_factory=set)
    _done: list[int] = field(default_factory=list)

    def before(self, sources: Sequence[SourceFile]) -> None:
        """Before any file is read: their sizes and times (a file changed while it is read
        then differs from its record next time, and is read again)."""
        self._stats = {i: _stat(src) for i, src in enumerate(sources)}

    def document(self, i: int, doc_id: str) -> None:
        self._docs.setdefault(i, []).append(doc_id)

    def failed(self, i: int) -> None:
        self._bad.add(i)

    def done(self, i: int) -> None:
        self._done.append(i)

    def records(self, sources: Sequence[SourceFile]) -> list[FileRecord]:
        """The files to record once their documents are written."""
        out = []
        for i in self._done:
            stat, docs = self._stats.get(i), self._docs.get(i)
            if i in self._bad or stat is None or not docs:
                continue
            if stat[1] > self.started_ns - RACY_NS:
                continue  # modified just before it was read: read it again next time
            src = sources[i]
            out.append(FileRecord(src.origin, src.doc_id, *stat, self.current, tuple(docs)))
        return out
