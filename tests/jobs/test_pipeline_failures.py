"""The pipeline in-process (embedded defaults): failures end as a final state, retries resume,
and repeated messages change nothing."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from litestar.testing import TestClient

from core.engines import DocumentUnreadable
from core.jobs import pipeline
from core.jobs.queue import enqueue_stage
from tests.jobs.conftest import upload, wait_final
from tests.support.unsure import unsure_scoring


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
    assert job["attempts"] == 4
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


def test_the_same_file_uploaded_again_is_not_read_again(
    client: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.extraction import stages

    first = wait_final(client, auth, upload(client, auth)["jobId"])
    reads = []
    real_read = stages.read
    monkeypatch.setattr(stages, "read", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    second = wait_final(client, auth, upload(client, auth)["jobId"])
    assert reads == []  # served from the first upload's reading
    assert second["status"] == "completed" and second["timetableId"] != first["timetableId"]
    blocks = [
        client.get(f"/timetables/{j['timetableId']}", headers=auth).json()["timeblocks"]
        for j in (first, second)
    ]
    assert [(b["day"], b["startTime"], b["name"]) for b in blocks[0]] == [
        (b["day"], b["startTime"], b["name"]) for b in blocks[1]
    ]


def test_another_school_never_gets_a_reading_made_for_someone_else(
    client: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.extraction import stages

    wait_final(client, auth, upload(client, auth)["jobId"])
    email = f"other{time.monotonic_ns()}@school.test"
    body = {"email": email, "password": "long enough password", "name": "O", "school": f"Other {email}"}
    other = {"Authorization": f"Bearer {client.post('/auth/register', json=body).json()['accessToken']}"}
    reads = []
    real_read = stages.read
    monkeypatch.setattr(stages, "read", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    assert wait_final(client, other, upload(client, other)["jobId"])["status"] == "completed"
    assert reads == [1]


def test_a_reading_below_the_review_threshold_ends_in_review_with_its_draft_saved(
    client: TestClient, auth: dict[str, str]
) -> None:
    with unsure_scoring():
        ids = upload(client, auth)
        job = wait_final(client, auth, ids["jobId"])
    assert (job["status"], job["route"], job["confidence"]) == ("review", "review", 0.42)
    assert client.get(f"/documents/{ids['documentId']}", headers=auth).json()["status"] == "review"
    draft = client.get(f"/timetables/{job['timetableId']}", headers=auth).json()
    assert len(draft["timeblocks"]) > 20  # the reviewer starts from the draft, not from nothing


def test_documents_past_their_schools_retention_are_purged_with_their_files(
    client: TestClient, auth: dict[str, str]
) -> None:
    import datetime as dt

    from core.privacy.retention import purge_expired_documents
    from core.runtime import get_runtime

    me = client.get("/auth/me", headers=auth).json()
    assert (
        client.put(
            f"/schools/{me['tenantId']}/settings", json={"retentionDays": 30}, headers=auth
        ).status_code
        == 200
    )
    ids = upload(client, auth)
    job = wait_final(client, auth, ids["jobId"])
    storage = get_runtime().storage
    key = f"tenants/{me['tenantId']}/documents/{ids['documentId']}/original.pdf"
    assert storage.exists(key)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=29)
    school = uuid.UUID(me["tenantId"])
    assert asyncio.run(purge_expired_documents(storage, later, only_school=school)) == 0
    much_later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert asyncio.run(purge_expired_documents(storage, much_later, only_school=school)) == 1
    assert client.get(f"/documents/{ids['documentId']}", headers=auth).status_code == 404
    assert not storage.exists(key)
    assert (
        client.get(f"/timetables/{job['timetableId']}", headers=auth).status_code == 200
    )  # the teacher's work stays
