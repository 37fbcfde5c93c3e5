"""The reaper and the dead letters, in-process on the embedded defaults (SQLite, in-memory broker).

A job whose worker vanished sits "running" with no progress: the reaper sends it again, and after
too many tries fails it with a reason the teacher reads. Messages the broker gave up on, and failed
jobs, are listed for platform admins, who can send them again.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from typing import Any

import dramatiq
import msgspec
import pytest
from dramatiq.brokers.stub import StubBroker
from litestar.testing import TestClient

from core.app import create_app
from core.db.engine import migrate
from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import Job, StageResult, Timetable
from core.engines import DocumentUnreadable
from core.jobs import actors, pipeline
from core.jobs.broker import broker
from core.jobs.reaper import reap
from core.settings import get_settings
from tests.admin.conftest import make_school, make_user, post_form, row, run, sign_in
from tests.jobs.conftest import PDF
from tests.support.accounts import FINAL

API = "/api/v1"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    run(migrate())
    with TestClient(app=create_app(), base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture
def teacher(client: TestClient) -> dict[str, str]:
    email = f"t{uuid.uuid4().hex[:10]}@school.test"
    body = {"email": email, "password": "long enough password", "name": "T", "school": f"S {email}"}
    response = client.post(f"{API}/auth/register", json=body)
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['accessToken']}"}


def upload(client: TestClient, auth: dict[str, str]) -> dict[str, str]:
    with PDF.open("rb") as f:
        response = client.post(f"{API}/documents/upload", files={"file": (PDF.name, f)}, headers=auth)
    assert response.status_code == 202, response.text
    return response.json()


def job_of(client: TestClient, auth: dict[str, str], job_id: str) -> dict[str, Any]:
    return client.get(f"{API}/jobs/{job_id}", headers=auth).json()


def wait_final(client: TestClient, auth: dict[str, str], job_id: str, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = job_of(client, auth, job_id)
        if job["status"] in FINAL:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job did not finish: {job}")


def timetables_of(document_id: str) -> int:
    table = unscoped_query_across_all_tenants(Timetable)
    return run(table.count().where(table.document_id == document_id))


def stall(job_id: str, *, stage: str, attempts: int, minutes_ago: int = 60) -> None:
    """As a worker killed mid-stage leaves it: running, not touched for an hour."""
    jobs = unscoped_query_across_all_tenants(Job)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)
    values = {jobs.status: "running", jobs.stage: stage, jobs.attempts: attempts, jobs.updated_at: old}
    run(jobs.update({**values, jobs.finished_at: None}).where(jobs.id == job_id))


def settings(**values: Any) -> Any:
    return msgspec.structs.replace(get_settings(), **values)


def test_the_reaper_sends_a_stalled_job_again_and_it_finishes_once(
    client: TestClient, teacher: dict[str, str]
) -> None:
    ids = upload(client, teacher)
    assert wait_final(client, teacher, ids["jobId"])["status"] == "completed"
    # The worker died in the save step before it wrote anything: no timetable, no save result.
    run(
        unscoped_query_across_all_tenants(Timetable)
        .delete()
        .where(Timetable.document_id == ids["documentId"])
    )
    results = unscoped_query_across_all_tenants(StageResult)
    run(
        results.delete().where(
            results.document_id == ids["documentId"], results.stage.is_in(["save", "notify"])
        )
    )
    fresh = upload(client, teacher)
    wait_final(client, teacher, fresh["jobId"])
    stall(ids["jobId"], stage="save", attempts=1)
    stall(fresh["jobId"], stage="read", attempts=1, minutes_ago=1)  # slow, but within the limit

    report = run(reap(settings(job_stall_seconds=600, job_max_attempts=5)))

    assert ids["jobId"] in report.requeued and fresh["jobId"] not in report.requeued + report.failed
    job = wait_final(client, teacher, ids["jobId"])
    assert job["status"] == "completed" and job["error"] is None
    assert timetables_of(ids["documentId"]) == 1
    blocks = client.get(f"{API}/timetables/{job['timetableId']}", headers=teacher).json()["timeblocks"]
    assert len(blocks) > 20
    assert job_of(client, teacher, fresh["jobId"])["status"] == "running"


def test_the_reaper_waits_while_messages_are_queued(client: TestClient, teacher: dict[str, str]) -> None:
    ids = upload(client, teacher)
    wait_final(client, teacher, ids["jobId"])
    stall(ids["jobId"], stage="classify", attempts=0)
    busy = StubBroker(middleware=[])  # a broker with a message waiting that no worker has taken yet
    busy.declare_queue("classify")
    busy.enqueue(
        dramatiq.Message(queue_name="classify", actor_name="stage_classify", args=(), kwargs={}, options={})
    )
    assert run(reap(settings(job_stall_seconds=600, job_max_attempts=5), broker=busy)).requeued == []
    # With the queues empty, nothing can be ahead of it: its message was lost, and it is sent again.
    assert ids["jobId"] in run(reap(settings(job_stall_seconds=600, job_max_attempts=5))).requeued
    assert wait_final(client, teacher, ids["jobId"])["status"] == "completed"


def test_the_reaper_fails_a_job_that_keeps_stalling_with_a_reason(
    client: TestClient, teacher: dict[str, str]
) -> None:
    ids = upload(client, teacher)
    wait_final(client, teacher, ids["jobId"])
    stall(ids["jobId"], stage="read", attempts=3)

    report = run(reap(settings(job_stall_seconds=600, job_max_attempts=3)))

    assert report.failed == [ids["jobId"]] or ids["jobId"] in report.failed
    job = job_of(client, teacher, ids["jobId"])
    assert job["status"] == "failed"
    assert "read step made no progress for 10 minutes" in job["error"]
    document = client.get(f"{API}/documents/{ids['documentId']}", headers=teacher).json()
    assert document["status"] == "failed"


def test_platform_admins_see_dead_letters_and_send_them_again(
    client: TestClient, teacher: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def database_unreachable(*args: Any) -> None:
        raise ConnectionError("database unreachable")

    # Every delivery of the first stage fails before it can even mark the job: after its retries
    # the broker gives the message up to the dead-letter queue.
    monkeypatch.setattr(actors, "load_context", database_unreachable)
    ids = upload(client, teacher)
    deadline = time.monotonic() + 60
    while not any(m.args[0] == ids["jobId"] for m in broker.dead_letters):
        assert time.monotonic() < deadline, "the message never reached the dead-letter queue"
        time.sleep(0.2)
    monkeypatch.undo()
    assert job_of(client, teacher, ids["jobId"])["status"] == "queued"

    admin = run(make_user("platform_admin"))
    assert sign_in(client, admin).status_code == 303
    page = client.get("/admin/dead-letters")
    assert page.status_code == 200
    message_id = next(m.message_id for m in broker.dead_letters if m.args[0] == ids["jobId"])
    listed = row(page.text, f'data-message="{message_id}"')
    assert "stage_classify" in listed and ids["jobId"] in listed and "database unreachable" in listed

    sent = post_form(
        client,
        "/admin/dead-letters",
        {"queue": "classify", "messageId": message_id},
        action="/admin/dead-letters/requeue",
    )
    assert sent.status_code == 303
    assert "Sent again" in client.get(sent.headers["location"]).text
    assert wait_final(client, teacher, ids["jobId"])["status"] == "completed"
    assert f'data-message="{message_id}"' not in client.get("/admin/dead-letters").text


def test_failed_jobs_are_listed_and_resume_when_sent_again(
    client: TestClient, teacher: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreadable(ctx: pipeline.StageContext) -> None:
        raise DocumentUnreadable("The page is blank. Photograph the timetable itself.")

    monkeypatch.setitem(pipeline.STAGE_FUNCTIONS, "read", unreadable)
    ids = upload(client, teacher)
    assert wait_final(client, teacher, ids["jobId"])["status"] == "failed"
    monkeypatch.undo()

    school_admin = run(make_user("school_admin", school=run(make_school("Oak"))))
    sign_in(client, school_admin)
    assert client.get("/admin/dead-letters").status_code == 403  # platform admins only
    admin = run(make_user("platform_admin"))
    sign_in(client, admin)
    listed = row(client.get("/admin/dead-letters").text, f'data-job="{ids["jobId"]}"')
    assert "read" in listed and "The page is blank" in listed
    sent = post_form(
        client, "/admin/dead-letters", {"jobId": ids["jobId"]}, action="/admin/dead-letters/requeue"
    )
    assert sent.status_code == 303
    job = wait_final(client, teacher, ids["jobId"])
    assert job["status"] == "completed"
    assert timetables_of(ids["documentId"]) == 1
