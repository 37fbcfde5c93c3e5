"""The notify stage makes the job final before it tells anyone; if the worker stops in between, the
message delivered again tells them, and never makes the finished job run again."""

from __future__ import annotations

import time

from litestar.testing import TestClient

from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import StageResult
from core.jobs.queue import enqueue_stage
from tests.admin.conftest import run
from tests.jobs.conftest import upload, wait_final


def told(document_id: str) -> bool:
    results = unscoped_query_across_all_tenants(StageResult)
    return run(results.count().where(results.document_id == document_id, results.stage == "notify")) > 0


def wait_told(document_id: str) -> None:
    deadline = time.monotonic() + 30
    while not told(document_id):
        assert time.monotonic() < deadline, "nobody was told how the job ended"
        time.sleep(0.1)


def test_a_final_job_nobody_was_told_about_is_told_and_stays_final(
    client: TestClient, auth: dict[str, str]
) -> None:
    ids = upload(client, auth)
    job = wait_final(client, auth, ids["jobId"])
    assert job["status"] == "completed"
    wait_told(ids["documentId"])  # just after the job became final
    # The worker stopped after the job was final and before it told anyone.
    results = unscoped_query_across_all_tenants(StageResult)
    run(results.delete().where(results.document_id == ids["documentId"], results.stage == "notify"))

    tenant = client.get("/auth/me", headers=auth).json()["tenantId"]
    enqueue_stage("notify", ids["jobId"], tenant)  # the unacknowledged message, delivered again
    wait_told(ids["documentId"])
    again = client.get(f"/jobs/{ids['jobId']}", headers=auth).json()
    assert (again["status"], again["stage"], again["finishedAt"]) == ("completed", "done", job["finishedAt"])
