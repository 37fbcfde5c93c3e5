"""The pipeline in-process (embedded defaults): failures end as a final state, retries resume,
and repeated messages change nothing."""

from __future__ import annotations

import time

import pytest
from litestar.testing import TestClient

from core.engines import DocumentUnreadable
from core.jobs import pipeline
from core.jobs.actors import enqueue_stage
from tests.jobs.conftest import upload, wait_final


def test_a_stage_that_keeps_failing_ends_failed_with_a_readable_error_then_retry_resumes_it(
    client: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real_interpret = pipeline.STAGE_FUNCTIONS["interpret"]

    async def broken(ctx: pipeline.StageContext) -> None:
        calls.append(time.monotonic())
        raise RuntimeError("layout engine crashed")

    monkeypatch.setitem(pipeline.STAGE_FUNCTIONS, "interpret", broken)
    ids = upload(client, auth)
    job = wait_final(client, auth, ids["jobId"])
    assert job["status"] == "failed"
    assert job["stage"] == "interpret"
    assert "interpret step failed 4 times" in job["error"] and "layout engine crashed" in job["error"]
    assert len(calls) == 4  # the first attempt and 3 retries
    gaps = [b - a for a, b in zip(calls, calls[1:], strict=False)]
    assert gaps[0] >= 0.9 and gaps[1] >= 1.9 and gaps[2] >= 1.9  # exponential backoff
    document = client.get(f"/documents/{ids['documentId']}", headers=auth).json()
    assert document["status"] == "failed"

    monkeypatch.setitem(pipeline.STAGE_FUNCTIONS, "interpret", real_interpret)
    retried = client.post(f"/jobs/{ids['jobId']}/retry", headers=auth)
    assert retried.status_code == 202 and retried.json()["status"] == "queued"
    job = wait_final(client, auth, ids["jobId"])
    assert job["status"] == "completed" and job["error"] is None
    blocks = client.get(f"/timetables/{job['timetableId']}", headers=auth).json()["timeblocks"]
    assert len(blocks) > 20
    again = client.post(f"/jobs/{ids['jobId']}/retry", headers=auth)
    assert again.status_code == 409 and again.json()["code"] == "not_retryable"


def test_an_unreadable_document_fails_at_once_without_retries(
    client: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    async def unreadable(ctx: pipeline.StageContext) -> None:
        calls.append(1)
        raise DocumentUnreadable("The page is blank. Photograph the timetable itself.")

    monkeypatch.setitem(pipeline.STAGE_FUNCTIONS, "read", unreadable)
    job = wait_final(client, auth, upload(client, auth)["jobId"])
    assert job["status"] == "failed"
    assert job["error"] == "The page is blank. Photograph the timetable itself."
    assert len(calls) == 1


def test_repeated_messages_change_nothing(client: TestClient, auth: dict[str, str]) -> None:
    ids = upload(client, auth)
    job = wait_final(client, auth, ids["jobId"])
    assert job["status"] == "completed"
    before = client.get(f"/timetables/{job['timetableId']}", headers=auth).json()["timeblocks"]
    tenant = client.get("/auth/me", headers=auth).json()["tenantId"]
    # A finished job ignores a redelivered message.
    for stage in ("classify", "save", "notify"):
        enqueue_stage(stage, ids["jobId"], tenant)
    time.sleep(1.0)
    after = client.get(f"/timetables/{job['timetableId']}", headers=auth).json()["timeblocks"]
    assert [b["id"] for b in after] == [b["id"] for b in before]
    assert client.get(f"/jobs/{ids['jobId']}", headers=auth).json()["status"] == "completed"
    listed = client.get("/timetables", params={"documentId": ids["documentId"]}, headers=auth).json()
    assert listed["total"] == 1
