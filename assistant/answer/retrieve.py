"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s), fused by reciprocal rank fusion.

Filters (sources, doc ids, a published-date range) and ``as_of`` (documents published
after it are excluded) apply to both retrievers before ranking. For questions about
"this week", "latest" and the like a small recency bonus breaks ties in favour of
documents published close to ``as_of``. At most ``max_chunks_per_doc`` passages come
from one document, so a long article cannot crowd out the rest.

A question that names a source of the collection ("Does the article from The Verge ...")
gets one more dense and one more BM25 ranking restricted to the named sources, fused with
the others: passages from those sources rise without the rest being excluded. A source
counts as named when its name (or the part before " | ") occurs as whole words,
capitalised, so that the source "Wired" is not named by "wired charging".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.errors import BadInputError
from assistant.settings import RetrievalSettings
from assistant.types import Passage
from index.embed.factory import ArrayEmbedder
from index.store.chroma import date_number
from index.store.collection import Collection
from index.store.manifest import DocumentRecord

_RECENT = re.compile(
    r"\b(this (week|month|year)|latest|recent(ly)?|newest|current(ly)?|today|now|so far|just)\b",
    re.IGNORECASE,
)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some sources, documents or a published-date range."""

    sources: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None  # ISO date, inclusive


def parse_iso_date(value: str | dt.date | None, what: str = "date") -> str | None:
    """Validate a date written exactly as YYYY-MM-DD (surrounding spaces allowed); None for
    an empty value; ``BadInputError`` (a ``ValueError``) with a clear message otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = str(value).strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadInputError(f"The {what} {value!r} is not a date of the form YYYY-MM-DD.") from None


class Retriever:
    """Finds the passages that best match a question in one collection."""

    def __init__(
        self, collection: Collection, embedder: ArrayEmbedder, settings: RetrievalSettings
    ) -> None:
        self.col = collection
        self.embedder = embedder
        self.settings = settings
        self._docs: tuple[int, dict[str, DocumentRecord]] | None = None
        self._newest: tuple[dict[str, DocumentRecord], dt.date | None] | None = None
        self._source_names: tuple[dict[str, DocumentRecord], list[tuple[re.Pattern[str], str]]]
        self._source_names = ({}, [])
        self._row_source_cache: (
            tuple[object, dict[str, DocumentRecord], np.ndarray, dict[str, int]] | None
        ) = None

    def warm_up(self) -> None:
        """Build now what the first questions would build: the BM25 index and its row
        lookups, the document records, the newest date, the source codes, and Chroma's
        vector index (one search loads it). At a million chunks these take seconds."""
        index = self.col.bm25()
        _ = index.row_of
        self._newest_date()
        self._row_sources()
        self.named_sources("")
        self.retrieve("electric vehicles", k=1)

    def documents(self) -> dict[str, DocumentRecord]:
        """Indexed documents by id (cached until the manifest changes)."""
        generation = self.col.manifest.generation()
        if self._docs is None or self._docs[0] != generation:
            self._docs = (generation, self.col.manifest.documents())
        return self._docs[1]

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        as_of: str | None = None,
        filters: Filters | None = None,
    ) -> list[Passage]:
        """The ``k`` best passages for ``question``, best first."""
        s = self.settings
        k = k or s.k
        filters = filters or Filters()
        upper = (
            min(d for d in (as_of, filters.date_to) if d) if (as_of or filters.date_to) else None
        )
        vector = self.embedder.embed_one(question)
        named = () if filters.sources or not s.source_weight else self.named_sources(question)
        dense = self._dense_hits(vector, filters, upper)
        index = self.col.bm25()
        mask = self._bm25_mask(index.doc_ids, index.days, filters, upper)
        # With named sources the BM25 list is three times as long and the named sources'
        # own BM25 ranking is filtered from it here (a second search would score every
        # chunk again).
        n_bm25 = (3 if named else 1) * s.candidates
        wide_bm25 = [(index.chunk_ids[row], row) for row, _ in index.search(question, n_bm25, mask)]
        fused: dict[str, float] = {}
        _add_ranking(fused, [h[0] for h in dense], s.dense_weight, s.rrf_k)
        _add_ranking(
            fused,
            [cid for cid, _row in wide_bm25[: s.candidates]],
            s.bm25_weight,
            s.rrf_k,
        )
        similarity = {cid: sim for cid, sim, _text, _m in dense}
        if named:
            codes, code_of = self._row_sources()
            wanted = {code_of[src] for src in named if src in code_of}
            dense_named = self._named_dense(vector, wanted, mask)
            _add_ranking(
                fused,
                [cid for cid, _sim in dense_named],
                s.source_weight,
                s.rrf_k,
            )
            for cid, sim in dense_named:
                similarity.setdefault(cid, sim)
            bm25_named = [cid for cid, row in wide_bm25 if codes[row] in wanted][: s.candidates]
            _add_ranking(
                fused,
                bm25_named,
                s.source_weight * s.bm25_weight,
                s.rrf_k,
            )
        meta = {cid: (text, m) for cid, _sim, text, m in dense}
        temporal = bool(_RECENT.search(question)) or bool(as_of and s.recency_with_as_of)
        if temporal and s.recency_weight:
            self._add_recency(fused, meta, self.reference_date(as_of, filters))
        ranked = sorted(fused, key=lambda c: fused[c], reverse=True)
        return self._passages(ranked, fused, meta, similarity, k)

    def named_sources(self, question: str) -> tuple[str, ...]:
        """The sources of the collection that ``question`` names, in index order."""
        docs = self.documents()
        if self._source_names[0] is not docs:
            names = []
            for source in sorted({rec.source for rec in docs.values() if rec.source}):
                for name in {source, source.split(" | ")[0].strip()}:
                    if len(name) >= 3 and any(ch.isalpha() for ch in name):
                        pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w])", re.I)
                        names.append((pattern, source))
            self._source_names = (docs, names)
        found: list[str] = []
        for pattern, source in self._source_names[1]:
            if source in found:
                continue
            for m in pattern.finditer(question):
                if m.group(0)[0].isupper() or "." in m.group(0):
                    found.append(source)
                    break
        return tuple(found)

    def _dense_hits(
        self, vector: np.ndarray, filters: Filters, upper: str | None
    ) -> list[tuple[str, float, str, dict[str, Any]]]:
        """Nearest chunks within the filters.

        A date-only filter is applied to an unfiltered top list three times as long when
        enough of it survives: Chroma evaluates a metadata filter over every row, which
        costs more than the vector search itself on large collections. Whenever enough
        survive, the result is exactly the filtered query's.
        """
        n = self.settings.candidates
        where = _chroma_where(filters, upper)
        if where is not None and not filters.doc_ids and not filters.sources:
            low = date_number(filters.date_from) if filters.date_from else 0
            high = date_number(upper) if upper else 99999999
            wide = self.col.store.query(vector, 3 * n, None)
            kept = [
                hit
                for hit in wide
                if (int(hit[3].get("published_day") or 0) == 0 and not filters.date_from)
                or low <= int(hit[3].get("published_day") or 0) <= high
            ]
            if len(kept) >= n or len(wide) < 3 * n:
                return kept[:n]
        return self.col.store.query(vector, n, where)

    def _named_dense(
        self, vector: np.ndarray, wanted: set[int], mask: np.ndarray | None
    ) -> list[tuple[str, float]]:
        """The named sources' dense ranking: their chunks among a list three times as long.

        The list holds ids and similarities only, and sources and dates are looked up in
        the BM25 index's rows (``mask``: the filters, as for BM25): a source filter in
        Chroma would scan every row, and fetching texts and metadata for the long list
        would cost more than the search.
        """
        index = self.col.bm25()
        codes, _code_of = self._row_sources()
        row_of = index.row_of
        out = []
        for cid, sim in self.col.store.nearest_ids(vector, 3 * self.settings.candidates):
            row = row_of.get(cid)
            if row is not None and codes[row] in wanted and (mask is None or mask[row]):
                out.append((cid, sim))
        return out[: self.settings.candidates]

    def _row_sources(self) -> tuple[np.ndarray, dict[str, int]]:
        """The source of every BM25 row as a code, and the code of each source (cached)."""
        index, docs = self.col.bm25(), self.documents()
        cached = self._row_source_cache
        if cached is None or cached[0] is not index or cached[1] is not docs:
            code_of: dict[str, int] = {}
            source_of = {d: code_of.setdefault(rec.source, len(code_of)) for d, rec in docs.items()}
            codes = np.fromiter(
                (source_of.get(d, -1) for d in index.doc_ids),
                dtype=np.int32,
                count=len(index.doc_ids),
            )
            cached = self._row_source_cache = (index, docs, codes, code_of)
        return cached[2], cached[3]

    def _bm25_mask(
        self, doc_ids: list[str], days: np.ndarray, filters: Filters, upper: str | None
    ) -> np.ndarray | None:
        mask = np.ones(len(doc_ids), dtype=bool)
        if upper:
            mask &= (days <= date_number(upper)) | (days == 0)
        if filters.date_from:
            mask &= days >= date_number(filters.date_from)
        if filters.sources:
            codes, code_of = self._row_sources()
            mask &= np.isin(codes, [code_of[src] for src in filters.sources if src in code_of])
        if filters.doc_ids:
            allowed = set(filters.doc_ids)
            mask &= np.fromiter((d in allowed for d in doc_ids), dtype=bool, count=len(doc_ids))
        return None if mask.all() else mask

    def _add_recency(
        self,
        fused: dict[str, float],
        meta: dict[str, tuple[str, dict[str, Any]]],
        ref: dt.date | None,
    ) -> None:
        s = self.settings
        if not fused or ref is None:
            return
        docs = self.documents()
        bonus = s.recency_weight / (s.rrf_k + 1)
        doc_of = self._doc_of(list(fused), meta)
        for cid in fused:
            rec = docs.get(doc_of.get(cid, ""))
            day = _to_date(rec.published_at if rec else None)
            if day is not None:
                age = max((ref - day).days, 0)
                fused[cid] += bonus * float(np.exp(-age / s.recency_half_life_days))

    def reference_date(self, as_of: str | None, filters: Filters | None = None) -> dt.date | None:
        """The date "now" means for a question: ``as_of``, else the end of the date filter
        (the earlier of the two when both are given), else the newest document's date."""
        ends = [d for d in (as_of, filters.date_to if filters else None) if d]
        return _to_date(min(ends)) if ends else self._newest_date()

    def _newest_date(self) -> dt.date | None:
        """The newest publication date in the collection (cached with the documents)."""
        docs = self.documents()
        if self._newest is None or self._newest[0] is not docs:
            days = [d for d in (_to_date(r.published_at) for r in docs.values()) if d]
            self._newest = (docs, max(days, default=None))
        return self._newest[1]

    def _doc_of(
        self, ids: list[str], meta: dict[str, tuple[str, dict[str, Any]]]
    ) -> dict[str, str]:
        index = self.col.bm25()
        row_of = index.row_of
        out = {}
        for cid in ids:
            if cid in meta:
                out[cid] = str(meta[cid][1].get("doc_id", ""))
            elif cid in row_of:
                out[cid] = index.doc_ids[row_of[cid]]
        return out

    def _passages(
        self,
        ranked: list[str],
        fused: dict[str, float],
        meta: dict[str, tuple[str, dict[str, Any]]],
        similarity: dict[str, float],
        k: int,
    ) -> list[Passage]:
        missing = [c for c in ranked[: k * 4] if c not in meta]
        if missing:
            for cid, text, m in self.col.store.get(missing):
                meta[cid] = (text, m)
        per_doc: dict[str, int] = {}
        out: list[Passage] = []
        for cid in ranked:
            if cid not in meta:
                continue  # deleted between the BM25 build and now
            text, m = meta[cid]
            doc_id = str(m.get("doc_id", ""))
            if per_doc.get(doc_id, 0) >= self.settings.max_chunks_per_doc:
                continue
            per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
            out.append(_passage(cid, text, m, fused[cid], similarity.get(cid, 0.0)))
            if len(out) >= k:
                break
        return out


def _add_ranking(fused: dict[str, float], ranked: list[str], weight: float, rrf_k: int) -> None:
    """Reciprocal-rank fusion: add ``weight / (rrf_k + rank)`` for each ranked chunk."""
    for rank, cid in enumerate(ranked):
        fused[cid] = fused.get(cid, 0.0) + weight / (rrf_k + rank + 1)


def _passage(cid: str, text: str, m: dict[str, Any], score: float, similarity: float) -> Passage:
    return Passage(
        chunk_id=cid,
        doc_id=str(m.get("doc_id", "")),
        text=text,
        title=str(m.get("title", "")),
        source=str(m.get("source", "")),
        published_at=str(m.get("published_at") or "") or None,
        page=int(m.get("page") or 0) or None,
        start=int(m.get("start", 0)),
        end=int(m.get("end", 0)),
        score=score,
        url=str(m["url"]) if m.get("url") else None,
        similarity=similarity,
    )


def _chroma_where(filters: Filters, upper: str | None) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if upper:
        clauses.append(
            {
                "$or": [
                    {"published_day": {"$lte": date_number(upper)}},
                    {"published_day": {"$eq": 0}},
                ]
            }
        )
    if filters.date_from:
        clauses.append({"published_day": {"$gte": date_number(filters.date_from)}})
    if filters.doc_ids:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids)}})
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _to_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
