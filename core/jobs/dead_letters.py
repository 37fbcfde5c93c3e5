"""Dead letters: messages the broker gave up on, and failed jobs, listed and sent again.

Dramatiq moves a message whose retries ran out to its queue's dead-letter queue (on Redis the
sorted set ``dramatiq:<queue>.XQ`` with the messages in ``.XQ.msgs``; in memory the stub broker's
``dead_letters_by_queue``). A stage usually fails its job itself rather than dying, so the failed
jobs are listed beside them. Requeueing a stage's message or a failed job resets the job to queued
and sends its current stage again; the stages before it kept their results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from core.db.row_security import use_tenant
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import Document, Job
from core.jobs.pipeline import STAGES, now
from core.jobs.queue import enqueue_stage

FAILED_JOBS_LIMIT = 100


@dataclass(frozen=True)
class DeadLetter:
    queue: str
    message_id: str
    actor: str
    args: list[Any]
    retries: int
    died_at: dt.datetime | None
    reason: str | None  # the last error dramatiq recorded, when it kept one


@dataclass(frozen=True)
class FailedJob:
    job_id: str
    school: str
    filename: str
    stage: str
    error: str | None
    failed_at: dt.datetime | None


def _canonical_queues(broker: dramatiq.Broker) -> list[str]:
    return sorted({q.removesuffix(".DQ").removesuffix(".XQ") for q in broker.get_declared_queues()})


def _dead_letter(
    queue: str, message: dramatiq.Message, died_at: dt.datetime | None, key: str | None = None
) -> DeadLetter:
    return DeadLetter(
        queue=queue,
        # Redis keeps each enqueued copy under its own id (options.redis_message_id): that is the key.
        message_id=key or message.message_id,
        actor=message.actor_name,
        args=list(message.args),
        retries=int(message.options.get("retries", 0)),
        died_at=died_at,
        reason=message.options.get("traceback", "").strip().splitlines()[-1:][0]
        if message.options.get("traceback")
        else None,
    )


def list_dead_letters(broker: dramatiq.Broker) -> list[DeadLetter]:
    letters: list[DeadLetter] = []
    if isinstance(broker, RedisBroker):
        for queue in _canonical_queues(broker):
            key = f"{broker.namespace}:{queue}.XQ"
            for raw_id, score in broker.client.zrange(key, 0, -1, withscores=True):
                data = broker.client.hget(f"{key}.msgs", raw_id)
                if data is None:
                    continue
                died = dt.datetime.fromtimestamp(score / 1000, dt.UTC)
                message = dramatiq.Message.decode(data)
                letters.append(_dead_letter(queue, message, died, key=raw_id.decode()))
    elif isinstance(broker, StubBroker):
        for queue, messages in broker.dead_letters_by_queue.items():
            letters.extend(_dead_letter(queue.removesuffix(".DQ"), m, None) for m in messages)
    return sorted(letters, key=lambda d: d.died_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)


def _take_dead_letter(broker: dramatiq.Broker, queue: str, message_id: str) -> dramatiq.Message | None:
    """Removes one message from its dead-letter queue and returns it (None when it is not there)."""
    if isinstance(broker, RedisBroker):
        key = f"{broker.namespace}:{queue}.XQ"
        data = broker.client.hget(f"{key}.msgs", message_id)
        if data is None:
            return None
        broker.client.zrem(key, message_id)
        broker.client.hdel(f"{key}.msgs", message_id)
        return dramatiq.Message.decode(data)
    if isinstance(broker, StubBroker):
        for name, messages in broker.dead_letters_by_queue.items():
            for message in list(messages):
                if name.removesuffix(".DQ") == queue and message.message_id == message_id:
                    messages.remove(message)
                    return message
    return None


async def requeue_dead_letter(broker: dramatiq.Broker, queue: str, message_id: str) -> bool:
    message = _take_dead_letter(broker, queue, message_id)
    if message is None:
        return False
    if message.actor_name.startswith("stage_") and len(message.args) >= 2:
        await requeue_job(str(message.args[0]))
        return True
    # Any other actor (a usage report): the same message with its retries counted from zero.
    options = {k: v for k, v in message.options.items() if k not in ("retries", "traceback")}
    broker.enqueue(message.copy(queue_name=queue, options=options))
    return True


async def requeue_job(job_id: str) -> bool:
    """Resets a job to queued and sends its current stage again. False when the job is gone."""
    jobs = unscoped_query_across_all_tenants(Job)  # platform work: the admin picks any school's job
    row = await jobs.select(jobs.tenant_id, jobs.stage, jobs.document_id).where(jobs.id == job_id).first()
    if row is None:
        return False
    tenant_id = str(row["tenant_id"])
    use_tenant(tenant_id)  # from here on, this school's rows only
    scope = TenantScope(tenant_id)
    stage = row["stage"] if row["stage"] in STAGES else STAGES[0]
    reset = {Job.status: "queued", Job.error: None, Job.attempts: 0, Job.finished_at: None}
    await scope.update(Job, {**reset, Job.updated_at: now()}).where(Job.id == job_id)
    await scope.update(Document, {Document.status: "queued", Document.updated_at: now()}).where(
        Document.id == row["document_id"]
    )
    enqueue_stage(stage, job_id, tenant_id)  # after the rows above are committed
    return True


async def failed_jobs(limit: int = FAILED_JOBS_LIMIT) -> list[FailedJob]:
    jobs = unscoped_query_across_all_tenants(Job)  # platform work: every school's failures
    rows = await (
        jobs.select(
            jobs.id,
            jobs.stage,
            jobs.error,
            jobs.finished_at,
            jobs.tenant_id.name.as_alias("school"),
            jobs.document_id.filename.as_alias("filename"),
        )
        .where(jobs.status == "failed")
        .order_by(jobs.finished_at, ascending=False)
        .limit(limit)
    )
    return [
        FailedJob(
            job_id=str(r["id"]),
            school=r["school"] or "",
            filename=r["filename"] or "",
            stage=r["stage"],
            error=r["error"],
            failed_at=r["finished_at"],
        )
        for r in rows
    ]
