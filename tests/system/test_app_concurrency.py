"""Through the web app's API: 20 concurrent questions while a 50-document upload is indexed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from gradio_client import Client, handle_file

from tests.fixtures.indexed import SAMPLE_COUNT

QUESTIONS = [
    "Which automaker became the eighth investor in Ionna?",
    "Where has BYD run an electric bus factory in Hungary since 2017?",
    "What happened to lithium prices in 2023?",
    "What definitive EU countervailing duty applies to Tesla's Shanghai-made cars?",
]


def test_twenty_questions_through_gradio_client_during_an_upload_index(
    running_app: str, tmp_path: Path
) -> None:
    files = []
    for i in range(50):
        path = tmp_path / f"grid-note-{i:02d}.md"
        path.write_text(
            f"---\ntitle: Grid note {i}\ndate: 2025-04-{1 + i % 28:02d}\n---\n"
            f"Substation {i} was upgraded to feed {20 + i} fast chargers on motorway {i}.\n",
            encoding="utf-8",
        )
        files.append(handle_file(str(path)))
    results: dict[str, Any] = {}

    def upload() -> None:
        results["index"] = Client(running_app, verbose=False).predict(files, api_name="/index")

    def ask(question: str) -> dict[str, Any]:
        answer: dict[str, Any] = Client(running_app, verbose=False).predict(
            question, "", api_name="/ask"
        )
        return answer

    writer = threading.Thread(target=upload)
    writer.start()
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(ask, [QUESTIONS[i % 4] for i in range(20)]))
    writer.join(timeout=600)

    assert results["index"]["added"] == 50, results["index"]
    assert len(answers) == 20
    assert sum(not a["refused"] for a in answers) >= 16
    assert all(c["quote"] for a in answers for c in a["citations"])
    stats = Client(running_app, verbose=False).predict(api_name="/stats")
    assert stats["documents"] >= SAMPLE_COUNT + 50
