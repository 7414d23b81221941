"""`make run` on a taken port says which variable to set, in one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_taken_port_names_evchat_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "EVCHAT_PORT": str(port), "EVCHAT_HOST": "127.0.0.1"}
        env["EVCHAT_HOME"] = str(tmp_path / "home")
        run = subprocess.run(
            [sys.executable, str(ROOT / "app.py")],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert lines == [
        f"evchat: port {port} on 127.0.0.1 is in use: set EVCHAT_PORT to a free port "
        "(EVCHAT_HOST chooses the address)"
    ]
    assert not (tmp_path / "home").exists()  # nothing indexed before the check
