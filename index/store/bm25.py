"""The BM25 index (bm25s), persisted beside the Chroma data and kept in step with it.

It is rebuilt from the manifest's chunks at the end of every re-index run that changed
anything and stamped with the manifest's generation; a reader whose stamp differs from
the manifest's reloads (or, if the files are stale, rebuilds) instead of answering from
an index that is out of step.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from index.store.chroma import date_number
from index.store.manifest import ChunkRow, Manifest

# bm25s sets its own logger to DEBUG, so its "Building index" lines reach any handler
# (the CLI's stderr among them); only its warnings are worth a user's attention.
logging.getLogger("bm25s").setLevel(logging.WARNING)


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def stem_word(word: str) -> str:
    """The Snowball stem BM25 uses for ``word``."""
    return str(_stemmer().stemWord(word))


def tokenize(texts: list[str]) -> Any:
    """bm25s tokens: lower-cased, English stop words removed, Snowball-stemmed."""
    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), show_progress=False)


@dataclass
class BM25Index:
    """A loaded BM25 index plus the per-chunk arrays used for filtering."""

    generation: int
    retriever: bm25s.BM25 | None
    chunk_ids: list[str]
    doc_ids: list[str]
    days: np.ndarray  # published day as YYYYMMDD, 0 when unknown

    @cached_property
    def row_of(self) -> dict[str, int]:
        """Chunk id -> row, built once per loaded index."""
        return {cid: i for i, cid in enumerate(self.chunk_ids)}

    def search(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best (row, score) pairs with a positive score, best first (ties: lower row)."""
        if self.retriever is None or not self.chunk_ids:
            return []
        tokens = tokenize([query])
        if not tokens.vocab:
            return []
        words = {i: w for w, i in tokens.vocab.items()}
        ids = self.retriever.get_tokens_ids([words[i] for i in tokens.ids[0]])
        if not ids:
            return []
        scores = self.retriever.get_scores_from_ids(ids)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        return top_rows(scores, n)


def top_rows(scores: np.ndarray, n: int) -> list[tuple[int, float]]:
    """The ``n`` rows with the highest positive scores, best first (ties: lower row).

    bm25s's own selection, ``argpartition(scores, -n)`` over every row, takes ~250 ms at
    a million rows when most scores are 0 or tied (measured: 400k nonzero scores with 412
    distinct values); selecting among the positive scores, negated, takes ~10 ms.
    """
    rows = np.flatnonzero(scores > 0)  # ascending
    if len(rows) > n:
        values = scores[rows]
        nth = -np.partition(-values, n - 1)[n - 1]
        above = rows[values > nth]
        rows = np.concatenate([above, rows[values == nth][: n - len(above)]])
    rows = rows[np.lexsort((rows, -scores[rows]))]
    return [(int(r), float(scores[r])) for r in rows]


def build(manifest: Manifest, folder: Path) -> BM25Index:
    """Rebuild the index from every chunk in the manifest and save it atomically."""
    generation = manifest.generation()
    days = {d.doc_id: date_number(d.published_at) for d in manifest.documents().values()}
    index = _index_from_rows(manifest.iter_chunks(), days, generation)
    _save(index, folder)
    return index


class TokenIds:
    """Every chunk's token ids in one flat int32 array, read back as one list per chunk.

    What ``BM25.index`` takes as ``Tokenized.ids`` (it needs ``len`` and three passes
    in order). A list of lists costs ~9 bytes a token (a pointer, plus each list's
    header), this 4: at a million chunks of ~80 tokens, 0.3 GB instead of 0.7.
    """

    def __init__(self) -> None:
        self.flat = array("i")
        self.ends = array("q")

    def append(self, ids: list[int]) -> None:
        self.flat.extend(ids)
        self.ends.append(len(self.flat))

    def __len__(self) -> int:
        return len(self.ends)

    def __iter__(self) -> Iterator[list[int]]:
        start = 0
        for end in self.ends:
            yield self.flat[start:end].tolist()
            start = end


def _index_from_rows(rows: Iterable[ChunkRow], days: dict[str, int], generation: int) -> BM25Index:
    """Tokenize the chunks as they stream in and index their token ids.

    bm25s's ``Tokenizer`` keeps one vocabulary across the stream and stems each distinct
    word once; its tokens are those of ``tokenize()`` (the queries'), and the scores are
    those of tokenizing every text at once (test). No text is kept: the rebuild used to
    hold every ``ChunkRow`` and every text at once (1M chunks: 4.8 GB peak; now 2.2 GB).
    """
    chunk_ids: list[str] = []
    doc_ids: list[str] = []
    day_of_row = array("q")

    def texts() -> Iterator[str]:
        for r in rows:
            chunk_ids.append(r.chunk_id)
            # One string per document, not per chunk.
            doc_ids.append(doc_ids[-1] if doc_ids and doc_ids[-1] == r.doc_id else r.doc_id)
            day_of_row.append(days.get(r.doc_id, 0))
            yield r.text

    tokenizer = bm25s.tokenization.Tokenizer(stopwords="en", stemmer=_stemmer())
    ids = TokenIds()
    for doc in tokenizer.tokenize(
        texts(), update_vocab=True, return_as="stream", allow_empty=False
    ):
        ids.append(doc)
    retriever = None
    vocab = tokenizer.get_vocab_dict()
    if vocab:
        retriever = bm25s.BM25()
        # The hook bm25s itself swaps (for its numba version, which needs numba).
        retriever._np_csc = csc_by_column_blocks
        retriever.index(bm25s.tokenization.Tokenized(ids, vocab), show_progress=False)
    return BM25Index(
        generation=generation,
        retriever=retriever,
        chunk_ids=chunk_ids,
        doc_ids=doc_ids,
        days=np.frombuffer(day_of_row, dtype=np.int64).copy(),
    )


def csc_by_column_blocks(
    data: np.ndarray, rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """bm25s's CSC step (``BM25._np_csc``: the (row, column, score) entries ordered by
    column, then row), a slice of columns at a time.

    bm25s's own argsorts one int64 key per entry built from two int64 copies: ~24 bytes
    an entry on top of its inputs, 1.6 GB at a million chunks (65M entries), the peak of
    the whole rebuild. Here: the 8-byte output plus a slice's temporaries. The rows
    arrive in order (one document after another), so a stable sort by column is enough.
    """
    n_cols = shape[1]
    indptr = np.zeros(n_cols + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols, minlength=n_cols), out=indptr[1:])
    sorted_data, sorted_rows = np.empty_like(data), np.empty_like(rows)
    lo = 0
    while lo < n_cols:
        # The columns [lo, hi) hold about _CSC_SLICE entries (one column at least).
        hi = int(np.searchsorted(indptr, indptr[lo] + _CSC_SLICE, side="right")) - 1
        hi = max(hi, lo + 1)
        inside = cols >= lo
        inside &= cols < hi
        at = np.flatnonzero(inside)
        del inside
        at = at[np.argsort(cols[at], kind="stable")]
        sorted_data[indptr[lo] : indptr[hi]] = data[at]
        sorted_rows[indptr[lo] : indptr[hi]] = rows[at]
        lo = hi
    return sorted_data, sorted_rows, indptr


# Entries per slice of columns: ~0.1 GB of temporaries per slice, plus two bytes per
# entry of the whole matrix for the slice's mask.
_CSC_SLICE = 1 << 22


def _save(index: BM25Index, folder: Path) -> None:
    unique = f"{os.getpid()}-{threading.get_ident()}"
    tmp = folder.with_name(f"{folder.name}.tmp{unique}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if index.retriever is not None:
        index.retriever.save(str(tmp / "bm25s"))
    np.save(tmp / "days.npy", index.days)
    (tmp / "rows.json").write_text(
        json.dumps(
            {
                "generation": index.generation,
                "retriever": index.retriever is not None,
                "chunk_ids": index.chunk_ids,
                "doc_ids": index.doc_ids,
            }
        )
    )
    old = folder.with_name(f"{folder.name}.old{unique}")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)


def load(manifest: Manifest, folder: Path) -> BM25Index:
    """Load the saved index; rebuild it when missing or out of step with the manifest."""
    generation = manifest.generation()
    try:
        rows = json.loads((folder / "rows.json").read_text())
        if int(rows["generation"]) == generation:
            retriever = None
            # An index saved before the flag has a retriever whenever it has chunks.
            if rows.get("retriever", bool(rows["chunk_ids"])):
                retriever = bm25s.BM25.load(str(folder / "bm25s"), mmap=False)
            return BM25Index(
                generation=generation,
                retriever=retriever,
                chunk_ids=list(rows["chunk_ids"]),
                doc_ids=list(rows["doc_ids"]),
                days=np.load(folder / "days.npy"),
            )
    except (OSError, ValueError, KeyError):
        pass
    return build(manifest, folder)
