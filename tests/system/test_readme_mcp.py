"""The README's MCP client example runs as written against the indexed samples."""

from __future__ import annotations

import os
import subprocess
import sys

from assistant import Assistant
from tests.paths import REPO
from tests.system.test_readme import _python_block


def test_readme_mcp_client_example_runs(sample_assistant: Assistant) -> None:
    code = _python_block("## MCP server")
    home = str(sample_assistant.settings.store.home)
    assert '{"EVCHAT_HOME": ".evchat"}' in code
    code = code.replace('{"EVCHAT_HOME": ".evchat"}', f"{{'EVCHAT_HOME': {home!r}}}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVCHAT_", "OPENAI_"))}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    tools_line, answer = done.stdout.strip().split("\n", 1)
    assert tools_line == "['search', 'ask', 'list_documents', 'index_path']"
    assert answer.startswith("Toyota") and "[1]" in answer
