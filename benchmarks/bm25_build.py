"""BM25 rebuild benchmark: time and peak memory of ``bm25.build`` at corpus scale.

The rebuild at the end of every indexing run reads every chunk from the manifest and
indexes it; at a million chunks it was the indexing process's memory peak. This measures
it alone, without Chroma or embedding, so a million chunks take minutes, not an hour:

1. Corpus: synthetic documents written straight into a manifest (``Manifest``, the
   SQL ``reindex()`` uses): copies of ``samples/`` + the dev ``documents.jsonl`` (read
   at run time) with fresh doc ids, random dates and their chunks' sentences shuffled,
   at most 12 chunks each, as in ``benchmarks/query.py`` (1M chunks: ~270k documents,
   ~1 GB of SQLite).
2. Each build in a fresh child process (peak RSS = that process's ``VmHWM``):
   *streamed* is ``bm25.build`` (what ``reindex()`` runs); *one-shot* is the build as it
   was, kept here as the baseline: ``manifest.all_chunks()``, ``bm25s.tokenize`` of
   every text at once, ``BM25.index`` with bm25s's own CSC step.
3. Each child then answers the same questions (the dev questions, the sample questions)
   with ``BM25Index.search(q, 20)``; the report says whether every top 20 (chunk ids
   and scores) is the same in both.

    .venv/bin/python -m benchmarks.bm25_build --chunks 1000000 --keep   # ~10 min
    .venv/bin/python -m benchmarks.bm25_build --reuse /tmp/evchat-bench-bm25-XXXX
    .venv/bin/python -m benchmarks.bm25_build --quick                   # 20k chunks

Writes ``benchmarks/results/bm25_build.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, RESULTS, corpus_paths, pct
from benchmarks.query import MAX_CHUNKS_PER_DOC, _rss, _shuffle_sentences, questions


def build_manifest(path: Path, n: int) -> None:
    """Write ``n`` synthetic chunks into a fresh manifest at ``path``."""
    from assistant import Settings
    from index.ingest.chunking import CHUNKER_VERSION, chunk_document, chunk_id
    from index.ingest.loaders import content_hash, discover, load
    from index.store.manifest import Manifest, ManifestEntry
    from index.types import Chunk, LoadedDocument

    ingest = Settings(home=path.parent / "unused").ingest
    sources, _ = discover(corpus_paths(False, path.parent))
    pool = [
        (d, [c.text for c in chunks])
        for s in sources
        for d in load(s, 60 * 2**20)
        if isinstance(d, LoadedDocument)
        for chunks in [
            chunk_document(
                d, content_hash(d.text), ingest.chunk_tokens, ingest.chunk_overlap_tokens
            )
        ]
    ]
    manifest, rng = Manifest(path), random.Random(n)
    made, docs, pending = 0, 0, []
    while made < n:
        src, src_texts = pool[rng.randrange(len(pool))]
        texts = [_shuffle_sentences(t, rng) for t in src_texts[:MAX_CHUNKS_PER_DOC]][: n - made]
        day = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        doc = LoadedDocument(f"syn-{docs:07d}", "\n\n".join(texts), src.title, src.source, day)
        docs += 1
        digest, start, chunks = content_hash(doc.text), 0, []
        for j, text in enumerate(texts):
            cid = chunk_id(doc.doc_id, digest, j)
            chunks.append(Chunk(cid, doc.doc_id, j, text, start, start + len(text), None, text))
            start += len(text) + 2
        pending.append(ManifestEntry(doc, "synthetic", digest, CHUNKER_VERSION, "m", chunks))
        made += len(chunks)
        if len(pending) >= 1000 or made >= n:
            manifest.put_documents(pending)
            pending.clear()


def one_shot_build(manifest: Any) -> Any:
    """The build before streaming (the baseline): every chunk and text in memory at once."""
    import bm25s
    import numpy as np

    from index.store import bm25
    from index.store.chroma import date_number

    rows = manifest.all_chunks()
    published = {d.doc_id: d.published_at for d in manifest.documents().values()}
    retriever = bm25s.BM25()
    retriever.index(bm25.tokenize([r.text for r in rows]), show_progress=False)
    return bm25.BM25Index(
        generation=manifest.generation(),
        retriever=retriever,
        chunk_ids=[r.chunk_id for r in rows],
        doc_ids=[r.doc_id for r in rows],
        days=np.array([date_number(published.get(r.doc_id)) for r in rows], dtype=np.int64),
    )


def child(mode: str, folder: Path) -> dict[str, Any]:
    """Build one way in this process, then search; the top 20s go to a file."""
    from index.store import bm25
    from index.store.manifest import Manifest

    manifest = Manifest(folder / "manifest.sqlite")
    start_mb = _rss()["rss_mb"]
    t = time.perf_counter()
    if mode == "streamed":
        index = bm25.build(manifest, folder / f"bm25-{mode}")
    else:
        index = one_shot_build(manifest)
    build_s = time.perf_counter() - t
    peak = _rss()
    qs = json.loads((folder / "questions.json").read_text())
    cpu_ms, tops = [], []
    for q in qs:
        t = time.process_time()
        hits = index.search(q, 20)
        cpu_ms.append((time.process_time() - t) * 1000)
        tops.append([(index.chunk_ids[r], s) for r, s in hits])
    (folder / f"top-{mode}.json").write_text(json.dumps(tops))
    return {
        "build_s": build_s,
        "build_peak_rss_mb": peak["peak_rss_mb"],
        "rss_before_build_mb": start_mb,
        "rss_after_build_mb": peak["rss_mb"],
        "chunks": len(index.chunk_ids),
        "search_cpu_ms_p50": pct(cpu_ms, 50),
        "search_cpu_ms_p95": pct(cpu_ms, 95),
    }


def run_child(mode: str, folder: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bm25_build", "--child", mode, "--reuse", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{mode} build failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chunks", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="20k chunks")
    ap.add_argument("--reuse", type=Path, help="a folder kept by an earlier --keep run")
    ap.add_argument("--keep", action="store_true", help="keep the corpus folder")
    ap.add_argument("--child", choices=["streamed", "one-shot"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.reuse)))
        return
    folder = args.reuse or Path(tempfile.mkdtemp(prefix="evchat-bench-bm25-"))
    manifest = folder / "manifest.sqlite"
    if not manifest.exists():
        t = time.perf_counter()
        build_manifest(manifest, 20_000 if args.quick else args.chunks)
        print(f"manifest written in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    (folder / "questions.json").write_text(json.dumps(questions([], 200)))
    result = {mode: run_child(mode, folder) for mode in ("one-shot", "streamed")}
    result["same_top20"] = (folder / "top-one-shot.json").read_text() == (
        folder / "top-streamed.json"
    ).read_text()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bm25_build.json").write_text(json.dumps(result, indent=1))
    print(table(result))
    if args.keep or args.reuse:
        print(f"corpus kept in {folder}", file=sys.stderr)
    else:
        shutil.rmtree(folder)


def table(r: dict[str, Any]) -> str:
    a, b = r["one-shot"], r["streamed"]
    return "\n".join(
        [
            f"| BM25 rebuild, {a['chunks']:,} chunks | one-shot (before) | streamed (now) |",
            "|---|---|---|",
            f"| build time | {a['build_s']:.0f} s | {b['build_s']:.0f} s |",
            f"| peak RSS of the process | {a['build_peak_rss_mb']:,.0f} MB "
            f"| {b['build_peak_rss_mb']:,.0f} MB |",
            f"| RSS after the build | {a['rss_after_build_mb']:,.0f} MB "
            f"| {b['rss_after_build_mb']:,.0f} MB |",
            f"| search CPU p50 / p95 | {a['search_cpu_ms_p50']:.1f} / "
            f"{a['search_cpu_ms_p95']:.1f} ms | {b['search_cpu_ms_p50']:.1f} / "
            f"{b['search_cpu_ms_p95']:.1f} ms |",
            f"| same top 20 for every question | {'yes' if r['same_top20'] else 'NO'} | |",
        ]
    )


if __name__ == "__main__":
    main()
