"""The layers of docs/architecture.md hold: import-linter checks the contracts in pyproject.toml, and
no module of ours imports itself back through others."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

from tests.conftest import ROOT

PACKAGES = ("core", "plugins", "tenants", "admin")


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
