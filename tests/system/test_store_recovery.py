"""A Chroma server that goes away mid-session gives a clear error; when it is back, the
same Assistant answers again without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Settings, StoreUnavailableError
from tests.conftest import free_port
from tests.fixtures.chroma import start_chroma
from tests.fixtures.processes import stop

QUESTION = "Which plant did Fleetcharge open in Tilburg?"


def test_chroma_server_down_mid_session_then_back(tmp_path: Path) -> None:
    host, port = "127.0.0.1", free_port()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "fleetcharge.md").write_text(
        "---\ntitle: Fleetcharge opens Tilburg depot\ndate: 2025-05-02\n---\n"
        "Fleetcharge opened a 40-charger truck charging depot in Tilburg on 2 May 2025.\n"
    )
    server = start_chroma(tmp_path, host, port)
    try:
        bot = Assistant(Settings(home=tmp_path / "home", chroma_host=host, chroma_port=port))
        assert bot.index([docs]).added == 1
        assert not bot.ask(QUESTION).refused

        stop(server)
        with pytest.raises(StoreUnavailableError) as down:
            bot.ask(QUESTION)
        assert "Chroma" in str(down.value) and "Traceback" not in str(down.value)

        server = start_chroma(tmp_path, host, port)  # same data folder, same port
        again = bot.ask(QUESTION)
        assert not again.refused and again.citations[0].doc_id == "fleetcharge.md"
    finally:
        stop(server)
