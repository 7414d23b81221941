"""The architecture check (``.ci/check_architecture.py``), run as a script on planted trees."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO

SCRIPT = REPO / ".ci" / "check_architecture.py"

# A tiny product that keeps every rule; relative imports of each kind (``from .b import``,
# ``from . import c``, ``from ..util import``, from an ``__init__.py``) wire the stages.
CLEAN = {
    "index/__init__.py": "",
    "index/store.py": "def load() -> int:\n    return 1\n",
    "assistant/__init__.py": 'from .core import answer\n\n__all__ = ["answer"]\n',
    "assistant/core.py": (
        "from index.store import load\n\nfrom .stage import run\n\n\n"
        "def answer() -> int:\n    return run() + load()\n"
    ),
    "assistant/util.py": "base = 1\n_secret = 2\n",
    "assistant/stage/__init__.py": "from .a import run\n",
    "assistant/stage/a.py": "from .b import x\n\n\ndef run() -> int:\n    return x\n",
    "assistant/stage/b.py": "from . import c\n\nx = c.y\n",
    "assistant/stage/c.py": "from ..util import base\n\ny = base\n",
    "ui/__init__.py": "",
    "ui/web.py": "from assistant import answer\n",
    "app.py": "from ui import web\n",
}
STAGE_CYCLE = ["assistant.stage.a", "assistant.stage.b", "assistant.stage.c"]


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(root)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )


def plant(root: Path, changes: dict[str, str] | None = None) -> Path:
    """Write the clean tree under ``root``, with ``changes`` (relative path: text) on top."""
    for rel, text in (CLEAN | (changes or {})).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def cycle_lines(output: str) -> list[list[str]]:
    """The modules of each reported cycle, rotated to start at the smallest name."""
    found = []
    for line in output.splitlines():
        if line.startswith("import cycle: "):
            loop = line.removeprefix("import cycle: ").split(" → ")[:-1]
            first = loop.index(min(loop))
            found.append(loop[first:] + loop[:first])
    return found


def test_clean_tree_passes(tmp_path: Path) -> None:
    result = run_check(plant(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "architecture: 12 modules, imports flow one way, no cycles" in result.stdout


def test_relative_import_cycle_fails_and_is_named(tmp_path: Path) -> None:
    cycle = {"assistant/stage/c.py": "from ..util import base\nfrom .a import run\n\ny = base\n"}
    result = run_check(plant(tmp_path, cycle))
    assert result.returncode == 1, result.stdout
    assert cycle_lines(result.stdout) == [STAGE_CYCLE]


def test_init_module_is_its_own_package(tmp_path: Path) -> None:
    # stage/__init__.py's "from .a import run" is assistant.stage.a, so c → the package
    # closes a cycle; read as assistant.a (not a module) it would go unseen.
    cycle = {"assistant/stage/c.py": "from assistant.stage import run\n\ny = 1\n"}
    result = run_check(plant(tmp_path, cycle))
    assert result.returncode == 1, result.stdout
    assert cycle_lines(result.stdout) == [["assistant.stage", *STAGE_CYCLE]]


def test_import_against_the_flow_and_relative_cycle_both_fail(tmp_path: Path) -> None:
    changes = {
        "assistant/extra.py": "import ui.web\n",
        "assistant/stage/c.py": "from . import a\n\ny = 1\n",
    }
    result = run_check(plant(tmp_path, changes))
    assert result.returncode == 1, result.stdout
    assert "assistant/extra.py:1: assistant.extra imports ui.web against the flow" in result.stdout
    assert STAGE_CYCLE in cycle_lines(result.stdout)


def test_relative_import_above_the_top_package_fails(tmp_path: Path) -> None:
    result = run_check(plant(tmp_path, {"assistant/extra.py": "from ..ui import web\n"}))
    assert result.returncode == 1, result.stdout
    assert "assistant.extra imports ..ui beyond the top-level package" in result.stdout


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("assistant/stage/c.py", "from ..util import _secret\n\ny = _secret\n"),
        ("assistant/stage/c.py", "from assistant.util import base, _secret\n\ny = base\n"),
        ("ui/web.py", "from assistant import answer\nfrom index.store import _cache\n"),
    ],
)
def test_private_name_from_another_module_fails(tmp_path: Path, rel: str, text: str) -> None:
    result = run_check(plant(tmp_path, {rel: text}))
    assert result.returncode == 1, result.stdout
    name = "_cache" if rel.startswith("ui") else "_secret"
    private = [line for line in result.stdout.splitlines() if "imports the private name" in line]
    assert len(private) == 1, result.stdout
    assert private[0].startswith(f"{rel}:") and f"private name {name} from " in private[0]


def test_dunder_names_are_not_private(tmp_path: Path) -> None:
    result = run_check(plant(tmp_path, {"ui/web.py": "from assistant import answer, __all__\n"}))
    assert result.returncode == 0, result.stdout


def test_bad_arguments_and_empty_root_are_errors(tmp_path: Path) -> None:
    extra = subprocess.run(
        [sys.executable, str(SCRIPT), "a", "b"], capture_output=True, text=True, timeout=60
    )
    assert extra.returncode == 2 and "usage:" in extra.stderr
    empty = run_check(tmp_path)  # a mistyped root must not pass as an empty product
    assert empty.returncode == 2 and "no product to check" in empty.stderr


def test_planted_cycle_in_the_real_claims_package_fails(tmp_path: Path) -> None:
    """lexicon → check (→ text or align) → lexicon, planted in a copy of the real tree."""
    for top in ("index", "assistant", "ui"):
        shutil.copytree(REPO / top, tmp_path / top, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "app.py", tmp_path / "app.py")
    lexicon = tmp_path / "assistant" / "answer" / "claims" / "lexicon.py"
    lexicon.write_text(
        lexicon.read_text(encoding="utf-8") + "\nfrom .check import ClaimCheck  # noqa\n",
        encoding="utf-8",
    )
    result = run_check(tmp_path)
    assert result.returncode == 1, result.stdout
    lexicon, check = "assistant.answer.claims.lexicon", "assistant.answer.claims.check"
    planted = [
        loop
        for loop in cycle_lines(result.stdout)
        if lexicon in loop and loop[(loop.index(lexicon) + 1) % len(loop)] == check
    ]
    assert planted, result.stdout
