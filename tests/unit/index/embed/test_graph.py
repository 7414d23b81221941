"""The rewritten MiniLM graph: same vectors as the pinned model, fewer kernels, safe cache."""

from __future__ import annotations

import collections
from pathlib import Path

import onnx
import pytest

from index.embed import graph
from index.embed.minilm import MODEL_SHA256, MiniLMEmbedder, verified_model_file
from tests.paths import REPO
from tests.unit.index.embed.test_minilm import TEXTS, cosines


def texts_of_every_length() -> list[str]:
    """The unit texts plus slices of the sample articles from a few to 256 tokens, so
    batches mix lengths and padding."""
    out = list(TEXTS)
    for path in sorted((REPO / "samples").glob("*.md"))[:10]:
        text = path.read_text(encoding="utf-8")
        out += [text[i : i + n] for i, n in ((0, 40), (200, 300), (900, 1200))]
    return out


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "evchat"


def test_rewritten_graph_gives_the_pinned_models_vectors_within_1e_3_cosine(cache: Path) -> None:
    texts = texts_of_every_length()
    fast = MiniLMEmbedder(batch_size=8, workers=2, optimise=True)
    pinned = MiniLMEmbedder(batch_size=8, workers=2, optimise=False)
    assert fast.model_path() != pinned.model_path() == verified_model_file()
    sims = cosines(fast.embed_array(texts), pinned.embed_array(texts))
    assert sims.min() > 1 - 1e-3
    # In fact the rewrite is exact up to float rounding.
    assert sims.min() > 1 - 1e-5
    one = cosines(fast.embed_array(texts[:1]), pinned.embed_array(texts[:1]))
    assert one.min() > 1 - 1e-5  # the multi-threaded single-text session too


def test_rewrite_removes_the_nan_guards_and_fuses_gelu(cache: Path) -> None:
    path = graph.optimised_model(verified_model_file(), MODEL_SHA256)
    ops = collections.Counter(n.op_type for n in onnx.load(str(path)).graph.node)
    pinned = onnx.load(str(verified_model_file()))
    before = collections.Counter(n.op_type for n in pinned.graph.node)
    assert before["IsNaN"] == 6 and before["Erf"] == 6  # one per layer in the export
    assert ops["IsNaN"] == 0 and ops["Erf"] == 0
    assert ops["BiasGelu"] == 6
    assert ops["MatMul"] == before["MatMul"]  # the weights' products are untouched


def test_the_rewrite_is_made_once_and_then_read_from_the_cache(cache: Path) -> None:
    first = graph.optimised_model(verified_model_file(), MODEL_SHA256)
    stamp = first.stat().st_mtime_ns
    again = graph.optimised_model(verified_model_file(), MODEL_SHA256)
    assert again == first and again.stat().st_mtime_ns == stamp
    assert first.parent == cache
    assert [p.name for p in cache.iterdir() if p.suffix == ".tmp"] == []


def test_a_damaged_cache_file_is_made_again(cache: Path) -> None:
    path = graph.optimised_model(verified_model_file(), MODEL_SHA256)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # e.g. a disk that filled up
    assert graph.optimised_model(verified_model_file(), MODEL_SHA256).read_bytes() == good


def test_an_unwritable_cache_falls_back_to_the_pinned_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    embedder = MiniLMEmbedder(workers=1)
    assert embedder.model_path() == verified_model_file()
    assert embedder.embed_array(["still embeds"]).shape == (1, 384)


def test_unrecognised_patterns_are_left_alone() -> None:
    g = onnx.helper.make_graph(
        [
            onnx.helper.make_node("Erf", ["x"], ["e"]),
            onnx.helper.make_node("IsNaN", ["e"], ["n"]),
            onnx.helper.make_node("Where", ["n", "x", "e"], ["y"]),  # not after a softmax
        ],
        "g",
        [onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2])],
        [onnx.helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [2])],
    )
    assert graph.remove_nan_guards(g) == 0
    assert graph.fuse_bias_gelu(g) == 0
    assert [n.op_type for n in g.node] == ["Erf", "IsNaN", "Where"]
