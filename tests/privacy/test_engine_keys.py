"""A school's own engine keys are used for its documents: Vision and Claude, through local fakes of
their HTTP APIs, see the school's key on its requests and the platform's key on a school that set none.

A school's own engine settings (engineSettings: Claude's model, whether Vision may see its pages)
reach its engines the same way, and only its own.

Both stacks: SQLite with the in-process worker, and PostgreSQL (row-level security on the keys) with
Redis and a separate worker process. Each school's document is read by "gcv" and then sent to "claude".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.escalation.test_routes import llm_blocks
from tests.ocr_gcv.render import Rendered, render_timetable
from tests.privacy.conftest import PRIVACY_ENV
from tests.privacy.scan import logs
from tests.support.accounts import Account, register
from tests.support.fakes.anthropic_server import FakeAnthropic
from tests.support.fakes.vision_server import FakeVision
from tests.support.shared import SharedServers
from tests.support.stacks import Stack, postgres_env, running_stack

PLATFORM_VISION_KEY = "platform-vision-key-0000"
PLATFORM_CLAUDE_KEY = "sk-ant-platform-0000"
ENGINES_ENV = {
    **PRIVACY_ENV,
    "TIMETABLER_GCV_API_KEY": PLATFORM_VISION_KEY,
    "TIMETABLER_ANTHROPIC_API_KEY": PLATFORM_CLAUDE_KEY,
    "TIMETABLER_CLAUDE_BACKOFF": "0.05",
    "TIMETABLER_CLAUDE_TIMEOUT": "10",
    "TIMETABLER_LOG_LEVEL": "DEBUG",  # the keys must stay out of even the most detailed log
}
# Read with Vision, then always on to Claude: below the accept and second-OCR bars, above the LLM's.
ROUTE_TO_CLAUDE = {
    "ocrEngine": "gcv",
    "llmEngine": "claude",
    "acceptThreshold": 1.0,
    "secondaryOcrThreshold": 1.0,
    "llmThreshold": 0.0,
}


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    return render_timetable()


@pytest.fixture(scope="module")
def fakes(rendered: Rendered) -> Iterator[tuple[FakeVision, FakeAnthropic]]:
    vision = FakeVision(rendered).start()
    answer = {"teacher": None, "class_name": None, "layout": "days_cols", "blocks": llm_blocks()}
    with FakeAnthropic(timetable=answer, api_key=None) as claude:  # None: records whatever key comes
        yield vision, claude
    vision.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def stack(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    fakes: tuple[FakeVision, FakeAnthropic],
    shared: SharedServers,
) -> Iterator[Stack]:
    vision, claude = fakes
    env = {**ENGINES_ENV, "TIMETABLER_GCV_ENDPOINT": vision.url, "TIMETABLER_ANTHROPIC_BASE_URL": claude.url}
    data_dir = tmp_path_factory.mktemp(f"engine-keys-{request.param}")
    if request.param == "sqlite":
        with running_stack("sqlite", data_dir, env, worker=False) as running:
            yield running
        return
    env.update(postgres_env(shared.database(), shared.redis_url()))
    with running_stack("postgres", data_dir, env, worker=True, migrated=True) as running:
        yield running


def school(stack: Stack, **keys: str) -> Account:
    admin = register(stack, school=f"Keys {uuid.uuid4().hex[:6]}")
    tenant = admin.user["tenantId"]
    assert admin.client.put(f"/schools/{tenant}/settings", json=ROUTE_TO_CLAUDE).status_code == 200
    if keys:
        saved = admin.client.put(f"/schools/{tenant}/credentials", json=keys)
        assert saved.status_code == 200, saved.text
    return admin


def read(
    account: Account, document: Path, fakes: tuple[FakeVision, FakeAnthropic]
) -> tuple[dict[str, Any], list[str], list[str]]:
    """The finished job, and the keys Vision and Claude saw while it ran (one job at a time)."""
    vision, claude = fakes
    seen_vision, seen_claude = len(vision.received), len(claude.requests)
    job = account.wait_for_job(account.upload(document).json()["jobId"])
    vision_keys = [r.headers.get("x-goog-api-key", "") for r in vision.received[seen_vision:]]
    claude_keys = [
        r.headers.get("x-api-key") or r.headers.get("authorization", "").removeprefix("Bearer ")
        for r in claude.requests[seen_claude:]
    ]
    return job, vision_keys, claude_keys


@pytest.fixture(scope="module")
def document(rendered: Rendered, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered.save(tmp_path_factory.mktemp("keys-doc") / "timetable.png")


def test_a_schools_own_keys_read_its_documents_and_the_platforms_read_the_others(
    stack: Stack, document: Path, fakes: tuple[FakeVision, FakeAnthropic]
) -> None:
    own_vision, own_claude = f"AIza-{uuid.uuid4().hex}", f"sk-ant-{uuid.uuid4().hex}"
    with_keys = school(stack, gcvApiKey=own_vision, anthropicApiKey=own_claude)
    without = school(stack)

    # The school with keys first: the next school's stages must not inherit them.
    job, vision_keys, claude_keys = read(with_keys, document, fakes)
    assert [(d["step"], d["engine"]) for d in job["decisions"]] == [("route", "gcv"), ("llm", "claude")], job
    assert vision_keys and set(vision_keys) == {own_vision}
    assert claude_keys == [own_claude]

    other, vision_keys, claude_keys = read(without, document, fakes)
    assert [(d["step"], d["engine"]) for d in other["decisions"]] == [("route", "gcv"), ("llm", "claude")]
    assert vision_keys and set(vision_keys) == {PLATFORM_VISION_KEY}
    assert claude_keys == [PLATFORM_CLAUDE_KEY]

    # Claude's spend is still counted for the school that used its own key.
    assert job["decisions"][-1]["costUsd"] > 0
    # Neither the job the school sees nor any log holds the keys.
    shown = with_keys.client.get(f"/jobs/{job['id']}").text
    for key in (own_vision, own_claude):
        assert key not in shown and key not in logs(stack)


def test_a_key_claude_rejects_is_named_as_the_schools_own(
    stack: Stack, document: Path, fakes: tuple[FakeVision, FakeAnthropic], tmp_path: Path
) -> None:
    wrong = f"sk-ant-{uuid.uuid4().hex}"
    admin = school(stack, anthropicApiKey=wrong)
    claude = fakes[1]
    claude.api_key = PLATFORM_CLAUDE_KEY  # only the platform's key is valid now
    try:
        job, _, claude_keys = read(admin, document, fakes)
    finally:
        claude.api_key = None
    assert claude_keys == [wrong]
    # The reading goes to a person to review, with a reason the school can act on.
    assert job["status"] == "review" and job["decisions"][-1]["reason"].startswith("Skipped:"), job
    reason = job["decisions"][-1]["reason"]
    assert "school's own Anthropic key (401)" in reason and wrong not in reason
    assert wrong not in logs(stack)


def test_a_schools_own_engine_settings_read_its_documents_and_no_others(
    stack: Stack, document: Path, fakes: tuple[FakeVision, FakeAnthropic]
) -> None:
    vision, claude = fakes
    haiku = school(stack)
    tenant = haiku.user["tenantId"]
    own = {"engineSettings": {"claude": {"model": "claude-haiku-4-5"}}}
    assert haiku.client.put(f"/schools/{tenant}/settings", json=own).status_code == 200
    # Read by Tesseract, then Vision as the second OCR, which this school does not allow.
    private = school(stack)
    tenant = private.user["tenantId"]
    body = {
        "ocrEngine": "tesseract",
        "secondaryOcrEngine": "gcv",
        "secondaryOcrThreshold": 0.5,  # Tesseract's reading (0.99) goes on to the second OCR
        "engineSettings": {"gcv": {"allowed": False}},
    }
    assert private.client.put(f"/schools/{tenant}/settings", json=body).status_code == 200
    plain = school(stack)

    # Each school's stages see its own values, never the school's before it.
    _, vision_keys, _ = read(haiku, document, fakes)
    assert vision_keys and claude.requests[-1].body["model"] == "claude-haiku-4-5"
    seen = len(vision.received)
    job, vision_keys, _ = read(private, document, fakes)
    assert vision_keys == [] and len(vision.received) == seen
    [second] = [d for d in job["decisions"] if d["step"] == "secondary_ocr"]
    assert "does not allow its pages to be sent to Google Cloud Vision" in second["reason"], job
    assert claude.requests[-1].body["model"] == "claude-sonnet-4-6"  # the platform's model
    _, vision_keys, _ = read(plain, document, fakes)
    assert vision_keys and claude.requests[-1].body["model"] == "claude-sonnet-4-6"


def test_a_school_may_set_only_what_an_engine_lets_it_set(stack: Stack) -> None:
    admin = school(stack)
    url = f"/schools/{admin.user['tenantId']}/settings"
    refused = [
        (
            {"claude": {"timeout": 5}},
            "engineSettings.claude: timeout cannot be set by a school (a school may set: model).",
        ),
        ({"tesseract": {"languages": "English"}}, "engineSettings.tesseract.languages='English' is refused"),
        (
            {"vision": {"allowed": False}},
            "engineSettings names 'vision', which is no installed engine with settings",
        ),
    ]
    for engine_values, message in refused:
        answer = admin.client.put(url, json={"engineSettings": engine_values})
        assert answer.status_code == 400 and message in answer.json()["message"], answer.text
