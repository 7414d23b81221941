"""Query benchmark: retrieval and extractive-answer latency and memory at corpus scale.

What it measures: query latency and peak memory once a corpus of N chunks is indexed —
NOT ingestion speed (see ``benchmarks/ingest.py`` for that). Embedding 100k chunks for
real would take most of an hour on a small machine, so the corpora are synthesised:

1. Pool: ``samples/`` + the dev ``documents.jsonl`` (read at run time), chunked with our
   chunker and embedded once with ``MiniLMEmbedder`` (~1.4k distinct chunks).
2. Corpus of N chunks: synthetic documents, each a copy of a random pool document with a
   fresh doc id, a random date (2019-2025) and its chunks' sentences shuffled (capped at
   12 chunks per document). Each chunk gets its original's vector plus small gaussian
   noise, renormalised (cosine ~0.98 to the original), so the vector space has the
   pool's structure and realistic near-duplicates.
3. Written the way ``reindex()`` writes, minus the embedding: through
   ``Collection.open_for_write(settings)``, ``store.collection.add`` in batches with the
   metadata ``ChromaStore.chunk_metadata`` produces, the manifest rows ``put_document``
   writes (same SQL, one transaction per batch rather than per document, for speed),
   then ``rebuild_bm25()`` and ``activate()``. The tutorial baseline's Chroma collection
   (``langchain_chroma.Chroma``, default settings) gets the same texts and vectors via
   ``Chroma(...)._collection.add(embeddings=...)``; its queries are still embedded by
   chromadb's ``ONNXMiniLM_L6_V2`` (padded to 256), as the tutorial would.

Then, per size, in a fresh subprocess per system (so peak RSS is per size and system):
``Assistant(settings).retriever().retrieve(q)`` and ``Assistant.ask(q)`` (extractive;
``timings_ms["answer"]`` is the time after retrieval) for ~200 questions (dev question
texts read at run time, sample-corpus questions, title questions), against the
tutorial's ``similarity_search(q, k=4)``. At 10k also ours against a Chroma server
(``chroma run`` started here) to show the client/server cost; its RSS adds the server's.

    .venv/bin/python -m benchmarks.query --sizes 1000,10000,100000,1000000 --keep
    .venv/bin/python -m benchmarks.query --reuse /tmp/evchat-bench-query-XXXX  # kept corpora
    .venv/bin/python -m benchmarks.query --quick            # 1000,10000

Each corpus is built in a child process, so its build time and the build's peak RSS are
reported per size. The tutorial's collection is built and measured up to
``--tutorial-max`` chunks (default 100k: at 1M it would double a half-hour build, and
its latency is flat with size, dominated by embedding the question padded to 256).

Writes ``benchmarks/results/query.json``, ``benchmarks/RESULTS-query.md`` and
``docs/bench-query.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant import Settings
from benchmarks.common import (
    DEV_QUESTIONS,
    REPO,
    RESULTS,
    ChromaFunctionEmbeddings,
    chroma_onnx_function,
    corpus_paths,
    embeddings_settings,
    local_server,
    pct,
)

HERE = Path(__file__).resolve()
SERVER_SIZE = 10_000
# chunks -> (retrieval p95 ms, extractive answer p95 ms, peak RSS MB) the issues set
# The collection the embeddings-server run reads (same vectors: the server runs our model).
_OPENAI_SPEC = {"embedding": {"embedding": "openai", "openai_embedding_model": "local-minilm"}}
TARGETS = {100_000: (30, 150, 1536), 1_000_000: (60, 150, 4096)}
MAX_CHUNKS_PER_DOC = 12
NOISE_NORM = 0.2  # length of the gaussian noise added to a reused vector before renormalising
SAMPLE_QUESTIONS = [
    "Where is BYD building its first European car plant?",
    "When did BYD overtake Tesla in quarterly EV sales?",
    "Why did Ford license CATL's LFP battery technology?",
    "How fast does CATL's Shenxing battery charge?",
    "When did Tesla deliver the first Cybertruck?",
    "What was the launch price of the Xiaomi SU7?",
    "Which Chinese carmaker plans to build cars in Barcelona?",
    "What tariff did the US put on Chinese electric vehicles in 2024?",
    "What provisional duties did the EU impose on Chinese EVs?",
    "What is the NACS charging standard and who adopted it?",
    "What is IONNA?",
    "What does the EU AFIR regulation require of charging stations?",
    "Why did BHP suspend Nickel West?",
    "How did Indonesian nickel affect the market?",
    "Who is leading the race for solid-state batteries?",
    "What surtax did Canada put on Chinese EVs?",
    "What is the Stellantis and Leapmotor joint venture?",
    "How much is Volkswagen investing in Xpeng?",
    "Why did lithium prices crash?",
    "What were the EU's definitive duties on Chinese EVs?",
    "What is vehicle-to-grid charging?",
    "Why did Northvolt file for Chapter 11?",
    "What was the average battery pack price in 2024?",
    "What share of new cars sold in Norway in 2024 were electric?",
    "What are the advantages of sodium-ion batteries?",
    "How do Redwood Materials and Li-Cycle recycle batteries?",
    "Which battery chemistry is cheapest?",
    "What are the latest EV tariffs this week?",
    "How many EVs did Tesla sell last year?",
    "What is the range of the Cybertruck?",
]


# --- questions ----------------------------------------------------------------------
def questions(pool_titles: list[str], n: int) -> list[str]:
    """~n questions: dev question texts (read now), sample questions, title questions."""
    qs: list[str] = []
    if DEV_QUESTIONS.is_file():
        for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines():
            if line.strip():
                qs.append(json.loads(line)["question"])
    qs += SAMPLE_QUESTIONS
    rng = random.Random(7)
    titles = [t for t in dict.fromkeys(pool_titles) if t]
    rng.shuffle(titles)
    forms = ["What happened: {}?", "Tell me about {}", "{} — what are the key numbers?"]
    for i, t in enumerate(titles):
        if len(qs) >= n:
            break
        qs.append(forms[i % len(forms)].format(t.rstrip(".…?")[:150]))
    return qs[:n]


# --- pool ---------------------------------------------------------------------------
def build_pool(quick: bool, tmp: Path) -> None:
    """Chunk and embed the real corpus once; save texts/metadata and vectors in ``tmp``."""
    import numpy as np

    from index.embed.minilm import MiniLMEmbedder
    from index.ingest.chunking import chunk_document
    from index.ingest.loaders import content_hash, discover, load
    from index.types import LoadedDocument

    settings = Settings(home=tmp / "unused")
    sources, _ = discover(corpus_paths(quick, tmp))
    docs = [d for s in sources for d in load(s, 60 * 2**20) if isinstance(d, LoadedDocument)]
    pool_docs, texts = [], []
    for d in docs:
        chunks = chunk_document(
            d,
            content_hash(d.text),
            settings.ingest.chunk_tokens,
            settings.ingest.chunk_overlap_tokens,
        )[:MAX_CHUNKS_PER_DOC]
        first = len(texts)
        texts += [c.embed_text for c in chunks]
        pool_docs.append(
            {
                "title": d.title,
                "source": d.source,
                "url": d.url,
                "chunks": [c.text for c in chunks],
                "rows": list(range(first, len(texts))),
            }
        )
    t = time.perf_counter()
    vectors = MiniLMEmbedder().embed_array(texts)
    print(
        f"pool: {len(docs)} docs, {len(texts)} chunks embedded in {time.perf_counter() - t:.0f} s",
        file=sys.stderr,
    )
    np.save(tmp / "pool.npy", vectors)
    (tmp / "pool.json").write_text(json.dumps(pool_docs))


_SENT = re.compile(r"(?<=[.!?])\s+")


def _shuffle_sentences(text: str, rng: random.Random) -> str:
    parts = [p for p in _SENT.split(text) if p]
    rng.shuffle(parts)
    return " ".join(parts)


def build_corpus(
    tmp: Path, n: int, home: Path, tutorial_dir: Path | None, **settings_kw: Any
) -> dict[str, float]:
    """Write a synthetic corpus of ``n`` chunks for ours (home) and, unless
    ``tutorial_dir`` is None, the tutorial."""
    import numpy as np
    from langchain_chroma import Chroma

    from index.ingest.chunking import CHUNKER_VERSION, chunk_id, context_prefix
    from index.ingest.loaders import content_hash
    from index.store.collection import Collection
    from index.store.manifest import ManifestEntry
    from index.types import Chunk, LoadedDocument

    pool = json.loads((tmp / "pool.json").read_text())
    vectors = np.load(tmp / "pool.npy")
    rng = random.Random(n)
    nrng = np.random.default_rng(n)
    settings = Settings(home=home, **settings_kw)
    col = Collection.open_for_write(settings)
    tut = (
        Chroma(
            collection_name="tutorial",
            embedding_function=ChromaFunctionEmbeddings(None),
            persist_directory=str(tutorial_dir),
        )
        if tutorial_dir is not None
        else None
    )
    batch: dict[str, list[Any]] = {"ids": [], "vec": [], "docs": [], "meta": [], "tmeta": []}
    timing = {"chroma_s": 0.0, "tutorial_s": 0.0, "manifest_s": 0.0}

    def flush() -> None:
        if not batch["ids"]:
            return
        emb = np.stack(batch["vec"])
        t = time.perf_counter()
        col.store.collection.add(
            ids=batch["ids"], embeddings=emb, documents=batch["docs"], metadatas=batch["meta"]
        )
        timing["chroma_s"] += time.perf_counter() - t
        t = time.perf_counter()
        if tut is not None:
            tut._collection.add(
                ids=batch["ids"], embeddings=emb, documents=batch["docs"], metadatas=batch["tmeta"]
            )
        timing["tutorial_s"] += time.perf_counter() - t
        for v in batch.values():
            v.clear()

    pending: list[tuple[LoadedDocument, str, list[Chunk]]] = []

    def put_documents() -> None:
        t = time.perf_counter()
        col.manifest.put_documents(
            [
                ManifestEntry(doc, "synthetic", digest, CHUNKER_VERSION, col.spec.model_id, chunks)
                for doc, digest, chunks in pending
            ]
        )
        pending.clear()
        timing["manifest_s"] += time.perf_counter() - t

    made, i = 0, 0
    with col.write_lock():
        while made < n:
            src = pool[rng.randrange(len(pool))]
            texts = [_shuffle_sentences(t, rng) for t in src["chunks"]][: n - made]
            if not texts:
                continue
            doc_text = "\n\n".join(texts)
            day = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            doc = LoadedDocument(
                doc_id=f"syn-{i:06d}",
                text=doc_text,
                title=src["title"],
                source=src["source"],
                published_at=day,
                url=src["url"],
            )
            i += 1
            digest = content_hash(doc_text)
            prefix = context_prefix(doc)
            chunks, start = [], 0
            for j, text in enumerate(texts):
                chunks.append(
                    Chunk(
                        chunk_id(doc.doc_id, digest, j),
                        doc.doc_id,
                        j,
                        text,
                        start,
                        start + len(text),
                        None,
                        prefix + text,
                    )
                )
                start += len(text) + 2
            for c, row in zip(chunks, src["rows"], strict=False):
                v = vectors[row] + nrng.normal(
                    0, NOISE_NORM / np.sqrt(vectors.shape[1]), vectors.shape[1]
                ).astype(np.float32)
                batch["ids"].append(c.chunk_id)
                batch["vec"].append(v / np.linalg.norm(v))
                batch["docs"].append(c.text)
                batch["meta"].append(col.store.chunk_metadata(doc, c))
                batch["tmeta"].append({"doc_id": doc.doc_id})
            pending.append((doc, digest, chunks))
            made += len(chunks)
            if len(batch["ids"]) >= 4096:
                flush()
                put_documents()
        flush()
        put_documents()
        t = time.perf_counter()
        col.rebuild_bm25()
        timing["bm25_s"] = time.perf_counter() - t
        col.activate()
    timing["documents"], timing["chunks"] = col.manifest.counts()
    timing["build_peak_rss_mb"] = _rss()["peak_rss_mb"]
    return timing


# --- measuring (run in a child process) ----------------------------------------------
def _rss() -> dict[str, float]:
    # VmHWM (this process image's peak RSS); ru_maxrss would include the parent's peak,
    # which Linux carries across fork + exec.
    import psutil

    status = Path("/proc/self/status").read_text()
    hwm = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    peak_kb = int(hwm.group(1)) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"peak_rss_mb": peak_kb / 1024, "rss_mb": psutil.Process().memory_info().rss / 2**20}


def _summary(ms: list[float]) -> dict[str, float]:
    return {"p50": pct(ms, 50), "p95": pct(ms, 95), "mean": sum(ms) / len(ms), "n": len(ms)}


def measure_ours(
    home: Path, qs: list[str], host: str | None, port: int | None, embed_port: int | None = None
) -> dict[str, Any]:
    """Retrieval and extractive-answer latency of ``Assistant`` over ``home``."""
    from assistant import Assistant

    t = time.perf_counter()
    extra = embeddings_settings(embed_port) if embed_port else {}
    settings = Settings(
        home=home, answerer="extractive", chroma_host=host, chroma_port=port, **extra
    )
    bot = Assistant(settings)
    r = bot.retriever()
    r.retrieve(qs[0])
    first_ms = (time.perf_counter() - t) * 1000
    bot.ask(qs[1])
    retrieve, answer, total = [], [], []
    for q in qs:
        t = time.perf_counter()
        r.retrieve(q)
        retrieve.append((time.perf_counter() - t) * 1000)
    refused = 0
    for q in qs:
        t = time.perf_counter()
        a = bot.ask(q)
        total.append((time.perf_counter() - t) * 1000)
        answer.append(a.timings_ms["answer"])
        refused += a.refused
    return {
        "first_query_ms": first_ms,
        "retrieve_ms": _summary(retrieve),
        "answer_ms": _summary(answer),
        "ask_total_ms": _summary(total),
        "refused": refused,
        **_rss(),
    }


def measure_tutorial(folder: Path, tmp: Path, qs: list[str]) -> dict[str, Any]:
    """``similarity_search(q, k=4)`` latency of the tutorial's Chroma store."""
    from langchain_chroma import Chroma

    t = time.perf_counter()
    fn = chroma_onnx_function(tmp / "chroma-onnx")
    store = Chroma(
        collection_name="tutorial",
        embedding_function=ChromaFunctionEmbeddings(fn),
        persist_directory=str(folder),
    )
    store.similarity_search(qs[0], k=4)
    first_ms = (time.perf_counter() - t) * 1000
    ms = []
    for q in qs:
        t = time.perf_counter()
        store.similarity_search(q, k=4)
        ms.append((time.perf_counter() - t) * 1000)
    return {"first_query_ms": first_ms, "retrieve_ms": _summary(ms), **_rss()}


def _child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.query", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if out.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_server(home: Path, qs_file: Path) -> dict[str, Any]:
    """Measure ours with the Chroma data served by ``chroma run`` (started and stopped here)."""
    import psutil

    with local_server("chroma", home / "chroma") as (port, proc):
        res = _child(
            ["--measure", "ours", "--home", str(home), "--qfile", str(qs_file),
             "--host", "127.0.0.1", "--port", str(port)]
        )  # fmt: skip
        res["server_rss_mb"] = psutil.Process(proc.pid).memory_info().rss / 2**20
    return res


def with_embed_server(home: Path, qs_file: Path) -> dict[str, Any]:
    """Measure ours with questions embedded by the local OpenAI-compatible server."""
    with local_server("embeddings", home) as (port, proc):
        res = _child(
            ["--measure", "ours", "--home", str(home), "--qfile", str(qs_file),
             "--embed-port", str(port)]
        )  # fmt: skip
        import psutil

        res["server_rss_mb"] = psutil.Process(proc.pid).memory_info().rss / 2**20
    return res


# --- report --------------------------------------------------------------------------
def table(r: dict[str, Any]) -> str:
    """Markdown table of the results."""
    lines = [
        "| chunks | system | retrieval p50 ms | retrieval p95 ms | answer p50 ms "
        "| answer p95 ms | ask p95 ms | first query ms | peak RSS MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in r["sizes"]:
        n = row["chunks"]
        for name, key in (
            ("ours", "ours"),
            ("ours, Chroma server", "ours_server"),
            ("ours, embeddings server", "ours_embed_server"),
            ("tutorial (k=4)", "tutorial"),
        ):
            m = row.get(key)
            if not m:
                continue
            ans = m.get("answer_ms")
            tot = m.get("ask_total_ms")
            rss = f"{m['peak_rss_mb']:.0f}"
            if "server_rss_mb" in m:
                rss += f" + {m['server_rss_mb']:.0f} server"
            lines.append(
                f"| {n} | {name} | {m['retrieve_ms']['p50']:.1f} | {m['retrieve_ms']['p95']:.1f} "
                f"| {ans['p50']:.1f} | {ans['p95']:.1f} | {tot['p95']:.1f} "
                if ans and tot
                else f"| {n} | {name} | {m['retrieve_ms']['p50']:.1f} "
                f"| {m['retrieve_ms']['p95']:.1f} | – | – | – "
            )
            lines[-1] += f"| {m['first_query_ms']:.0f} | {rss} |"
        b = row["build"]
        lines.append(
            f"| {n} | *(build: {b['documents']} docs in {b.get('seconds', 0):.0f} s; chroma add "
            f"{b['chroma_s']:.0f} s, tutorial add {b['tutorial_s']:.0f} s, manifest "
            f"{b['manifest_s']:.0f} s, BM25 {b['bm25_s']:.0f} s; build peak RSS "
            f"{b.get('build_peak_rss_mb', 0):.0f} MB)* | | | | | | | |"
        )
    lines.append("")
    for row in r["sizes"]:
        o, n = row["ours"], row["chunks"]
        target = TARGETS.get(n)
        if target:
            lines.append(
                f"Targets at {n} chunks: retrieval p95 {o['retrieve_ms']['p95']:.1f} ms "
                f"(< {target[0]}), extractive answer p95 {o['answer_ms']['p95']:.1f} ms "
                f"(< {target[1]}), peak RSS {o['peak_rss_mb']:.0f} MB (< {target[2]})."
            )
    lines += [
        f"Questions: {r['questions']} per run. 'answer' = `Assistant.ask` time after retrieval "
        "(`timings_ms['answer']`); 'ask' = whole `ask()` call.",
    ]
    return "\n".join(lines)


def chart(r: dict[str, Any], path: Path) -> None:
    """Line chart: p95 latency vs corpus size (log x), ours vs tutorial."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    series = [
        ("ours: retrieval p95", "ours", "retrieve_ms", "o-"),
        ("ours: extractive answer p95", "ours", "answer_ms", "s-"),
        ("tutorial: similarity_search p95", "tutorial", "retrieve_ms", "^--"),
    ]
    for label, key, metric, style in series:
        rows = [row for row in r["sizes"] if row.get(key)]
        ax.plot(
            [row["chunks"] for row in rows],
            [row[key][metric]["p95"] for row in rows],
            style,
            label=label,
        )
    srv = [row for row in r["sizes"] if row.get("ours_server")]
    if srv:
        ax.plot(
            [row["chunks"] for row in srv],
            [row["ours_server"]["retrieve_ms"]["p95"] for row in srv],
            "D",
            label="ours via Chroma server: retrieval p95",
        )
    ax.set_xscale("log")
    ax.set_xlabel("corpus size (chunks)")
    ax.set_ylabel("p95 latency (ms)")
    ax.set_title("Query latency vs corpus size (2 shared CPUs)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main() -> None:
    """CLI entry point (also the child-process entry point with --measure / --build)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--quick", action="store_true", help="sizes 1000,10000")
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--no-server", action="store_true", help="skip the Chroma server run")
    ap.add_argument("--keep", action="store_true", help="keep the built corpora (printed path)")
    ap.add_argument(
        "--reuse", type=Path, help="measure corpora an earlier --keep run left in this folder"
    )
    ap.add_argument(
        "--tutorial-max",
        type=int,
        default=100_000,
        help="build and measure the tutorial's collection up to this many chunks",
    )
    ap.add_argument("--measure", choices=["ours", "tutorial"], help=argparse.SUPPRESS)
    ap.add_argument("--build", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--qfile", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--host", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--embed-port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.measure or args.build:
        print(json.dumps(_child_main(args)))
        return

    sizes = (
        [1000, 10000]
        if args.quick and args.sizes == ap.get_default("sizes")
        else [int(s) for s in args.sizes.split(",")]
    )
    tmp = args.reuse or Path(tempfile.mkdtemp(prefix="evchat-bench-query-"))
    try:
        run(args, sizes, tmp)
    finally:
        if args.keep or args.reuse:
            print(f"corpora kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _child_main(args: argparse.Namespace) -> dict[str, Any]:
    """What a child process does: build one size's corpora, or measure one system."""
    if args.build:
        folder = args.tmp / f"n{args.build}"
        tut = folder / "tutorial" if args.build <= args.tutorial_max else None
        t = time.perf_counter()
        build = build_corpus(args.tmp, args.build, folder / "home", tut)
        build["seconds"] = time.perf_counter() - t
        if args.build == SERVER_SIZE:  # the same corpus for the embeddings-server run
            build_corpus(args.tmp, args.build, folder / "home-openai", None, **_OPENAI_SPEC)
        return build
    qs = json.loads(args.qfile.read_text())
    if args.measure == "ours":
        return measure_ours(args.home, qs, args.host, args.port, args.embed_port)
    return measure_tutorial(args.home, args.qfile.parent, qs)


def _built(tmp: Path, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """Build size ``n`` in a child process (peak RSS is the build's own), or reuse it."""
    marker = tmp / f"n{n}" / "built.json"
    if marker.is_file():
        build: dict[str, Any] = json.loads(marker.read_text())
        print(f"reusing {n}: {build}", file=sys.stderr)
        return build
    build = _child(["--build", str(n), "--tmp", str(tmp), "--tutorial-max", str(args.tutorial_max)])
    marker.write_text(json.dumps(build))
    print(f"built {n}: {build}", file=sys.stderr)
    return build


def run(args: argparse.Namespace, sizes: list[int], tmp: Path) -> None:
    """Build each size's corpora in ``tmp``, measure, and write the results."""
    if not (tmp / "pool.json").is_file():
        build_pool(args.quick, tmp)
    pool = json.loads((tmp / "pool.json").read_text())
    qs = questions([d["title"] for d in pool], args.questions)
    qs_file = tmp / "questions.json"
    qs_file.write_text(json.dumps(qs))
    result: dict[str, Any] = {
        "questions": len(qs),
        "pool_chunks": sum(len(d["rows"]) for d in pool),
        "cpus": os.cpu_count(),
        "sizes": [],
    }
    for n in sizes:
        home, tut = tmp / f"n{n}" / "home", tmp / f"n{n}" / "tutorial"
        row: dict[str, Any] = {"chunks": n, "build": _built(tmp, n, args)}
        row["ours"] = _child(["--measure", "ours", "--home", str(home), "--qfile", str(qs_file)])
        if tut.is_dir():
            row["tutorial"] = _child(
                ["--measure", "tutorial", "--home", str(tut), "--qfile", str(qs_file)]
            )
        if n == SERVER_SIZE and not args.no_server:
            row["ours_server"] = with_server(home, qs_file)
            row["ours_embed_server"] = with_embed_server(home.with_name("home-openai"), qs_file)
        print(json.dumps(row), file=sys.stderr)
        result["sizes"].append(row)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "query.json").write_text(json.dumps(result, indent=1))
    write_report(result, sizes)


def write_report(result: dict[str, Any], sizes: list[int]) -> None:
    """RESULTS-query.md and the chart."""
    md = table(result)
    print(md)
    head = (
        "# Query benchmark\n\n"
        f"`.venv/bin/python -m benchmarks.query --sizes {','.join(map(str, sizes))}` — "
        f"{os.cpu_count()} shared CPUs; synthetic corpora built from a pool of "
        f"{result['pool_chunks']} real chunks (see the script's docstring).\n\n"
        "![p95 latency vs corpus size](../docs/bench-query.png)\n\n"
    )
    (HERE.parent / "RESULTS-query.md").write_text(head + md + "\n")
    chart(result, REPO / "docs" / "bench-query.png")


if __name__ == "__main__":
    main()
