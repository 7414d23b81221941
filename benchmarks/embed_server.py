"""A local OpenAI-compatible embeddings server for the scale-out benchmarks.

``POST /v1/embeddings`` embeds ``input`` (a string or a list of strings) with evchat's
own MiniLM, so an index built through it holds the same vectors as a local one and the
benchmark measures only what the HTTP hop costs (requests, JSON or base64, the server's
own process). Answers ``encoding_format`` ``float`` and ``base64`` (the openai client
asks for base64 by default). Started and stopped by the benchmarks; loopback only.

    .venv/bin/python -m benchmarks.embed_server --port 8089
"""

from __future__ import annotations

import argparse
import base64
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

from index.embed.minilm import MiniLMEmbedder

EMBEDDER = MiniLMEmbedder()


class Handler(BaseHTTPRequestHandler):
    """/v1/embeddings and a /health probe."""

    def log_message(self, *args: Any) -> None:
        """Quiet: the benchmark reads only its own output."""

    def do_GET(self) -> None:
        """Health probe for the benchmark's start-up wait."""
        self._reply(200, {"ok": True})

    def do_POST(self) -> None:
        """Embed the request's input."""
        if not self.path.rstrip("/").endswith("/embeddings"):
            self._reply(404, {"error": {"message": f"no route {self.path}"}})
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        vectors = EMBEDDER.embed_array([str(t) for t in texts])
        as_b64 = body.get("encoding_format") == "base64"
        data = [
            {
                "object": "embedding",
                "index": i,
                "embedding": (
                    base64.b64encode(v.astype("<f4").tobytes()).decode()
                    if as_b64
                    else v.astype(np.float64).tolist()
                ),
            }
            for i, v in enumerate(vectors)
        ]
        self._reply(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model", "minilm"),
                "usage": {"prompt_tokens": 0, "total_tokens": 0},
            },
        )

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


def main() -> None:
    """Serve on 127.0.0.1 until killed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    EMBEDDER.warm_up()
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
