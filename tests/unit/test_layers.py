"""The import layers hold: no lower stage imports a feature or an entry point, and no cycle.

Read from the source (every ``import`` a module runs, at its top or inside a function; imports
under ``if TYPE_CHECKING:`` name types only and never run), so the test fails on a violation as
soon as it is written, whether or not a test happens to import the module. The layers are those
of docs/ARCHITECTURE.md §1.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import assistant

ROOT = Path(assistant.__file__).parent
# foundations, the core pipeline stages, storage and the output stage
LOWER = {
    "config", "errors", "domain", "validation", "masking", "quoting", "vocab",
    "storage", "ingest", "retrieval", "facts", "checks", "drafting", "export",
}  # fmt: skip
# the features behind the API, the entry points and the composition root
HIGHER = {
    "accounts", "reports", "uploads", "review", "chat", "compat", "knowledge",
    "api", "web", "services", "mcp_server", "evals",
}  # fmt: skip


def _module(path: Path) -> str:
    parts = ["assistant", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> Iterator[str]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            for other in node.orelse:
                yield from _runtime_imports(other)
            continue
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)
        yield from _runtime_imports(node)


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports at run time."""
    files = {_module(f): f for f in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {m for m in _runtime_imports(tree) if m in files and m != name}
    return graph


def _package(module: str) -> str:
    name = module.split(".")[1] if "." in module else module
    return "cli" if name.startswith("cli") else name


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_layers_cover_every_package() -> None:
    packages = {_package(m) for m in import_graph()} - {"assistant", "cli"}
    assert packages <= LOWER | HIGHER, packages - (LOWER | HIGHER)


def test_no_lower_layer_imports_a_higher_one() -> None:
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if _package(module) in LOWER and (_package(target) in HIGHER or _package(target) == "cli")
    )
    assert upward == []


def test_no_import_cycle_between_modules() -> None:
    assert _cycles(import_graph()) == []


def test_no_import_cycle_between_packages() -> None:
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in import_graph().items():
        for target in targets:
            if _package(module) != _package(target):
                packages[_package(module)].add(_package(target))
    assert _cycles(dict(packages)) == []


def test_the_check_sees_an_upward_import_and_a_cycle() -> None:
    tree = ast.parse("from assistant.chat.service import ChatService\n")
    assert list(_runtime_imports(tree)) == [
        "assistant.chat.service",
        "assistant.chat.service.ChatService",
    ]
    hidden = ast.parse("if TYPE_CHECKING:\n    from assistant.services import Services\n")
    assert list(_runtime_imports(hidden)) == []
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
