"""The package's shape: stages import only the stages before them, nothing imports in a circle.

Order of the stages (DESIGN.md, README "Layout"):

    shared (model, errors, settings, atomic, yamlfile) -> ingest -> codebook -> manual -> coding
        -> analysis -> export -> cli

Every import counts, also one inside a function or under TYPE_CHECKING: a lazy
import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "icap_coder"
STAGES = ["ingest", "codebook", "manual", "coding", "analysis", "export", "cli"]
SHARED = {"icap_coder", "icap_coder.model", "icap_coder.errors", "icap_coder.settings", "icap_coder.atomic",
          "icap_coder.yamlfile"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[str]:
    """The package's own modules that a file imports, anywhere in it."""
    found: set[str] = set()
    this = module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = this.split(".")[: len(this.split(".")) - node.level + (path.name == "__init__.py")]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in known)
    found.discard(this)
    return found


def stage(module: str) -> int:
    """0 for the shared modules; 1.. for the stages in order."""
    if module in SHARED:
        return 0
    part = module.split(".")[1]
    return STAGES.index("cli" if part == "__main__" else part) + 1


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(path, set(found)) for name, path in found.items()}


def backward_imports(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} -> {b}" for a, targets in edges.items() for b in targets if stage(b) > stage(a))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_checks_can_fail():
    edges = {"icap_coder.ingest.a": {"icap_coder.coding.b"}, "icap_coder.coding.b": {"icap_coder.ingest.a"}}
    assert backward_imports(edges) == ["icap_coder.ingest.a -> icap_coder.coding.b"]
    assert cycles(edges) == [["icap_coder.coding.b", "icap_coder.ingest.a"]]


def test_every_module_belongs_to_a_stage():
    for name in modules():
        stage(name)  # raises for a module outside the layout


def test_imports_run_one_way():
    assert backward_imports(graph()) == []


def test_no_import_circles():
    assert cycles(graph()) == []


def test_the_graph_is_what_it_claims():
    """Spot checks, so an import parser that sees nothing cannot pass the tests above."""
    edges = graph()
    assert "icap_coder.coding.matcher" in edges["icap_coder.coding.run"]
    assert "icap_coder.manual.merge" in edges["icap_coder.coding.run"]
    assert "icap_coder.coding.run" in edges["icap_coder.cli.code"]  # a lazy import inside a function
    assert "icap_coder.coding.run" in edges["icap_coder.export.results"]  # under TYPE_CHECKING
    assert sum(len(targets) for targets in edges.values()) > 100


def test_every_stage_says_what_it_takes_and_gives():
    for name in STAGES:
        text = (PACKAGE / name / "__init__.py").read_text(encoding="utf-8")
        docstring = ast.get_docstring(ast.parse(text)) or ""
        assert re.search(r"Takes|takes", docstring) and re.search(r"gives|Gives", docstring), name
        for module in sorted((PACKAGE / name).glob("*.py")):
            if module.name != "__init__.py" and not module.name.startswith("_"):
                assert module.name in docstring, f"{name}/__init__.py does not list {module.name}"
