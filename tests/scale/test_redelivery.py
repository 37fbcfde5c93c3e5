"""Redelivery on the production stack: the same save delivered twice at once saves one timetable, and
a message that keeps failing lands in Redis's dead-letter queue, where a platform admin sends it again."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import dramatiq
import httpx
import pytest
from dramatiq.brokers.redis import RedisBroker

from tests.admin.conftest import csrf_of, row
from tests.conftest import DOCUMENTS
from tests.scale.conftest import production_stack, wait_all_final
from tests.support.accounts import PASSWORD, platform_admin, register
from tests.support.shared import SharedServers

pytestmark = pytest.mark.timeout(600)
PDF = DOCUMENTS / "003_days_cols_pdf_text.pdf"


def send(redis_url: str, queue: str, actor: str, *args: str) -> None:
    """A stage message as the app sends it, straight onto the shared Redis broker."""
    broker = RedisBroker(url=redis_url, middleware=[])
    broker.declare_queue(queue)
    broker.enqueue(dramatiq.Message(queue_name=queue, actor_name=actor, args=args, kwargs={}, options={}))


def test_the_same_save_delivered_twice_at_once_saves_one_timetable(
    tmp_path: Path, shared: SharedServers
) -> None:
    with production_stack(tmp_path, {}, workers=2, shared=shared) as scale:
        teacher = register(scale.stack)
        ids = teacher.upload(PDF).json()
        job = wait_all_final(teacher, [ids["jobId"]])[ids["jobId"]]
        blocks = len(teacher.client.get(f"/timetables/{job['timetableId']}").json()["timeblocks"])
        # Back to the moment before the save, as if the first delivery's worker had died there.
        doc = ids["documentId"]
        scale.pg.execute(
            f"DELETE FROM timetables WHERE document_id = '{doc}'; "
            f"DELETE FROM stage_results WHERE document_id = '{doc}' AND stage IN ('save', 'notify'); "
            "UPDATE jobs SET status = 'running', stage = 'save', timetable_id = NULL, finished_at = NULL, "
            f"updated_at = now() WHERE id = '{ids['jobId']}'"
        )
        tenant = teacher.user["tenantId"]
        for _ in range(2):  # two deliveries; two workers take them at the same moment
            send(scale.redis_url, "pipeline", "stage_save", ids["jobId"], tenant)

        job = wait_all_final(teacher, [ids["jobId"]])[ids["jobId"]]

        assert job["status"] == "completed"
        assert scale.timetables_per_document(tenant) == {doc: 1}
        saved = teacher.client.get(f"/timetables/{job['timetableId']}").json()["timeblocks"]
        assert len(saved) == blocks  # the blocks were replaced, not added twice


def test_a_poison_message_is_dead_lettered_and_a_platform_admin_sends_it_again(
    tmp_path: Path, shared: SharedServers
) -> None:
    with production_stack(tmp_path, {}, workers=1, shared=shared) as scale:
        teacher = register(scale.stack)
        ids = teacher.upload(PDF).json()
        wait_all_final(teacher, [ids["jobId"]])
        # A message whose school is garbled fails at every delivery: after its 3 retries (about 7 s)
        # Dramatiq gives it up to the queue's dead letters.
        send(scale.redis_url, "classify", "stage_classify", ids["jobId"], "not-a-school")
        root = platform_admin(scale.stack)
        console = httpx.Client(base_url=scale.stack.base_url, timeout=60)
        form = console.get("/admin/login")
        data = {"email": root.user["email"], "password": PASSWORD, "csrf_token": csrf_of(form)}
        assert console.post("/admin/login", data=data).status_code == 303
        deadline = time.monotonic() + 90
        while ids["jobId"] not in (page := console.get("/admin/dead-letters")).text:
            assert time.monotonic() < deadline, scale.stack.log_tail()
            time.sleep(1)
        listed = row(page.text, "data-message=")
        assert "classify" in listed and "stage_classify" in listed and "ValueError" in listed  # the reason

        message_id = page.text.split('data-message="', 1)[1].split('"', 1)[0]
        uuid.UUID(message_id)
        sent = console.post(
            "/admin/dead-letters/requeue",
            data={"queue": "classify", "messageId": message_id, "csrf_token": csrf_of(page)},
        )
        assert sent.status_code == 303 and "Sent again" in console.get(sent.headers["location"]).text
        assert f'data-message="{message_id}"' not in console.get("/admin/dead-letters").text
        # Sent again with the job's own school, it runs through and stays completed, one timetable.
        job = wait_all_final(teacher, [ids["jobId"]])[ids["jobId"]]
        assert job["status"] == "completed"
        assert list(scale.timetables_per_document(teacher.user["tenantId"]).values()) == [1]
