"""The architecture check (.ci/check_architecture.py) sees relative imports and private names."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO

SCRIPT = REPO / ".ci" / "check_architecture.py"


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True, timeout=120
    )


def _tree(root: Path, files: dict[str, str]) -> Path:
    base = {
        "app.py": "from assistant import Thing\n",
        "index/__init__.py": "",
        "index/store.py": "def put() -> None: ...\n",
        "assistant/__init__.py": "Thing = 1\n",
        "assistant/answer/__init__.py": "",
        "assistant/answer/text.py": "def stem() -> None: ...\n",
        "assistant/answer/check.py": "from .text import stem\nfrom ..answer import text\n",
        "assistant/answer/lexicon.py": "WORDS = ()\n",
        "ui/__init__.py": "",
    }
    for rel, text in {**base, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_clean_tree_passes(tmp_path: Path) -> None:
    done = _check(_tree(tmp_path, {}))
    assert done.returncode == 0, done.stdout
    assert "no cycles" in done.stdout


def test_a_relative_import_cycle_fails(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "assistant/answer/lexicon.py": "from .check import stem\n",
            "assistant/answer/text.py": "from .lexicon import WORDS\ndef stem() -> None: ...\n",
        },
    )
    done = _check(root)
    assert done.returncode == 1
    assert "import cycle" in done.stdout
    assert "assistant.answer.check → assistant.answer.text → assistant.answer.lexicon" in (
        done.stdout
    ), done.stdout


def test_a_private_name_imported_from_another_module_fails(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "assistant/answer/text.py": "def _stem() -> None: ...\n",
            "assistant/answer/check.py": "from .text import _stem\n",
        },
    )
    done = _check(root)
    assert done.returncode == 1
    assert "imports the private name _stem of assistant.answer.text" in done.stdout


def test_an_import_against_the_flow_fails_relative_or_not(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"index/store.py": "from assistant.answer import text\n"})
    done = _check(root)
    assert done.returncode == 1 and "against the flow" in done.stdout


def test_the_planted_cycle_in_the_real_claims_package_fails(tmp_path: Path) -> None:
    for part in ("index", "assistant", "ui"):
        shutil.copytree(REPO / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "app.py", tmp_path / "app.py")
    assert _check(tmp_path).returncode == 0  # the real tree is clean
    lexicon = tmp_path / "assistant" / "answer" / "claims" / "lexicon.py"
    lexicon.write_text(
        lexicon.read_text(encoding="utf-8") + "\nfrom .check import ClaimCheck  # planted\n",
        encoding="utf-8",
    )
    done = _check(tmp_path)
    assert done.returncode == 1
    assert "import cycle" in done.stdout and "claims.lexicon" in done.stdout, done.stdout
