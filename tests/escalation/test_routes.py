"""Every escalation route, end to end through the Dramatiq pipeline on Redis with PostgreSQL, the
real Google Cloud Vision and Claude plugins talking to local fakes of their HTTP APIs.

The documents are a timetable rendered here (so its truth is known), degraded so that Tesseract
reads it worse than Vision does: "poor" (Tesseract finds little) and "fair" (Tesseract finds part,
with its day headings). Each school's thresholds are set from the confidences the same code
measures in-process, so each route is taken for the reason it names.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.extract import extract_file
from core.plugins import EngineRegistry, make_plugin_manager
from tests.ocr_gcv.render import DAYS, expected_blocks, render_timetable
from tests.support.accounts import Account, register
from tests.support.fakes.anthropic_server import FakeAnthropic
from tests.support.fakes.vision_server import FakeVision
from tests.support.shared import SharedServers
from tests.support.stacks import Stack, postgres_env, running_stack

ENGINES_ENV = {
    "TIMETABLER_GCV_API_KEY": "fake-vision-key",
    "TIMETABLER_ANTHROPIC_API_KEY": "sk-ant-test",
    "TIMETABLER_CLAUDE_BACKOFF": "0.05",
    "TIMETABLER_CLAUDE_TIMEOUT": "10",
}


def llm_blocks(shift: int = 0) -> list[dict[str, Any]]:
    """The true timetable as Claude's tool answers it; ``shift`` moves every lesson that many days."""
    blocks = []
    for day, start, end, name in sorted(expected_blocks()):
        moved = DAYS[(DAYS.index(day) + shift) % len(DAYS)]
        blocks.append({"day": moved, "start_time": start, "end_time": end, "name": name, "unsure": False})
    return blocks


def degraded(rendered: Any, factor: int) -> Any:
    """Down to 1/factor of the size and back: the strokes blur the way a poor phone photo does."""
    image = rendered.image
    return image.resize((image.width // factor, image.height // factor)).resize(image.size)


@pytest.fixture(scope="module")
def rendered() -> Any:
    return render_timetable()


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory, rendered: Any) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docs")
    paths = {"poor": folder / "poor.png", "fair": folder / "fair.png"}
    degraded(rendered, 4).save(paths["poor"])
    degraded(rendered, 3).save(paths["fair"])
    return paths


@pytest.fixture(scope="module")
def fakes(rendered: Any) -> Iterator[tuple[FakeVision, FakeAnthropic]]:
    vision = FakeVision(rendered).start()
    answer = {"teacher": None, "class_name": None, "layout": "days_cols", "blocks": llm_blocks()}
    with FakeAnthropic(timetable=answer) as claude:
        yield vision, claude
    vision.stop()


@pytest.fixture(scope="module")
def confidences(documents: dict[str, Path], fakes: tuple[FakeVision, FakeAnthropic]) -> dict[str, float]:
    """What Tesseract and Vision make of each document, measured by the code the worker runs."""
    saved = {k: os.environ.get(k) for k in (*ENGINES_ENV, "TIMETABLER_GCV_ENDPOINT")}
    os.environ.update(ENGINES_ENV, TIMETABLER_GCV_ENDPOINT=fakes[0].url)
    try:
        plugins = make_plugin_manager()
        engines = EngineRegistry.from_plugins(plugins)
        measured = {
            f"{name}/{engine}": extract_file(path, plugins, engines, ocr_engine=engine)["confidence"]
            for name, path in documents.items()
            for engine in ("tesseract", "gcv")
        }
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    assert measured["poor/gcv"] > 0.92 > measured["poor/tesseract"], measured
    return measured


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    fakes: tuple[FakeVision, FakeAnthropic],
    shared: SharedServers,
) -> Iterator[Stack]:
    vision, claude = fakes
    env = {
        **postgres_env(shared.database(), shared.redis_url()),
        "TIMETABLER_GCV_ENDPOINT": vision.url,
        "TIMETABLER_ANTHROPIC_BASE_URL": claude.url,
        **ENGINES_ENV,
    }
    with running_stack(
        "escalation", tmp_path_factory.mktemp("escalation"), env, worker=True, migrated=True
    ) as running:
        yield running


def school(stack: Stack, **settings: Any) -> Account:
    admin = register(stack, school=f"Escalation {uuid.uuid4().hex[:6]}")
    response = admin.client.put(f"/schools/{admin.user['tenantId']}/settings", json=settings)
    assert response.status_code == 200, response.text
    return admin


def run(account: Account, path: Path) -> dict[str, Any]:
    job = account.wait_for_job(account.upload(path).json()["jobId"])
    assert job["error"] is None, job
    return job


def steps(job: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d["step"], d["kept"]) for d in job["decisions"]]


def test_accept(stack: Stack, documents: dict[str, Path], confidences: dict[str, float]) -> None:
    # Tesseract reads part of the fair copy; the poor one gives no lessons at all, and an empty
    # reading is never accepted as a timetable. A school whose bar is what the fair copy scores
    # accepts it: the worker scores a document as `timetabler extract` does (which rounds to 4 places).
    assert confidences["fair/tesseract"] > 0.0
    bar = confidences["fair/tesseract"] - 1e-4
    admin = school(stack, acceptThreshold=bar, secondaryOcrThreshold=0.0, llmThreshold=0.0)
    job = run(admin, documents["fair"])
    assert (job["status"], job["route"], steps(job)) == ("completed", "accept", [("route", "first")])
    assert job["confidence"] == pytest.approx(confidences["fair/tesseract"], abs=1e-4)


def test_secondary_ocr_fixes_it(
    stack: Stack, documents: dict[str, Path], confidences: dict[str, float]
) -> None:
    bar = (confidences["poor/tesseract"] + confidences["poor/gcv"]) / 2
    admin = school(
        stack, acceptThreshold=bar, secondaryOcrThreshold=0.0, llmThreshold=0.0, secondaryOcrEngine="gcv"
    )
    job = run(admin, documents["poor"])
    assert (job["status"], job["route"]) == ("completed", "secondary_ocr")
    assert steps(job) == [("route", "first"), ("secondary_ocr", "new")]
    decision = job["decisions"][1]
    assert decision["engine"] == "gcv" and decision["confidenceAfter"] == pytest.approx(
        confidences["poor/gcv"], abs=1e-6
    )
    assert job["confidence"] == pytest.approx(confidences["poor/gcv"], abs=1e-6)
    blocks = admin.client.get(f"/timetables/{job['timetableId']}").json()["timeblocks"]
    found = {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in blocks}
    # Tesseract found 4 of the 20 lessons on this page; Vision's reading, kept, finds most of them.
    assert len(found & expected_blocks()) >= 15


def llm_school(stack: Stack, confidences: dict[str, float], **extra: Any) -> Account:
    # Straight to the LLM: below the second-OCR bar, above the LLM bar; Claude's sure answer clears it.
    bar = (confidences["poor/tesseract"] + 0.92) / 2
    return school(
        stack, acceptThreshold=bar, secondaryOcrThreshold=bar, llmThreshold=0.0, llmEngine="claude", **extra
    )


def test_llm_fixes_it(
    stack: Stack,
    documents: dict[str, Path],
    confidences: dict[str, float],
    fakes: tuple[FakeVision, FakeAnthropic],
) -> None:
    fakes[1].timetable["blocks"] = llm_blocks()
    admin = llm_school(stack, confidences)
    job = run(admin, documents["poor"])
    assert (job["status"], job["route"]) == ("completed", "llm")
    assert steps(job) == [("route", "first"), ("llm", "new")]
    decision = job["decisions"][1]
    assert decision["engine"] == "claude" and decision["inputTokens"] > 0 and decision["costUsd"] > 0
    blocks = admin.client.get(f"/timetables/{job['timetableId']}").json()["timeblocks"]
    assert {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in blocks} == expected_blocks()


def test_an_llm_that_shifts_a_column_is_caught_and_a_person_completes_it(
    stack: Stack,
    documents: dict[str, Path],
    confidences: dict[str, float],
    fakes: tuple[FakeVision, FakeAnthropic],
) -> None:
    # The fair copy: Tesseract reads the day headings, which is the evidence against a shifted answer.
    fakes[1].timetable["blocks"] = llm_blocks(shift=1)
    admin = school(
        stack, acceptThreshold=1.0, secondaryOcrThreshold=1.0, llmThreshold=0.0, llmEngine="claude"
    )
    try:
        job = run(admin, documents["fair"])
    finally:
        fakes[1].timetable["blocks"] = llm_blocks()
    assert (job["status"], job["route"]) == ("review", "llm")
    decision = job["decisions"][1]
    assert decision["step"] == "llm" and "OCR disagrees" in decision["reason"], decision
    assert decision["confidenceAfter"] < 0.92  # the shifted answer is trusted less than Claude said
    # A person corrects it: the true lessons, and the job completes.
    review = next(r for r in admin.client.get("/reviews").json() if r["jobId"] == job["id"])
    truth = [{"day": d, "startTime": s, "endTime": e, "name": n} for d, s, e, n in sorted(expected_blocks())]
    assert admin.client.post(f"/reviews/{review['id']}", json={"timeblocks": truth}).status_code == 200
    done = admin.client.get(f"/jobs/{job['id']}").json()
    assert done["status"] == "completed" and done["decisions"][-1]["step"] == "review"


def test_an_engine_that_is_down_is_skipped_with_its_reason(
    stack: Stack,
    documents: dict[str, Path],
    confidences: dict[str, float],
    fakes: tuple[FakeVision, FakeAnthropic],
) -> None:
    admin = llm_school(stack, confidences)
    fakes[1].fail(500, 500, 500)
    path = documents["poor"].with_name("down.png")
    path.write_bytes(documents["poor"].read_bytes() + b"\0\0")  # other bytes: no earlier answer to reuse
    job = run(admin, path)
    assert (job["status"], steps(job)) == ("review", [("route", "first"), ("llm", "previous")])
    assert job["decisions"][1]["reason"].startswith("Skipped:") and "500" in job["decisions"][1]["reason"]


def test_a_school_over_its_spend_cap_goes_to_review(
    stack: Stack,
    documents: dict[str, Path],
    confidences: dict[str, float],
    fakes: tuple[FakeVision, FakeAnthropic],
) -> None:
    calls = len(fakes[1].requests)
    admin = llm_school(stack, confidences, monthlySpendCapUsd=0.0)
    path = documents["poor"].with_name("capped.png")
    path.write_bytes(documents["poor"].read_bytes() + b"\0\0\0")
    job = run(admin, path)
    assert (job["status"], steps(job)) == ("review", [("route", "first"), ("llm", "previous")])
    assert "spend cap" in job["decisions"][1]["reason"]
    assert len(fakes[1].requests) == calls  # Claude was never asked


def unknown_language_grid(path: Path) -> Path:
    """A plain table of text the local reading has no words for (French day names, "8h00" times)."""
    from PIL import Image, ImageDraw, ImageFont

    from tests.extraction.gen import FONT_BOLD

    image = Image.new("RGB", (1100, 520), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT_BOLD, 24)
    rows = [["Heure", "Lundi", "Mardi", "Jeudi"]] + [
        [f"{h}h", "Chimie", "Dessin", "Solfege"] for h in range(8, 13)
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            draw.text((60 + 260 * c, 40 + 80 * r), text, font=font, fill="black")
    image.save(path)
    return path


def test_a_table_the_local_reading_did_not_understand_goes_to_the_llm(
    stack: Stack, fakes: tuple[FakeVision, FakeAnthropic], tmp_path: Path
) -> None:
    fakes[1].timetable["blocks"] = llm_blocks()
    grid = unknown_language_grid(tmp_path / "emploi du temps.png")
    admin = school(stack, llmEngine="claude")
    job = admin.wait_for_job(admin.upload(grid).json()["jobId"])
    assert job["route"] == "llm" and job["status"] in ("completed", "review"), job
    assert steps(job) == [("route", "first"), ("llm", "new")]
    assert "table of text" in job["decisions"][0]["reason"]
    # Without an LLM engine the same table is no "not a timetable": its uploader checks the empty
    # draft, told what was read.
    plain = school(stack)
    other = tmp_path / "other.png"
    other.write_bytes(grid.read_bytes() + b"\0")
    job = plain.wait_for_job(plain.upload(other).json()["jobId"])
    assert (job["status"], job["errorCode"]) == ("review", None), job
    (waiting,) = plain.client.get("/reviews").json()
    reason = plain.client.get(f"/reviews/{waiting['id']}").json()["reason"]
    assert reason.startswith("We could read a table with ") and "could not place the lessons" in reason
