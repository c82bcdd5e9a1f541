"""The package's shape: no module of `analysis` imports itself back through others.

A circle of imports makes a module's meaning depend on which one Python happens to load first, and it hides
that two concerns have grown into one; so every import counts, also one inside a function (it only defers
the circle to run time).
"""

from __future__ import annotations

import ast
from pathlib import Path

from analysis import paths

PACKAGE = "analysis"
SRC = paths.ROOT / "src" / PACKAGE


def modules_in(root: Path) -> dict[str, Path]:
    """Each module's dotted name -> its file, for the package whose directory is `root`."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = (PACKAGE, *path.relative_to(root).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of `from <level dots><target> import ...` written in `module`."""
    if level == 0:
        return target or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The package module `name` is, or lies in (`analysis.ingest.eforms.X` -> `analysis.ingest.eforms`)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module -> the package modules it imports: every `import`/`from ... import` anywhere in the file,
    relative ones resolved, and `from . import x` meaning the module x when x is a module."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node.level, node.module)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in modules else base)
            for target in targets:
                owner = _owner(target, modules)
                if owner is not None and owner != name:
                    edges.add(owner)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each as one circle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_circle(graph, group) for group in groups]


def _circle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """One shortest circle from the group's first module back to itself, for the failure message."""
    start, members = group[0], set(group)
    paths_from = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v] & members):
                if w == start:
                    return [*paths_from[v], start]
                if w not in paths_from:
                    paths_from[w] = [*paths_from[v], w]
                    following.append(w)
        frontier = following
    return group


def test_no_import_circles():
    found = cycles(import_graph(modules_in(SRC)))
    assert not found, "import circles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_graph_sees_every_kind_of_import(tmp_path):
    """The checker itself: a circle made of a relative import, a `from . import module` and an import inside
    a function is found, and a `from .module import name` points at the module, not at the name."""
    pkg = tmp_path / PACKAGE
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from .sub.b import thing\n",
        "sub/__init__.py": "",
        "sub/b.py": "from . import c\nthing = 1\n",
        "sub/c.py": "def later():\n    from ..a import x\n",
        "d.py": "import analysis.a\n",
    }
    for rel, text in files.items():
        (pkg / rel).write_text(text, encoding="utf-8")
    graph = import_graph(modules_in(pkg))
    assert graph["analysis.a"] == {"analysis.sub.b"}
    assert graph["analysis.sub.b"] == {"analysis.sub.c"}
    assert graph["analysis.sub.c"] == {"analysis.a"}
    assert graph["analysis.d"] == {"analysis.a"}
    assert cycles(graph) == [["analysis.a", "analysis.sub.b", "analysis.sub.c", "analysis.a"]]



MAX_MODULE_LINES, MAX_CLASS_LINES = 500, 250  # a module read at once, a class held in mind at once


def test_every_module_and_class_is_small_enough_to_read_at_once():
    """No module of the package over 500 lines and no class over 250 (split by concern, not by trimming)."""
    too_long = []
    for name, path in modules_in(SRC).items():
        text = path.read_text(encoding="utf-8")
        if (lines := len(text.splitlines())) > MAX_MODULE_LINES:
            too_long.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and (size := node.end_lineno - node.lineno + 1) > MAX_CLASS_LINES:
                too_long.append(f"{name}.{node.name}: a class of {size} lines")
    assert not too_long, "\n".join(too_long)
