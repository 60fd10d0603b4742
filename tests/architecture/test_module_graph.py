"""The shape of the plugins' code: no import cycle at module level, modules of a readable size.

import-linter (``make checks``) enforces which package may import which, counting every
import. These tests cover what it cannot: a cycle among the imports that run when a module is
loaded (imports inside functions run later and are how a page route loads its views), and
the size of each module.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "civic_core": ROOT / "plugins" / "core" / "civic_core",
    "civic_participation": ROOT / "plugins" / "participation" / "civic_participation",
    "civic_consultation": ROOT / "plugins" / "consultation" / "civic_consultation",
    "civic_budget": ROOT / "plugins" / "budget" / "civic_budget",
}
MAX_LINES = 600


def _modules(package, folder):
    """Dotted name -> path of every module of ``package`` but its migrations."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(folder)
        if "migrations" in relative.parts:
            continue
        parts = [package, *relative.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _top_level_statements(body):
    """The statements that run on import: the module body and the blocks it opens directly."""
    for node in body:
        yield node
        if isinstance(node, ast.If) and not _is_type_checking(node.test):
            yield from _top_level_statements(node.body)
            yield from _top_level_statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _top_level_statements(block)
            for handler in node.handlers:
                yield from _top_level_statements(handler.body)


def _is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(module, path, node):
    """The dotted names an import statement asks for (each may be a module or a name in one)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package_parts = module.split(".")
        if path.name != "__init__.py":
            package_parts = package_parts[:-1]
        base_parts = package_parts[: len(package_parts) - node.level + 1]
        base = ".".join([*base_parts, *([node.module] if node.module else [])])
    else:
        base = node.module
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def module_level_graph(package, folder):
    """importer -> the modules of the same package it imports when it is loaded.

    Importing ``a.b.c`` also runs ``a/__init__`` and ``a/b/__init__``: those count too.
    """
    modules = _modules(package, folder)
    graph = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _top_level_statements(tree.body):
            for target in _imported_names(name, path, node):
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                parts = target.split(".") if target else []
                for end in range(1, len(parts) + 1):
                    loaded = ".".join(parts[:end])
                    if loaded in modules and loaded != name and not name.startswith(loaded + "."):
                        graph[name].add(loaded)
    return graph


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_sees_a_cycle_through_a_package_init():
    graph = {"p": {"p.pages"}, "p.pages": {"p.services"}, "p.services": {"p"}, "p.pure": set()}
    assert cycles(graph) == [["p", "p.pages", "p.services"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_relative_and_parent_imports_are_resolved(tmp_path):
    package = tmp_path / "pkg"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models" / "__init__.py").write_text("from .pages import Page\n")
    (package / "models" / "pages.py").write_text(
        "from pkg import services\n\ndef route():\n    from pkg import views\n"
    )
    (package / "services.py").write_text("from pkg.models.items import Item\n")
    (package / "models" / "items.py").write_text("X = 1\n")
    (package / "views.py").write_text("from pkg.models import Page\n")
    graph = module_level_graph("pkg", package)
    assert graph["pkg.models"] == {"pkg.models.pages"}
    assert graph["pkg.services"] == {"pkg.models", "pkg.models.items"}
    # The import inside a function does not run when pages is loaded.
    assert "pkg.views" not in graph["pkg.models.pages"]
    assert cycles(graph) == [["pkg.models", "pkg.models.pages", "pkg.services"]]


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_import_cycle_at_module_level(package):
    assert cycles(module_level_graph(package, PACKAGES[package])) == []


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_modules_stay_readable(package):
    too_long = {
        name: length
        for name, path in _modules(package, PACKAGES[package]).items()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}
