"""Imports only go down, in the order README's architecture states: each layer may
import those before it and never those after, not even inside a function, and no
two modules import each other however far round."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = (
    "config",
    "data",
    "i18n",
    "reporting",
    "editing",
    "notices",
    "views",
    "exchange",
    "ui",
    "web",
    "quarter_cli",
    "cli",
)
TOP = ("pages", "dashboard")  # the app itself: may import every layer, and nothing imports it


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[tuple[str, int]]:
    """Every ``coopplan`` module that ``path`` imports, wherever the import stands, with its line."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            # ``from . import x`` imports the module x when there is one
            found += [(_submodule(module, alias.name), node.lineno) for alias in node.names]
    return [(target, line) for target, line in found if target.split(".")[0] == "coopplan"]


def _submodule(module: str, name: str) -> str:
    candidate = ROOT / Path(*module.split("."), name)
    return f"{module}.{name}" if candidate.with_suffix(".py").is_file() or candidate.is_dir() else module


def layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] in TOP:
        return parts[0]
    if len(parts) == 1 or parts[1] == "__init__":
        return "coopplan"
    return "cli" if parts[1] == "__main__" else parts[1]


def rank(module: str) -> int:
    name = layer(module)
    if name in TOP:
        return len(ORDER)
    # the package's own __init__ holds nothing a layer would need: the bottom
    return -1 if name == "coopplan" else ORDER.index(name)


def sources() -> list[Path]:
    return [*sorted((ROOT / "coopplan").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "dashboard.py"]


def edges() -> list[tuple[str, str, str]]:
    return [
        (module_name(path), target, f"{path.relative_to(ROOT)}:{line}")
        for path in sources()
        for target, line in imported(path)
    ]


def test_every_package_of_coopplan_has_a_place_in_the_order():
    packages = {path.parent.name for path in (ROOT / "coopplan").glob("*/__init__.py")}
    modules = {path.stem for path in (ROOT / "coopplan").glob("*.py")} - {"__init__", "__main__"}
    assert packages | modules == set(ORDER)


def test_no_module_imports_a_layer_above_its_own():
    upward = [f"{where}: {source} -> {target}" for source, target, where in edges() if rank(target) > rank(source)]
    assert upward == []


def test_no_modules_import_each_other_even_through_others():
    graph: dict[str, set[str]] = {}
    for source, target, _ in edges():
        if source != target:
            graph.setdefault(source, set()).add(target)
    assert _cycles(graph) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each module that is on one (depth-first, colouring the path)."""
    found, state = [], {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_graph_sees_imports_inside_functions_and_relative_ones():
    cli = {target for target, _ in imported(ROOT / "coopplan" / "cli.py")}
    assert "coopplan.data.loader" in cli  # imported inside the validate command only
    exports = {target for target, _ in imported(ROOT / "coopplan" / "exchange" / "exports.py")}
    assert {"coopplan.exchange.spreadsheet", "coopplan.views.filters"} <= exports


def test_the_readme_states_the_same_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert " ← ".join(ORDER) + " ← pages, dashboard.py" in readme
