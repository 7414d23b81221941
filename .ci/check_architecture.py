#!/usr/bin/env python3
"""Keep the architecture honest: the direction of imports, no cycles, short functions.

Checked over the product's code (``index/``, ``assistant/``, ``ui/``, ``app.py``):

* **flow** — data flows ``index/ → assistant/ → ui/, app.py`` and never back: ``index``
  imports nothing of ``assistant``/``ui``/``app``; ``assistant`` nothing of ``ui``/``app``
  (except the one lazy import of the web app by ``evchat serve``, inside a function);
  ``ui`` and ``app.py`` use only the public ``assistant`` package (``from assistant import
  …``), never its inner modules, and never ``index``.
* **cycles** — no import cycle between modules (counting module-level imports).
* **private names** — no module imports a ``_name`` (one leading underscore) from another
  module of the product: stages use the analysis layer, not each other's private helpers.
* **length** — no function or method longer than ``MAX_LINES`` lines.

Relative imports (``from .x import y``, ``from . import x``, ``from ..claims import z``)
are resolved against the importing module's package and count exactly like absolute ones.

Usage: ``check_architecture.py [ROOT]`` checks the tree at ``ROOT`` (default: this
repository). Exit code 1 with one line per problem, 0 when everything holds.
"""

from __future__ import annotations

import ast
import sys
from collections import deque
from collections.abc import Collection, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("index", "assistant", "ui")
MAX_LINES = 60
LAYER = {"index": 0, "assistant": 1, "ui": 2, "app": 2}
# Imports against the flow that are allowed because they happen inside a function, at run
# time, for a delivery surface that starts another one: (importing module, imported module).
LAZY_ALLOWED = {("assistant.cli.serve", "app")}


def modules(root: Path) -> dict[str, Path]:
    """Every module of the product under ``root``, by dotted name."""
    found = {"app": root / "app.py"} if (root / "app.py").is_file() else {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def source(node: ast.ImportFrom, name: str, path: Path) -> str:
    """The absolute module a ``from … import`` reads from, written in module ``name``.

    A relative import counts from the importing module's package: the module's parent, or
    the module itself for an ``__init__.py``; each extra dot goes one package up. One that
    goes above the top-level package stays relative (starts with a dot) and is reported.
    """
    if node.level == 0:
        return node.module or ""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    keep = len(package) - (node.level - 1)
    if keep < 1:
        return "." * node.level + (node.module or "")
    return ".".join(package[:keep] + ([node.module] if node.module else []))


def imports(path: Path, name: str, mods: Collection[str]) -> Iterator[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every import of ``path``.

    Relative imports are resolved to absolute names first, so they count like any other.
    ``from pkg import sub`` inside ``pkg`` (``from . import sub``) imports only the
    submodule: ``pkg`` is already being imported as the importer's parent, and reading
    submodules off it needs none of its ``__init__``'s names, so it is no import of ``pkg``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    top = {id(n) for n in tree.body}
    top |= {id(n) for stmt in tree.body if isinstance(stmt, ast.If) for n in stmt.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, id(node) in top
        elif isinstance(node, ast.ImportFrom):
            module = source(node, name, path)
            inside = name.startswith(f"{module}.")
            if not (inside and all(f"{module}.{a.name}" in mods for a in node.names)):
                yield module, node.lineno, id(node) in top
            if module.startswith("."):
                continue
            for alias in node.names:  # "from index.store import bm25" imports a module too
                yield f"{module}.{alias.name}", node.lineno, id(node) in top


def private_imports(mods: dict[str, Path], root: Path) -> list[str]:
    """Names with a single leading underscore imported from another module of the product.

    Stages share what they need through public names (the analysis layer), never through
    each other's private helpers; ``__dunder__`` names are not private.
    """
    problems = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = source(node, name, path)
            if module.split(".")[0] not in LAYER or module == name:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    problems.append(
                        f"{path.relative_to(root)}:{node.lineno}: {name} imports the private "
                        f"name {alias.name} from {module}"
                    )
    return problems


def _type_checking_only(path: Path) -> set[int]:
    """Lines of imports under ``if TYPE_CHECKING:`` (they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines |= {n.lineno for n in ast.walk(node) if hasattr(n, "lineno")}
    return lines


def flow_problems(mods: dict[str, Path], root: Path) -> tuple[list[str], dict[str, set[str]]]:
    """Imports against the flow, and the module-level import graph."""
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        top_pkg = name.split(".")[0]
        skip = _type_checking_only(path)
        for target, line, at_top in imports(path, name, mods):
            where = f"{path.relative_to(root)}:{line}"
            if target.startswith("."):
                problems.append(f"{where}: {name} imports {target} beyond the top-level package")
                continue
            target_pkg = target.split(".")[0]
            if target_pkg not in LAYER or line in skip:
                continue
            if target in mods and target != name and at_top:
                graph[name].add(target)
            if LAYER[target_pkg] > LAYER[top_pkg]:
                if not at_top and (name, target) in LAZY_ALLOWED:
                    continue
                problems.append(f"{where}: {name} imports {target} against the flow")
            elif top_pkg in ("ui", "app") and target_pkg == "index":
                problems.append(f"{where}: {name} reaches into index ({target})")
            elif top_pkg in ("ui", "app") and target_pkg == "assistant" and target != "assistant":
                if target.rsplit(".", 1)[0] == "assistant" and target not in mods:
                    continue  # "from assistant import Name": a public name
                problems.append(f"{where}: {name} uses assistant's inner module {target}")
    return problems, graph


def shortest_path(graph: dict[str, set[str]], start: str, goal: str) -> list[str]:
    """The shortest import path from ``start`` to ``goal`` (breadth-first; both included)."""
    came: dict[str, str] = {}
    queue, seen = deque([start]), {start}
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while path[-1] != start:
                path.append(came[path[-1]])
            return path[::-1]
        for nxt in sorted(graph.get(node, ())):
            if nxt not in seen:
                seen.add(nxt)
                came[nxt] = node
                queue.append(nxt)
    return [start, goal]


def cycles(graph: dict[str, set[str]]) -> list[str]:
    """One line per import cycle: depth-first search finds each edge that closes one, and
    the line names the shortest cycle through that edge (each cycle once)."""
    state: dict[str, int] = {}
    closing: list[tuple[str, str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                closing.append((node, nxt))
            elif nxt not in state:
                visit(nxt)
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    found, seen = [], set()
    for node, nxt in closing:
        loop = shortest_path(graph, nxt, node)
        first = loop.index(min(loop))
        key = tuple(loop[first:] + loop[:first])
        if key not in seen:
            seen.add(key)
            found.append("import cycle: " + " → ".join([*loop, nxt]))
    return found


def long_functions(mods: dict[str, Path], root: Path) -> list[str]:
    """Functions and methods longer than MAX_LINES (decorators and docstring included)."""
    problems = []
    for path in mods.values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_LINES:
                    problems.append(
                        f"{path.relative_to(root)}:{node.lineno}: {node.name} is {length} lines "
                        f"(at most {MAX_LINES})"
                    )
    return problems


def main(argv: list[str] | None = None) -> int:
    """Print every problem of the tree at ``argv[0]`` (default: this repository); exit 1 if any."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print(f"usage: {Path(__file__).name} [ROOT]  (default ROOT: {ROOT})", file=sys.stderr)
        return 2
    root = Path(args[0]).resolve() if args else ROOT
    mods = modules(root)
    if not mods:
        print(
            f"no product to check under {root} (no app.py, {', '.join(PACKAGES)})", file=sys.stderr
        )
        return 2
    problems, graph = flow_problems(mods, root)
    problems += cycles(graph) + private_imports(mods, root) + long_functions(mods, root)
    for line in problems:
        print(line)
    print(
        f"architecture: {len(mods)} modules, "
        + (
            f"{len(problems)} problem(s)"
            if problems
            else "imports flow one way, no cycles, no private names across modules, "
        )
        + ("" if problems else f"no function over {MAX_LINES} lines")
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
