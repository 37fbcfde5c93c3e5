"""Shared fixtures. Tests that import Timetabler in-process get their own temporary data folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
