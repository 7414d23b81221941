"""BM25: the same ranking as a full sort (fast on ties and zeros at a million rows), and a
streamed rebuild that scores exactly like tokenizing every chunk at once."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import bm25s as bs
import numpy as np
import pytest
from bm25s.scoring import _np_csc_python

from index.store import bm25
from index.store.manifest import Manifest, ManifestEntry
from index.types import Chunk, LoadedDocument


def brute_force(scores: np.ndarray, n: int) -> list[tuple[int, float]]:
    order = sorted(range(len(scores)), key=lambda r: (-scores[r], r))
    return [(r, float(scores[r])) for r in order[:n] if scores[r] > 0]


def test_top_rows_equals_a_full_sort_with_ties_zeros_and_short_lists() -> None:
    rng = np.random.default_rng(3)
    scores = rng.choice([0.0, 0.0, 0.0, 1.5, 2.25, 3.0], size=5000).astype(np.float32)
    for n in (1, 7, 40, 5000):
        assert bm25.top_rows(scores, n) == brute_force(scores, n)
    assert bm25.top_rows(np.zeros(10, dtype=np.float32), 5) == []
    assert bm25.top_rows(np.array([0, 2, 0, 1], dtype=np.float32), 10) == [(1, 2.0), (3, 1.0)]


def index_of(tmp_path: Path, texts: list[str]) -> bm25.BM25Index:
    manifest = Manifest(tmp_path / "manifest.sqlite")
    entries = []
    for i, text in enumerate(texts):
        doc = LoadedDocument(doc_id=f"d{i}", text=text, title="t", source="s")
        chunk = Chunk(f"c{i}", doc.doc_id, 0, text, 0, len(text), None, text)
        entries.append(ManifestEntry(doc, "o", "h", "v", "m", [chunk]))
    manifest.put_documents(entries)
    return bm25.build(manifest, tmp_path / "bm25")


def test_search_ranks_by_bm25_and_honours_the_mask(tmp_path: Path) -> None:
    index = index_of(
        tmp_path,
        [
            "CATL sodium-ion battery cells for cheap cars",
            "BYD builds a car plant in Hungary",
            "Sodium-ion batteries: CATL's Naxtra sodium cells",
            "Lithium prices fell",
        ],
    )
    hits = index.search("sodium-ion cells from CATL", 10)
    assert [index.chunk_ids[r] for r, _ in hits][:2] in (["c2", "c0"], ["c0", "c2"])
    assert {index.chunk_ids[r] for r, _ in hits} == {"c0", "c2"}  # only positive scores
    assert all(a[1] >= b[1] for a, b in itertools.pairwise(hits))
    mask = np.array([True, True, False, True])
    assert [index.chunk_ids[r] for r, _ in index.search("sodium-ion cells", 10, mask)] == ["c0"]
    assert index.search("the of and", 10) == []  # stop words only
    assert index.search("zeppelin", 10) == []  # not in the vocabulary


def synthetic_texts(n: int) -> list[str]:
    """``n`` chunks of shuffled sentences from the samples, with edge cases mixed in."""
    samples = Path(__file__).parents[4] / "samples"
    sentences = [
        s
        for f in sorted(samples.glob("*.md"))
        for s in re.split(r"(?<=[.!?])\s+", f.read_text(encoding="utf-8"))
        if s.strip()
    ]
    rng = random.Random(15)
    texts = [" ".join(rng.sample(sentences, rng.randint(1, 8))) for _ in range(n)]
    texts[7] = "the of and it is"  # stop words only: no tokens
    texts[8] = "— … ?"  # no words at all
    texts[9] = "Škoda Škoda škoda: ÉLAN, naïve 电动车 2024 2024 2024"
    return texts


def test_streamed_build_scores_exactly_like_the_one_shot_tokenize(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bm25, "_CSC_SLICE", 5000)  # many slices of columns
    texts = synthetic_texts(3000)
    manifest = Manifest(tmp_path / "manifest.sqlite")
    entries = []
    for i in range(0, len(texts), 3):  # three chunks a document
        doc = LoadedDocument(doc_id=f"d{i // 3:04d}", text="", title="t", source="s")
        chunks = [
            Chunk(f"c{j:04d}", doc.doc_id, j - i, texts[j], 0, 1, None, "")
            for j in (i, i + 1, i + 2)
        ]
        entries.append(ManifestEntry(doc, "o", "h", "v", "m", chunks))
    manifest.put_documents(entries)
    index = bm25.build(manifest, tmp_path / "bm25")
    # The index as it was built before streaming: every text tokenized at once.
    rows = manifest.all_chunks()
    assert index.chunk_ids == [r.chunk_id for r in rows] == [f"c{j:04d}" for j in range(3000)]
    assert index.doc_ids == [r.doc_id for r in rows]
    reference = bs.BM25()
    reference.index(bm25.tokenize([r.text for r in rows]), show_progress=False)
    assert index.retriever is not None
    assert set(index.retriever.vocab_dict) == set(reference.vocab_dict)
    words = sorted({w for t in texts[:300] for w in t.split()})
    queries = [*texts[:50], *(" ".join(words[i : i + 3]) for i in range(0, len(words), 3))]
    before = bm25.BM25Index(1, reference, index.chunk_ids, index.doc_ids, index.days)
    loaded = bm25.load(manifest, tmp_path / "bm25")
    for query in queries:  # every positive score, in order, bit for bit
        assert index.search(query, 3000) == before.search(query, 3000), query
        assert loaded.search(query, 10) == index.search(query, 10)
    assert all(index.search(q, 1) for q in queries[:7])


def test_a_corpus_without_words_builds_an_empty_index_once(tmp_path: Path) -> None:
    index = index_of(tmp_path, ["the of and", "— …"])
    assert index.retriever is None and index.chunk_ids == ["c0", "c1"]
    assert index.search("anything", 5) == []
    before = (tmp_path / "bm25" / "rows.json").stat().st_mtime_ns
    loaded = bm25.load(Manifest(tmp_path / "manifest.sqlite"), tmp_path / "bm25")
    assert loaded.retriever is None and loaded.chunk_ids == ["c0", "c1"]
    assert (tmp_path / "bm25" / "rows.json").stat().st_mtime_ns == before  # not rebuilt


def test_csc_by_column_blocks_equals_bm25s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    n_docs, n_cols = 400, 300
    cols = [rng.choice(n_cols, size=rng.integers(0, 40), replace=False) for _ in range(n_docs)]
    cols[3] = np.arange(n_cols)  # a column longer than a slice is one slice of its own
    rows = np.concatenate([np.full(len(c), d) for d, c in enumerate(cols)]).astype(np.int32)
    flat = np.concatenate(cols).astype(np.int32)
    data = rng.random(len(flat)).astype(np.float32)
    for size in (1, 7, 1000, 1 << 22):
        monkeypatch.setattr(bm25, "_CSC_SLICE", size)
        ours = bm25.csc_by_column_blocks(data, rows, flat, (n_docs, n_cols))
        theirs = _np_csc_python(data, rows, flat, (n_docs, n_cols))
        for a, b in zip(ours, theirs, strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b)
