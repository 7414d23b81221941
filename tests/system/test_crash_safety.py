"""A re-index killed with SIGKILL at any moment ends, after a re-run, equal to a clean build.

A driver process calls ``index.ingest.pipeline.reindex`` (the write path itself, with prune) on
~40 short documents. The driver lowers ``FLUSH_CHUNKS`` so that Chroma/manifest writes are
spread over the whole run instead of one burst at its end, and embeds in small batches on
one worker so that a run lasts a few seconds. The test first makes a clean build of the
final corpus in another home, which also times a full run; then it kills runs at five
seeded moments spread over that duration, changing, adding and deleting documents between
kills so that replacement and pruning are interrupted too, re-runs to completion each
time, and finally compares the result with the clean build.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import index.ingest.pipeline as pipeline
from assistant.settings import Settings
from index.embed.factory import make_embedder
from index.ingest.pipeline import reindex
from index.store.collection import Collection
from tests.fixtures.corpus import make_text, write_corpus, write_markdown
from tests.fixtures.store_checks import assert_in_step
from tests.paths import REPO

N_DOCS = 40
KILLS = 5
SEED = 20240611
FLUSH_CHUNKS = 8
BATCH_SIZE = 4

DRIVER = """
import json, sys
import index.ingest.pipeline as pipeline
from index.store.collection import Collection
from index.embed.factory import make_embedder
from assistant.settings import Settings

home, corpus = sys.argv[1], sys.argv[2]
pipeline.FLUSH_CHUNKS = int(sys.argv[3])
settings = Settings(home=home, embed_batch_size=int(sys.argv[4]), embed_workers=1)
make_embedder(settings).embed_array(["warm up"])  # load the model before the clock starts
print("ready", flush=True)
report = pipeline.reindex([corpus], settings, prune=True, show_progress=False)
col = Collection.open_for_write(settings)
chroma, manifest = col.store.existing_ids(), col.manifest.chunk_ids()
print(json.dumps({
    "report": report.to_dict(),
    "in_step": chroma == manifest == set(col.bm25().chunk_ids),
    "dirty": col.manifest.get_meta("dirty"),
}), flush=True)
"""


def start_driver(driver: Path, home: Path, corpus: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [sys.executable, str(driver), str(home), str(corpus), str(FLUSH_CHUNKS), str(BATCH_SIZE)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        _, err = proc.communicate(timeout=30)
        raise AssertionError(f"driver did not start (rc={proc.returncode}):\n{err[-3000:]}")
    return proc


def finish(proc: subprocess.Popen[str]) -> dict:
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, f"driver failed (rc={proc.returncode}):\n{err[-3000:]}"
    result = json.loads(out.strip().splitlines()[-1])
    assert result["in_step"], result
    assert result["dirty"] is None, result
    return result


def run_to_completion(driver: Path, home: Path, corpus: Path) -> dict:
    return finish(start_driver(driver, home, corpus))


def dirty_mark(home: Path) -> bool:
    """True when the manifest carries the mark of a run that did not finish."""
    path = home / "collections" / "evchat--minilm" / "manifest.sqlite"
    if not path.exists():
        return False
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("SELECT 1 FROM meta WHERE key = 'dirty'").fetchone() is not None


# --- the corpus history, applied identically to the crash folder and the reference one ---


def text(seed: int) -> str:
    return make_text(seed, paragraphs=2, sentences=4)  # one or two chunks


def rewrite_half(round_no: int) -> Callable[[Path], None]:
    def step(folder: Path) -> None:
        for i, path in enumerate(sorted(folder.glob("*.md"))):
            if i % 2 == round_no % 2:
                seed = 10_000 * round_no + i
                write_markdown(folder, path.name, f"{path.stem} rev {round_no}", text(seed))

    return step


def small_change(round_no: int) -> Callable[[Path], None]:
    def step(folder: Path) -> None:
        docs = sorted(folder.glob("doc-*.md"))
        for path in docs[round_no * 7 % len(docs) :][:2]:  # two documents get edited
            write_markdown(folder, path.name, f"{path.stem} fix {round_no}", text(777 + round_no))
        docs[-1 - round_no].unlink()  # one is deleted
        added = f"added-{round_no}.md"
        write_markdown(folder, added, f"Late note {round_no}", text(900 + round_no))

    return step


def history() -> list[tuple[Callable[[Path], None] | None, Callable[[Path], None]]]:
    """Per kill round: (change before the killed run, change between the kill and the re-run)."""
    return [(None if k == 0 else rewrite_half(k), small_change(k)) for k in range(KILLS)]


def test_killed_reindex_runs_recover_to_the_same_state_as_a_clean_build(tmp_path: Path) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    crash_corpus, clean_corpus = tmp_path / "crash" / "corpus", tmp_path / "clean" / "corpus"
    write_corpus(crash_corpus, N_DOCS, seed=1, paragraphs=2, sentences=4)
    shutil.copytree(crash_corpus, clean_corpus)
    for before, between in history():
        if before:
            before(clean_corpus)
        between(clean_corpus)

    # The clean build of the final corpus (in this process, with the driver's settings) also
    # tells how long a full run lasts once the model is loaded.
    clean_home, crash_home = tmp_path / "clean" / "home", tmp_path / "crash" / "home"
    clean_settings = Settings(home=clean_home, embed_batch_size=BATCH_SIZE, embed_workers=1)
    make_embedder(clean_settings).embed_array(["warm up"])
    flush_before = pipeline.FLUSH_CHUNKS
    pipeline.FLUSH_CHUNKS = FLUSH_CHUNKS
    try:
        clean = reindex([clean_corpus], clean_settings, prune=True, show_progress=False)
    finally:
        pipeline.FLUSH_CHUNKS = flush_before
    duration = clean.seconds
    assert clean.added == len(list(clean_corpus.glob("*.md"))) and clean.chunks >= N_DOCS
    assert duration > 0.5, f"a clean run took only {duration:.2f} s: too short to kill inside"

    rng = random.Random(SEED)
    killed_mid_run = 0
    for k, (before, between) in enumerate(history()):
        if before:
            before(crash_corpus)  # half the documents change: the killed run replaces them
        share = 1.0 if k == 0 else 0.5  # of a full run's work that this run has to do
        delay = duration * share * (0.05 + 0.85 * (k + rng.random()) / KILLS)
        proc = start_driver(driver, crash_home, crash_corpus)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        if proc.returncode == -signal.SIGKILL and dirty_mark(crash_home):
            killed_mid_run += 1
        between(crash_corpus)
        result = run_to_completion(driver, crash_home, crash_corpus)
        assert result["report"]["failed"] == []
        assert result["report"]["documents"] == len(list(crash_corpus.glob("*.md")))
    assert killed_mid_run >= 3, f"only {killed_mid_run} of {KILLS} kills interrupted a run"
    assert sorted(p.read_text() for p in crash_corpus.glob("*.md")) == sorted(
        p.read_text() for p in clean_corpus.glob("*.md")
    )

    crashed = assert_in_step(Settings(home=crash_home))
    reference = assert_in_step(Settings(home=clean_home))
    assert crashed.manifest.counts() == reference.manifest.counts()
    docs_c, docs_r = crashed.manifest.documents(), reference.manifest.documents()
    assert set(docs_c) == set(docs_r)
    assert {d: r.content_hash for d, r in docs_c.items()} == {
        d: r.content_hash for d, r in docs_r.items()
    }
    ids = crashed.manifest.chunk_ids()
    assert ids == reference.manifest.chunk_ids()
    assert crashed.store.count() == reference.store.count() == len(ids)
    assert crashed.manifest.all_chunks() == reference.manifest.all_chunks()

    got_c = _stored(crashed, sorted(ids))
    got_r = _stored(reference, sorted(ids))
    for cid in ids:
        (doc_c, meta_c, vec_c), (doc_r, meta_r, vec_r) = got_c[cid], got_r[cid]
        assert doc_c == doc_r
        assert meta_c == meta_r
        assert float(np.dot(vec_c, vec_r)) > 0.9999
    assert crashed.manifest.get_meta("dirty") is None


def _stored(col: Collection, ids: list[str]) -> dict[str, tuple[str, dict, np.ndarray]]:
    got = col.store.collection.get(ids=ids, include=["documents", "metadatas", "embeddings"])
    return {
        cid: (doc, dict(meta), np.asarray(vec, dtype=np.float64))
        for cid, doc, meta, vec in zip(
            got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
        )
    }
