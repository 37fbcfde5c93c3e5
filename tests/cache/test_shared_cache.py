"""Two worker processes on one Redis: what one read, the other reuses without calling the engine;
another school never gets it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from PIL import Image

from core.cache.store import shared_stats
from core.settings import load_settings
from tests.conftest import DOCUMENTS
from tests.support.fakes.anthropic_server import FakeAnthropic
from tests.support.stacks import ROOT


def read_in_new_process(mode: str, path: Path, tenant: str, env: dict[str, str]) -> dict[str, Any]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TIMETABLER_", "ANTHROPIC"))}
    done = subprocess.run(
        [sys.executable, "-m", "tests.cache.read_once", mode, str(path), tenant],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def timetable_image(folder: Path) -> tuple[Path, Path]:
    """The same page twice: as PNG and as TIFF (different files, the same pixels)."""
    image = Image.new("RGB", (320, 200), "white")
    for x in range(0, 320, 40):
        for y in range(200):
            image.putpixel((x, y), (0, 0, 0))
    png, tiff = folder / "week.png", folder / "week.tif"
    image.save(png)
    image.save(tiff)
    return png, tiff


def test_a_page_read_by_one_worker_is_not_read_again_by_another(redis_srv, tmp_path: Path) -> None:
    env = {"TIMETABLER_REDIS_URL": redis_srv.url_for(1), "TIMETABLER_DATA_DIR": str(tmp_path)}
    png, tiff = timetable_image(tmp_path)
    school, other_school = str(uuid.uuid4()), str(uuid.uuid4())
    first = read_in_new_process("ocr", png, school, env)
    second = read_in_new_process("ocr", tiff, school, env)
    assert first["calls"] == 1 and first["stats"]["ocr"]["misses"] == 1
    assert second["calls"] == 0 and second["stats"]["ocr"]["hits"] == 1
    assert second["read"] == first["read"] == ["Maths 320x200"]
    elsewhere = read_in_new_process("ocr", tiff, other_school, env)
    assert elsewhere["calls"] == 1  # another school's identical page is read for that school
    totals = shared_stats(load_settings(env))
    assert (totals["ocr"]["hits"], totals["ocr"]["misses"]) == (1, 2)


def test_an_llm_answer_is_paid_for_once_per_school(redis_srv, tmp_path: Path) -> None:
    document = DOCUMENTS / "003_days_cols_pdf_text.pdf"
    timetable = {
        "layout": "days_cols",
        "blocks": [{"day": "Monday", "start": "09:00", "end": "10:00", "name": "Maths"}],
    }
    with FakeAnthropic(timetable=timetable) as fake:
        env = {
            "TIMETABLER_REDIS_URL": redis_srv.url_for(2),
            "TIMETABLER_DATA_DIR": str(tmp_path),
            "ANTHROPIC_API_KEY": "sk-ant-test",
            "TIMETABLER_ANTHROPIC_BASE_URL": fake.url,
        }
        school = str(uuid.uuid4())
        first = read_in_new_process("llm", document, school, env)
        second = read_in_new_process("llm", document, school, env)
        assert len(fake.requests) == 1
        assert (first["calls"], second["calls"]) == (1, 0)
        assert second["read"] == [0.0]  # the reused answer costs the school nothing
        read_in_new_process("llm", document, str(uuid.uuid4()), env)
        assert len(fake.requests) == 2  # another school asks for itself
