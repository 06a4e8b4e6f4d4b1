"""The layers stay layers: no import circles in ``workbench/``, ``ui/`` or ``main.py`` — counting
imports inside functions and under ``if TYPE_CHECKING:`` — and the core never imports the UI or Qt.

The graph is read from the source with :mod:`ast` (nothing is imported), so a circle hidden in a
lazy import or a type-only import fails here as well: both still tie two modules together, and a
type-only circle is the one that turns into a real one the day somebody needs the name at run time.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Area → what it covers: a folder of packages, or one module file.
AREAS = {"workbench": ROOT / "workbench", "ui": ROOT / "ui", "main": ROOT / "main.py"}
#: What the core may never import: the desktop layer and Qt.
FORBIDDEN_IN_CORE = ("ui", "PySide6", "shiboken6")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    """Every module of the three areas by dotted name."""
    found: dict[str, Path] = {}
    for area in AREAS.values():
        files = [area] if area.is_file() else sorted(area.rglob("*.py"))
        for path in files:
            if "__pycache__" not in path.parts:
                found[_module_name(path)] = path
    return found


def _imported_names(name: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """Every module of ours that an ``import`` anywhere in the module (top level, functions,
    ``TYPE_CHECKING`` blocks) loads, with its line: ``from pkg import x`` is ``pkg.x`` when that is
    a module, else ``pkg``; ``import a.b`` is ``a.b`` (or its nearest package of ours)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: climb from this module's package
                base_parts = package.split(".") if package else []
                base_parts = base_parts[:len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                child = f"{base}.{alias.name}"
                yield (child if child in modules else base), node.lineno


def _resolve(target: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that importing ``target`` runs: itself, or its nearest package."""
    while target:
        if target in modules:
            return target
        target = target.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports (self-imports of a package's own name dropped)."""
    modules = _sources()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target, _line in _imported_names(name, path, modules):
            found = _resolve(target, modules)
            if found is not None and found != name:
                graph[name].add(found)
    return graph


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative): the groups of modules that import each other in a ring."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def _one_cycle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A concrete ring inside a strongly connected group, for the failure message (a → b → a)."""
    members = set(group)
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:  # breadth-first: the shortest way back to the start
        node = queue.pop(0)
        for child in sorted(graph[node] & members):
            if child == start:
                return paths[node] + [start]
            if child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    return group  # unreachable for a real group


def cycles_in(area: str) -> list[str]:
    """Import circles that involve a module of ``area``, each as ``a → b → … → a``."""
    graph = import_graph()
    prefix = "main" if area == "main" else area
    rings = []
    for group in _strongly_connected(graph):
        if any(m == prefix or m.startswith(prefix + ".") for m in group):
            ring = _one_cycle(graph, group)
            others = sorted(set(group) - set(ring))
            rings.append(" → ".join(ring) + (f"  (tangled in the same knot: {', '.join(others)})" if others else ""))
    return rings


@pytest.mark.parametrize("area", sorted(AREAS))
def test_no_import_circles(area: str) -> None:
    rings = cycles_in(area)
    assert not rings, f"import circles in {area}:\n  " + "\n  ".join(rings)


def test_the_core_never_imports_the_ui_or_qt() -> None:
    modules = _sources()
    found = []
    for name, path in modules.items():
        if name != "workbench" and not name.startswith("workbench."):
            continue
        for target, line in _imported_names(name, path, modules):
            top = target.split(".")[0]
            if top in FORBIDDEN_IN_CORE:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not found, "the core imports the desktop layer:\n  " + "\n  ".join(sorted(set(found)))


def test_the_graph_sees_lazy_type_only_and_relative_imports(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker itself: a circle made only of a function-level import and a TYPE_CHECKING import
    (one of them relative) is found."""
    pkg = tmp_path / "ui"
    pkg.mkdir()
    (pkg / "__init__.py").write_text('"""Package."""\n', encoding="utf-8")
    (pkg / "a.py").write_text("def f():\n    from ui import b\n", encoding="utf-8")
    (pkg / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f\n",
                              encoding="utf-8")
    (pkg / "c.py").write_text("import ui.a\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "ROOT", tmp_path)
    monkeypatch.setitem(AREAS, "ui", pkg)
    monkeypatch.setitem(AREAS, "workbench", tmp_path / "missing")
    monkeypatch.setitem(AREAS, "main", tmp_path / "missing.py")
    graph = import_graph()
    assert graph["ui.a"] == {"ui.b"} and graph["ui.b"] == {"ui.a"} and graph["ui.c"] == {"ui.a"}
    assert cycles_in("ui") == ["ui.a → ui.b → ui.a"]
