"""Imports point one way: cogs -> adapters -> the pure packages and the store, with no cycles.

A message's path (event -> facts -> verdict -> action -> record) can then be read top to
bottom; an import that runs back up, even one only for type checking, fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_imports(path: Path, modules: set[str]) -> set[str]:
    """The project's modules that ``path`` imports, each import resolved to the deepest module that exists."""
    found = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = [p for top in ("bot", "cogs") for p in (ROOT / top).rglob("*.py")]
    modules = {module_name(p) for p in paths}
    graph = {}
    for path in paths:
        name = module_name(path)
        # A package's __init__ may re-export its own modules; that is not an arrow back up.
        graph[name] = {m for m in our_imports(path, modules) if m != name and not m.startswith(name + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                found.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_module_imports_back_into_a_cycle() -> None:
    assert cycles(import_graph()) == []


def test_adapters_import_no_cog_and_nothing_that_loads_cogs() -> None:
    graph = import_graph()
    upward = {
        (name, target)
        for name, targets in graph.items() if name.startswith("bot.adapters")
        for target in targets if target.startswith(("cogs", "bot.app", "bot.cli", "bot.cogbase"))
    }
    assert upward == set()


def test_a_cog_never_imports_another_cog() -> None:
    graph = import_graph()
    crossing = {
        (name, target)
        for name, targets in graph.items() if name.startswith("cogs.")
        for target in targets
        if target.startswith("cogs.") and target.split(".")[1] != name.split(".")[1]
    }
    assert crossing == set()


def test_the_cycle_finder_sees_a_cycle() -> None:
    # The check above must be able to fail: the two enforcement modules that used to import each other.
    actions, views = "cogs.enforcement._actions", "cogs.enforcement._views"
    assert cycles({actions: {views}, views: {actions}}) == [[actions, views, actions]]
