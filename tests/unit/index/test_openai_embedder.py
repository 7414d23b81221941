"""The OpenAI-compatible embedder against a FAKE embeddings server on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest

from index.embed.factory import OpenAIArrayEmbedder
from index.settings import IndexSettings


class FakeEmbeddingsServer:
    """Answers POST /v1/embeddings with vector [len(text), 1, 0] per input, in reverse
    order (with their indexes, as the API allows), and records each request."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, Any], str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append((body, self.headers.get("Authorization", "")))
                data = [
                    {"object": "embedding", "index": i, "embedding": [float(len(t)), 1.0, 0.0]}
                    for i, t in enumerate(body["input"])
                ][::-1]
                reply = {"object": "list", "data": data, "model": body["model"],
                         "usage": {"prompt_tokens": 1, "total_tokens": 1}}  # fmt: skip
                raw = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def fake() -> Iterator[FakeEmbeddingsServer]:
    server = FakeEmbeddingsServer()
    yield server
    server.server.shutdown()


def test_texts_are_embedded_in_batches_in_order_as_unit_vectors(
    fake: FakeEmbeddingsServer,
) -> None:
    settings = IndexSettings(
        embedding="openai",
        openai_embedding_model="fake-embed",
        openai_base_url=fake.url,
        openai_api_key="sk-test",
    )
    embedder = OpenAIArrayEmbedder(settings)
    texts = ["x" * (i + 1) for i in range(300)]
    vectors = embedder.embed_array(texts)
    assert [len(body["input"]) for body, _auth in fake.requests] == [256, 44]
    assert {body["model"] for body, _auth in fake.requests} == {"fake-embed"}
    assert all(auth == "Bearer sk-test" for _body, auth in fake.requests)
    expected = np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(vectors, expected, rtol=1e-6)  # the reply's order undone
    np.testing.assert_allclose(embedder.embed_one("abc"), expected[2], rtol=1e-6)
