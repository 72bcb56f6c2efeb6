"""The import structure: a pure core, features layered without cycles, and only the composition root wiring them.

Read statically from the source (ast), so a violation fails here even when no other test imports the module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("planbot", "knowledge", "indexer", "reminders", "supervision", "bot", "web")
# Lower layers never import higher ones. planbot's own shared modules (settings, db, errors, …) are the bottom;
# the composition root (the command line) is the top.
LAYERS = ("kernel", "knowledge", "indexer", "reminders", "supervision", "bot", "root")
SAME_LAYER = {"web": "bot"}  # the web desk is another adapter beside the Telegram bot (they share services)
COMPOSITION_ROOT = {"planbot.cli", "planbot.__main__"}
PURE_CORE = ["knowledge", "reminders.rules", "reminders.workdays", "reminders.views", "supervision.reports",
             "supervision.periods", "supervision.render", "supervision.rounds"]
CORE_ADAPTERS = {"knowledge.cli"}  # the knowledge feature's command line (opens the database)
FORBIDDEN_IN_CORE = ("telegram", "sqlalchemy", "chromadb", "apscheduler", "planbot.db")


def module_names() -> list[str]:
    """Every module of planbot's own packages."""
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            out.append(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
    return out


def _path(module: str) -> Path:
    base = ROOT.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name | ast.Attribute) and ast.unparse(node.test).endswith("TYPE_CHECKING")


def _imports(tree: ast.AST, top_only: bool) -> Iterator[str]:
    """Modules imported at run time (not under `if TYPE_CHECKING:`); only module-level ones when `top_only`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif not top_only or isinstance(node, ast.If | ast.Try):  # module level: conditional imports only
            yield from _imports(node, top_only)


@cache
def imports_of(module: str, top_only: bool = False) -> frozenset[str]:
    """What `module` imports: own modules resolved to module names, others by their full dotted name."""
    own = set(module_names())
    out = set()
    for name in _imports(ast.parse(_path(module).read_text(encoding="utf-8")), top_only):
        if name.split(".")[0] in PACKAGES:
            if name in own:
                out.add(name)
        else:
            out.add(name)
    return frozenset(out)


def layer(module: str) -> int:
    """The module's place in LAYERS."""
    if module in COMPOSITION_ROOT:
        return LAYERS.index("root")
    top = module.split(".")[0]
    top = SAME_LAYER.get(top, top)
    return LAYERS.index("kernel" if top == "planbot" else top)


def test_features_only_import_lower_layers() -> None:
    upward = [f"{m} -> {i}" for m in module_names() for i in imports_of(m)
              if i.split(".")[0] in PACKAGES and layer(i) > layer(m)]
    assert upward == []


def test_no_import_cycles_among_modules() -> None:
    graph = {m: {i for i in imports_of(m, top_only=True) if i.split(".")[0] in PACKAGES} for m in module_names()}
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            pytest.fail("import cycle: " + " -> ".join([*path[path.index(module):], module]))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in graph:
        visit(module, [])


def _core_modules() -> list[str]:
    return [m for m in module_names() for core in PURE_CORE
            if (m == core or m.startswith(core + ".")) and m not in CORE_ADAPTERS]


@pytest.mark.parametrize("module", _core_modules())
def test_core_imports_no_adapter_library(module: str) -> None:
    seen, todo, bad = {module}, [module], []
    while todo:  # everything the module pulls in through planbot's own modules too
        current = todo.pop()
        for name in imports_of(current):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_CORE):
                bad.append(f"{current} imports {name}")
            if name.split(".")[0] in PACKAGES and name not in seen:
                seen.add(name)
                todo.append(name)
    assert bad == []


def test_the_scan_sees_what_it_checks() -> None:
    assert "telegram.ext" in imports_of("bot.app") and "bot.handlers.core" in imports_of("bot.app", top_only=True)
    assert "indexer.runtime" in imports_of("planbot.cli")  # an import inside a function counts for layers
    assert "indexer.runtime" not in imports_of("planbot.cli", top_only=True)
    assert layer("bot.app") > layer("supervision.jobs") > layer("knowledge.parser") > layer("planbot.settings")
    assert layer("web.app") == layer("bot.app") > layer("supervision.service")
    assert "knowledge.parser" in _core_modules() and "knowledge.cli" not in _core_modules()
