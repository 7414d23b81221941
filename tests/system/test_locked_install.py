"""The locks install as locked, whatever the registry publishes later (requirements/install).

A fresh venv with the pip ``python -m venv`` brings, a local package index on this machine
that offers a newer release of a locked dependency than the lock pins, and the very
script the Makefile installs with. The dependency is asked for with an extra
(``evlock-b[fast]>=1.0``), as chromadb asks for ``uvicorn[standard]``: that is how the
stock pip 23.2 came to resolve it against the registry instead of the lock.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.paths import REPO

INSTALL = REPO / "requirements" / "install"


def _wheel(out: Path, name: str, version: str, requires: list[str]) -> Path:
    """A minimal pure-Python wheel of ``name`` ``version`` requiring ``requires``."""
    mod = name.replace("-", "_")
    info = f"{mod}-{version}.dist-info"
    meta = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        "Provides-Extra: fast",
    ]
    meta += [f"Requires-Dist: {r}" for r in requires]
    files = {
        f"{mod}/__init__.py": f"VERSION = {version!r}\n",
        f"{info}/METADATA": "\n".join(meta) + "\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: evchat-test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    files[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,"]) + "\n"
    wheel = out / f"{mod}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path, text in files.items():
            zf.writestr(path, text)
    return wheel


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """A PEP 503 index folder offering evlock-a 1.0 and evlock-b 1.0 and 2.0."""
    root = tmp_path_factory.mktemp("index")
    files = root / "files"
    files.mkdir()
    wheels = {
        "a": _wheel(files, "evlock-a", "1.0", ["evlock-b[fast]>=1.0"]),
        "b1": _wheel(files, "evlock-b", "1.0", []),
        "b2": _wheel(files, "evlock-b", "2.0", []),  # published after the lock
    }
    for project, names in (("evlock-a", ["a"]), ("evlock-b", ["b1", "b2"])):
        page = root / "simple" / project
        page.mkdir(parents=True)
        links = "".join(
            f'<a href="../../files/{wheels[n].name}#sha256={_sha256(wheels[n])}">'
            f"{wheels[n].name}</a>\n"
            for n in names
        )
        (page / "index.html").write_text(f"<html><body>\n{links}</body></html>\n")
    return root, wheels


def _lock(path: Path, wheels: dict[str, Path], names: list[str]) -> Path:
    pins = {"a": "evlock-a==1.0", "b1": "evlock-b==1.0"}
    path.write_text(
        "".join(f"{pins[n]} \\\n    --hash=sha256:{_sha256(wheels[n])}\n" for n in names)
    )
    return path


def _fresh_venv(where: Path, index_root: Path) -> tuple[Path, dict[str, str]]:
    """A new venv with its stock pip, and an environment that knows only the local index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env.pop("PYTHONPATH", None)
    env.update(
        PIP_CONFIG_FILE=os.devnull,  # not this machine's pip.conf (its indexes, constraints)
        PIP_INDEX_URL=(index_root / "simple").as_uri(),
        PIP_NO_CACHE_DIR="1",
    )
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(where)], check=True, env=env, timeout=300)
    return where / "bin" / "python", env


def _install(python: Path, lock: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The Makefile's install script on ``lock``."""
    return subprocess.run(
        ["bash", str(INSTALL), str(python), str(lock)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _installed_b(python: Path, env: dict[str, str]) -> str:
    out = subprocess.run(
        [str(python), "-c", "import evlock_b; print(evlock_b.VERSION)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out.stdout.strip()


def test_the_locked_version_is_installed_though_a_newer_one_is_offered(
    index: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    root, wheels = index
    lock = _lock(tmp_path / "lock.txt", wheels, ["a", "b1"])
    python, env = _fresh_venv(tmp_path / "venv", root)
    done = _install(python, lock, env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _installed_b(python, env) == "1.0"


def test_the_old_command_is_what_broke(index: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    """The same lock with the command used before (hashes, but resolving): the stock pip
    fails or takes the newer release, so the test above would have caught the bug."""
    root, wheels = index
    lock = _lock(tmp_path / "lock.txt", wheels, ["a", "b1"])
    python, env = _fresh_venv(tmp_path / "venv", root)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--require-hashes", "-r", str(lock)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0 or _installed_b(python, env) == "2.0", done.stderr[-2000:]


def test_a_dependency_missing_from_the_lock_is_an_error_naming_it(
    index: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    root, wheels = index
    lock = _lock(tmp_path / "lock.txt", wheels, ["a"])  # evlock-b left out
    python, env = _fresh_venv(tmp_path / "venv", root)
    done = _install(python, lock, env)
    assert done.returncode != 0
    assert "evlock-b" in done.stderr and "not installed" in done.stderr, done.stderr
    assert _installed_b(python, env) == ""  # nothing was fetched behind the lock's back
