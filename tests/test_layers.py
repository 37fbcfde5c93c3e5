"""The layers of docs/architecture.md hold: import-linter checks the contracts in pyproject.toml, no
module of ours imports itself back through others, and no two packages import each other."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

from tests.conftest import ROOT

PACKAGES = ("core", "plugins", "tenants", "admin")
# The only modules that put the top-level folders together (docs/architecture.md).
COMPOSITION_ROOTS = ("core.app", "core.cli", "core.worker")
# A row of docs/architecture.md's table of imports inside functions: | `path.py` | count | why |
LAZY_ROW = re.compile(r"^\s*\| `([\w/.]+\.py)` \| (\d+) \|", re.MULTILINE)


def test_every_import_runs_the_way_the_layers_allow() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_imports_itself_back() -> None:
    """An import cycle between modules (counting imports inside functions, which is where cycles
    hide) names the modules in its circle."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    circles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                circles.add(" -> ".join((module, *back)))
    assert not circles, "\n".join(sorted(circles))


def test_no_two_packages_import_each_other() -> None:
    """Siblings anywhere in the tree (core.schools and core.privacy, tenants.billing and
    tenants.api, ...) import one way or not at all, counting imports inside functions; so do the
    top-level folders, but for the composition roots, which put them together."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    siblings: dict[str, set[str]] = {}
    for module in graph.modules:
        parent = module.rpartition(".")[0]
        if parent:
            siblings.setdefault(parent, set()).add(module)
    both_ways = [
        f"{a} <-> {b}"
        for children in siblings.values()
        for a in sorted(children)
        for b in sorted(children)
        if a < b
        and graph.direct_import_exists(importer=a, imported=b, as_packages=True)
        and graph.direct_import_exists(importer=b, imported=a, as_packages=True)
    ]

    def imports(a: str, b: str) -> bool:
        return any(
            imported == b or imported.startswith(b + ".")
            for module in graph.find_descendants(a) | {a}
            if module not in COMPOSITION_ROOTS
            for imported in graph.find_modules_directly_imported_by(module)
        )

    for a in PACKAGES:
        for b in PACKAGES:
            if a < b and imports(a, b) and imports(b, a):
                both_ways.append(f"{a} <-> {b}")
    assert not both_ways, "\n".join(both_ways)


def test_every_package_below_the_surfaces_is_kept_from_http() -> None:
    """A new feature, platform or kernel package is placed in core's layers (the layers contract is
    exhaustive) and must be named in "services know nothing of HTTP" too, or Litestar could creep in."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    (layers,) = [c for c in contracts if c["type"] == "layers" and c.get("containers") == ["core"]]
    below_the_surfaces = {
        f"core.{name.strip()}" for layer in layers["layers"][2:] for name in layer.split(":")
    }
    (no_http,) = [c for c in contracts if c["name"].startswith("services know nothing of HTTP")]
    assert "litestar" in no_http["forbidden_modules"]
    assert below_the_surfaces - set(no_http["source_modules"]) == set()


def _imports_of_ours_inside_functions(path: Path) -> int:
    """Imports of core, plugins, tenants or admin (or relative ones) in a function body, but for
    ``if TYPE_CHECKING:`` blocks, which never run."""
    count = 0

    def visit(node: ast.AST, in_function: bool) -> None:
        nonlocal count
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if in_function and isinstance(child, ast.ImportFrom):
                count += int(child.level > 0 or (child.module or "").split(".")[0] in PACKAGES)
            elif in_function and isinstance(child, ast.Import):
                count += int(any(alias.name.split(".")[0] in PACKAGES for alias in child.names))
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return count


def test_imports_of_ours_inside_functions_are_the_documented_ones() -> None:
    """Each module with an import of ours inside a function is in docs/architecture.md's table, with
    why and how many; any other fails, and so does a row the code no longer needs."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("<!-- lazy imports: the table tests/test_layers.py reads -->", 1)[1]
    documented = {path: int(count) for path, count in LAZY_ROW.findall(table)}
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            count = _imports_of_ours_inside_functions(path)
            if count:
                found[path.relative_to(ROOT).as_posix()] = count
    wrong = {
        path: f"{found.get(path, 0)} in the code, {documented.get(path, 0)} in the table"
        for path in found.keys() | documented.keys()
        if found.get(path, 0) != documented.get(path, 0)
    }
    assert not wrong, wrong
