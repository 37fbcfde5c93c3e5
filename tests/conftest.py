"""Shared fixtures. Tests that import Timetabler in-process get their own temporary data folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

# Before any core module reads its settings: in-process tests never touch ./var.
_DATA = tempfile.mkdtemp(prefix="timetabler-test-")
os.environ["TIMETABLER_DATA_DIR"] = _DATA
for _key in ("TIMETABLER_DATABASE_URL", "TIMETABLER_REDIS_URL", "TIMETABLER_S3_BUCKET"):
    os.environ.pop(_key, None)
# argon2-cffi's profile for test suites: the product's own hashing and checking, without 64 MiB and
# three passes for each of the suite's thousands of sign-ups and sign-ins (the default profile is
# checked in tests/security/test_password_hashing.py). Servers the tests start get it too (stacks.py).
os.environ["TIMETABLER_PASSWORD_HASH_PROFILE"] = "cheapest"

ROOT = Path(__file__).resolve().parent.parent
# The few documents the tests upload, kept with them (copies of generated ones and one real
# screenshot, see tests/documents/README.md): the suite needs nothing outside the project.
DOCUMENTS = ROOT / "tests" / "documents"

# Servers, the unsure scorer and the rest in tests/support, for every test folder.
pytest_plugins = ("tests.support.fixtures",)


# Folders whose modules share nothing costly between them (no stack, no server): grouped by module,
# so their many CPU-bound tests spread over both workers; the scale modules take minutes each.
BY_MODULE = {"scale", "extraction"}


def group_of(nodeid: str) -> str:
    """The xdist work unit of a test: its folder, or its module in BY_MODULE and at the top level."""
    parts = Path(nodeid.split("::", 1)[0]).parts[1:]  # without the leading tests/
    return "/".join(parts) if len(parts) == 1 or parts[0] in BY_MODULE else parts[0]


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """--dist loadgroup by folder (addopts in pyproject.toml), so a folder's package- and
    module-scoped stacks start on one worker only. Not through xdist_group marks: pytest-xdist 3.8
    adds a mark's group to item._nodeid, which pytest 9 no longer reads, so every test was its own
    unit and both workers started every folder's stacks. Units go out in collection order (scale
    first, see below), not largest first."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class FolderScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    config.option.loadscopereorder = False
    return FolderScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The scale tests (minutes each) go first, so the longest work does not start last."""
    items.sort(key=lambda item: Path(item.fspath).relative_to(ROOT / "tests").parts[0] != "scale")
