"""Start-up pays only for what runs: `timetabler extract` on a text PDF loads no cloud SDK.

Each engine's SDK loads with its first call (anthropic alone took 2.2 s to import), so a CLI run,
a worker start and a listing of plugins stay quick. Checked in a fresh interpreter, as a person
runs the command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DOCUMENTS

SDKS = ["anthropic", "google.cloud.vision", "stripe", "onnxruntime", "sendgrid", "pywebpush"]
# The product around the reading: the web framework, the database, email templates, metrics, the
# cipher of schools' keys. Every plugin registers at start, and core.plugin_api used to load all of
# these with it (about a second of a one-second run); reading a PDF needs none of them.
PRODUCT = ["litestar", "piccolo", "asyncpg", "jinja2", "prometheus_client", "cryptography", "jwt", "redis"]
# A PDF's text layer is read without images: OpenCV, numpy and Pillow load with the first page
# image (the OCR and preprocessing plugins register without them).
IMAGES = ["cv2", "numpy", "PIL"]

PROBE = """
import json, sys
from core.cli import main
code = main(["extract", sys.argv[1], "--no-cache", "--format", "json"])
print(json.dumps({"code": code, "loaded": [m for m in sys.argv[2:] if m in sys.modules]}), file=sys.stderr)
"""


def test_extracting_a_text_pdf_loads_no_engine_sdk() -> None:
    pdf = DOCUMENTS / "003_days_cols_pdf_text.pdf"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(pdf), *SDKS, *PRODUCT, *IMAGES],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stderr.strip().splitlines()[-1])
    assert result["code"] == 0
    assert json.loads(done.stdout)["timeblocks"], "the PDF was read"
    assert result["loaded"] == []


API_PROBE = """
import json, sys
from core.plugin_api import DocumentUnreadable, Page, Rule, Word, check_pdf, hookimpl
before = [m for m in sys.argv[1:] if m in sys.modules]
from core.plugin_api import TenantScope
print(json.dumps({"before": before, "after": [m for m in sys.argv[1:] if m in sys.modules]}))
"""


def test_a_reader_plugin_does_not_load_the_database_until_it_asks_for_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", API_PROBE, "piccolo", "core.db.scoping"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["before"] == []
    assert result["after"] == ["piccolo", "core.db.scoping"], "asking for TenantScope gives it"


def test_every_name_of_the_plugin_api_resolves() -> None:
    import core.plugin_api as api

    missing = [name for name in api.__all__ if getattr(api, name, None) is None]
    assert missing == []


WORKER_PROBE = """
import json, sys
import core.worker
print(json.dumps([m for m in sys.argv[1:] if m in sys.modules]))
"""


def test_a_worker_process_starts_without_the_web_framework_or_billing_sdk() -> None:
    """Every worker process (and each recycled one) imports core.worker before it takes a job: the
    routes' framework, the token library and Stripe's SDK are not needed to run a stage."""
    done = subprocess.run(
        [sys.executable, "-c", WORKER_PROBE, *SDKS, "litestar", "jwt", "httpx"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        env={**os.environ, "TIMETABLER_REDIS_URL": "redis://127.0.0.1:1/0"},  # the broker, never dialled
    )
    assert json.loads(done.stdout) == []


APP_PROBE = """
import json, sys
from core.app import create_app
create_app()
print(json.dumps([m for m in sys.argv[1:] if m in sys.modules]))
"""


def test_the_web_app_starts_without_any_engine_or_billing_sdk(tmp_path: Path) -> None:
    """`timetabler serve` (every test stack starts one): Stripe's SDK loads with the first checkout,
    portal or webhook call, the engines' SDKs with their first page."""
    done = subprocess.run(
        [sys.executable, "-c", APP_PROBE, *SDKS],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        env={**os.environ, "TIMETABLER_DATA_DIR": str(tmp_path)},
    )
    assert json.loads(done.stdout) == []
