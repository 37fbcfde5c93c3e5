"""Shared fixtures. Tests that import Timetabler in-process get their own temporary data folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before any core module reads its settings: in-process tests never touch ./var.
_DATA = tempfile.mkdtemp(prefix="timetabler-test-")
os.environ["TIMETABLER_DATA_DIR"] = _DATA
for _key in ("TIMETABLER_DATABASE_URL", "TIMETABLER_REDIS_URL", "TIMETABLER_S3_BUCKET"):
    os.environ.pop(_key, None)

ROOT = Path(__file__).resolve().parent.parent
# The few documents the tests upload, kept with them (copies of generated ones and one real
# screenshot, see tests/documents/README.md): the suite needs nothing outside the project.
DOCUMENTS = ROOT / "tests" / "documents"

# Servers, the unsure scorer and the rest in tests/support, for every test folder.
pytest_plugins = ("tests.support.fixtures",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the suite on both cores (pytest-xdist, see addopts in pyproject.toml) without starting a
    stack twice: a folder's tests stay together on one worker, since its session- and module-scoped
    stacks would start again on every worker that runs one of its tests. The scale tests (minutes
    each) go first, one module per group, so the longest work does not start last."""
    for item in items:
        relative = Path(item.fspath).relative_to(ROOT / "tests")
        long = relative.parts[0] == "scale"
        group = str(relative) if long or len(relative.parts) == 1 else relative.parts[0]
        item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: Path(item.fspath).relative_to(ROOT / "tests").parts[0] != "scale")
