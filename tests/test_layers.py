"""The architecture, checked from the code's own imports.

* Layers import one way: a subpackage of ``shortcodes`` imports only the
  layers below it (``LAYERS``), never one above; modules inside one
  subpackage form no import cycle.
* A function-local import (one inside a ``def``) is allowed only with a
  comment on its line saying why it is there (a heavy dependency deferred);
  imports under ``if TYPE_CHECKING:`` are for annotations only and are
  allowed within the layer rule.
* Every subpackage is listed in ``setup.cfg`` (so the wheel ships it).
"""
from __future__ import annotations

import ast
import configparser
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "shortcodes"

#: Bottom to top: each layer may import those before it.
LAYERS = ("common", "php", "core", "exports", "markdown", "wordpress", "renderer", "testing", "cards", "media", "jobs", "cli")
#: Modules at the top of the package: the facade and the one-line re-exports of moved modules.
TOP = {"__init__", "__main__", "convert", "gallery", "inventory", "pytest_plugin", "sources", "strategies", "wxr"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out["shortcodes." + ".".join(parts) if parts != ["__init__"] else "shortcodes"] = path
    return out


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> list[str]:
    if node.level == 0:
        base = node.module or ""
    else:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    targets = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        targets.append(candidate if candidate in MODULES else base)
    return targets


def _imports(module: str, path: Path) -> list[tuple[str, int, str]]:
    """(imported shortcodes module, line, kind) with kind = top | type-checking | local."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, kind: str) -> None:
        for child in ast.iter_child_nodes(node):
            child_kind = kind
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                child_kind = "local"
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                child_kind = "type-checking" if kind == "top" else kind
            if isinstance(child, ast.ImportFrom):
                for target in _resolve(module, path, child):
                    if target.startswith("shortcodes"):
                        found.append((target, child.lineno, child_kind))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("shortcodes"):
                        found.append((alias.name, child.lineno, child_kind))
            visit(child, child_kind)

    visit(tree, "top")
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in TOP or parts[1] in ("_grammar", "_templates"):
        return None
    return parts[1]


def test_every_subpackage_is_a_known_layer() -> None:
    layers = {_layer(m) for m in MODULES} - {None}
    assert layers == set(LAYERS), f"add new subpackages to LAYERS (and docs/architecture.md): {layers ^ set(LAYERS)}"


def test_layers_import_only_downwards() -> None:
    rank = {name: i for i, name in enumerate(LAYERS)}
    back_edges = []
    for module, path in MODULES.items():
        mine = _layer(module)
        if mine is None:
            continue
        for target, line, kind in _imports(module, path):
            theirs = _layer(target)
            if target == "shortcodes" or (theirs is not None and rank[theirs] > rank[mine]):
                back_edges.append(f"{path.relative_to(ROOT)}:{line}: {mine} imports {target} ({kind})")
    assert not back_edges, "imports against the layer order:\n" + "\n".join(back_edges)


def test_no_import_cycles_between_modules() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for target, _line, kind in _imports(module, path):
            if kind == "top" and target != module and target in MODULES:
                graph[module].add(target)
    # The package __init__ of a module is imported first by Python; edges into an __init__ that
    # only re-exports its own submodules are part of the package, not a cycle of concepts.
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt.startswith(node + "."):
                continue  # a package re-exporting its submodules
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_function_local_imports_say_why() -> None:
    silent = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for _target, line, kind in _imports(module, path):
            if kind == "local" and "#" not in lines[line - 1]:
                silent.append(f"{path.relative_to(ROOT)}:{line}: {lines[line - 1].strip()}")
    assert not silent, "function-local imports without a reason comment:\n" + "\n".join(silent)


def test_setup_cfg_lists_every_package() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = {p.strip() for p in cfg["options"]["packages"].split() if p.strip()}
    packages = {m for m, p in MODULES.items() if p.name == "__init__.py"}
    assert packages <= listed, f"setup.cfg [options] packages misses {sorted(packages - listed)}"


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_has_a_docstring_that_says_what_it_is(layer: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc) > 40, f"shortcodes/{layer}/__init__.py needs a docstring describing the layer"
