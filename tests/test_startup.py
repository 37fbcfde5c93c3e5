"""Start-up pays only for what runs: `timetabler extract` on a text PDF loads no cloud SDK.

Each engine's SDK loads with its first call (anthropic alone took 2.2 s to import), so a CLI run,
a worker start and a listing of plugins stay quick. Checked in a fresh interpreter, as a person
runs the command.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import DOCUMENTS

SDKS = ["anthropic", "google.cloud.vision", "stripe", "onnxruntime", "sendgrid", "pywebpush"]

PROBE = """
import json, sys
from core.cli import main
code = main(["extract", sys.argv[1], "--no-cache", "--format", "json"])
print(json.dumps({"code": code, "loaded": [m for m in sys.argv[2:] if m in sys.modules]}), file=sys.stderr)
"""


def test_extracting_a_text_pdf_loads_no_engine_sdk() -> None:
    pdf = DOCUMENTS / "003_days_cols_pdf_text.pdf"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(pdf), *SDKS],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stderr.strip().splitlines()[-1])
    assert result["code"] == 0
    assert json.loads(done.stdout)["timeblocks"], "the PDF was read"
    assert result["loaded"] == []
