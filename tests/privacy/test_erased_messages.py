"""Erasing a school takes its messages out of the broker, and a worker that was running one of its
stages at that moment sends nothing of it back afterwards (no retry, no next stage)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import threading
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import dramatiq
import pytest
import redis
from dramatiq.brokers.redis import RedisBroker
from litestar.testing import TestClient

from core import hookimpl
from core.app import create_app
from core.db.engine import migrate
from core.jobs.broker import broker
from core.policy import PipelineEvent
from core.privacy.erase import erase_school
from core.runtime import get_runtime
from core.settings import load_settings
from tests.admin.conftest import run
from tests.jobs.conftest import upload, wait_final
from tests.support.shared import SharedServers


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app on the embedded defaults (SQLite, in-process worker), driven in this process."""
    asyncio.run(migrate())
    with TestClient(app=create_app(), base_url="http://testserver/api/v1") as test_client:
        yield test_client


def school(client: TestClient) -> dict[str, str]:
    """A school whose teacher uploaded a document: its id, and its job's and document's ids."""
    email = f"t{os.urandom(6).hex()}@school.test"
    body = {"email": email, "password": "long enough password", "name": "T", "school": f"S {email}"}
    made = client.post("/auth/register", json=body)
    assert made.status_code == 201, made.text
    auth = {"Authorization": f"Bearer {made.json()['accessToken']}"}
    ids = upload(client, auth)
    assert wait_final(client, auth, ids["jobId"])["status"] == "completed"
    return {"school": made.json()["user"]["tenantId"], "job": ids["jobId"], "document": ids["documentId"]}


def stage_message(stage: str, job_id: str, school_id: str) -> dramatiq.Message[Any]:
    # As core.jobs.queue.enqueue_stage sends it (the notify stage's queue is "notify").
    return dramatiq.Message(
        queue_name=stage, actor_name=f"stage_{stage}", args=(job_id, school_id), kwargs={}, options={}
    )


def everything_in(client: redis.Redis) -> list[bytes]:
    out: list[bytes] = []
    for key in client.scan_iter(count=500):
        out.append(key)
        kind = client.type(key)
        if kind == b"hash":
            out += [v for pair in client.hgetall(key).items() for v in pair]
        elif kind == b"list":
            out += client.lrange(key, 0, -1)
        elif kind == b"zset":
            out += client.zrange(key, 0, -1)
    return out


def test_erasing_a_school_takes_its_queued_and_delayed_messages_out_of_redis(
    client: TestClient, shared: SharedServers
) -> None:
    erased, kept = school(client), school(client)
    url = shared.redis_url()
    sender = RedisBroker(url=url, middleware=[])  # no worker consumes these queues
    sender.enqueue(stage_message("notify", erased["job"], erased["school"]))
    sender.enqueue(stage_message("notify", erased["job"], erased["school"]), delay=60_000)  # a retry
    sender.enqueue(stage_message("notify", kept["job"], kept["school"]))
    runtime = dataclasses.replace(
        get_runtime(), settings=load_settings({**os.environ, "TIMETABLER_REDIS_URL": url})
    )

    run(erase_school(runtime, UUID(erased["school"])))

    store = redis.Redis.from_url(url)
    left = everything_in(store)
    assert [v for v in left if any(erased[k].encode() in v for k in erased)] == []
    (queued,) = store.lrange("dramatiq:notify", 0, -1)
    assert kept["job"].encode() in store.hget("dramatiq:notify.msgs", queued)
    store.close()
    sender.close()


class EraseWhenStageStarts:
    """The school is erased (as by DELETE /schools/{id}) just as one of its job's stages starts."""

    def __init__(self, stage: str) -> None:
        self.stage, self.school, self.job = stage, "", ""
        self.erased = threading.Event()

    @hookimpl
    def pipeline_event(self, event: PipelineEvent) -> None:
        if (event.stage, event.status) != (self.stage, "running") or self.erased.is_set():
            return
        self.school, self.job = event.tenant_id, event.job_id
        # On its own thread and event loop, as a web request would be; the stage waits for it.
        eraser = threading.Thread(
            target=asyncio.run, args=(erase_school(get_runtime(), UUID(event.tenant_id)),)
        )
        eraser.start()
        eraser.join()
        self.erased.set()


class Sent(dramatiq.Middleware):
    """Every message sent to the broker (a retry or the next stage among them)."""

    def __init__(self) -> None:
        self.messages: list[dramatiq.Message[Any]] = []

    def before_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message[Any], delay: int) -> None:
        self.messages.append(message)


@pytest.mark.parametrize("stage", ["interpret", "notify"])
def test_a_stage_running_while_its_school_is_erased_sends_nothing_of_it_back(
    client: TestClient, stage: str
) -> None:
    email = f"t{os.urandom(6).hex()}@school.test"
    body = {"email": email, "password": "long enough password", "name": "T", "school": f"S {email}"}
    made = client.post("/auth/register", json=body)
    assert made.status_code == 201, made.text
    eraser, sent = EraseWhenStageStarts(stage), Sent()
    get_runtime().plugins.register(eraser)
    broker.add_middleware(sent)
    try:
        upload(client, {"Authorization": f"Bearer {made.json()['accessToken']}"})
        assert eraser.erased.wait(60), f"the {stage} stage never started"
        index = len(sent.messages)
        for queue in ("pipeline", "notify"):  # every message the stage leaves is handled
            broker.join(queue, timeout=30_000)
    finally:
        broker.middleware.remove(sent)
        get_runtime().plugins.unregister(eraser)
    after = [m for m in sent.messages[index:] if eraser.school in m.args or eraser.job in m.args]
    assert after == [], f"sent after the erasure: {after}"
