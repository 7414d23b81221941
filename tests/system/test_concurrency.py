"""Questions keep being answered, with citations that exist, while a re-index runs."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assistant import Answer, Assistant, Settings
from index.store.collection import Collection
from tests.fixtures.indexed import SAMPLE_COUNT
from tests.paths import REPO

QUESTIONS = [
    "Which automaker joined Ionna as its eighth investor?",
    "Where has BYD run an electric bus factory in Hungary since 2017?",
    "What definitive EU countervailing duty applies to Tesla's Shanghai-made cars?",
    "What happened to lithium prices in 2023?",
    "What energy density does CATL claim for its Naxtra sodium-ion battery?",
]


def _new_docs(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"depot-{i:02d}.md").write_text(
            f"---\ntitle: Charging depot {i} opens\ndate: 2025-02-{1 + i % 27:02d}\n---\n"
            f"Fleet operator number {i} opened charging depot {i} with {10 + i} chargers "
            f"of 350 kW each. The depot serves electric vans and trucks on route {100 + i}. "
            "Operators said grid connection delays remain the main obstacle to expansion.\n",
            encoding="utf-8",
        )


def test_twenty_questions_during_a_fifty_document_reindex(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    bot = Assistant(settings)
    bot.index([shutil.copytree(REPO / "samples", tmp_path / "samples")])
    _new_docs(tmp_path / "more", 50)

    writer_done = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            Assistant(settings).index([tmp_path / "more"])
        except BaseException as exc:  # recorded, asserted below
            errors.append(exc)
        finally:
            writer_done.set()

    writer = threading.Thread(target=write)
    writer.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers: list[Answer] = list(pool.map(bot.ask, [QUESTIONS[i % 5] for i in range(20)]))
    writer.join(timeout=300)

    assert writer_done.is_set() and not errors
    assert len(answers) == 20
    assert sum(not a.refused for a in answers) >= 16  # the sample answers stay available
    stored = Collection.open_for_read(settings).store.existing_ids()
    cited = {c.chunk_id for a in answers for c in a.citations}
    assert cited and cited <= stored
    assert bot.stats().documents == SAMPLE_COUNT + 50
