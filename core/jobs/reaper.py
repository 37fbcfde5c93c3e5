"""The reaper: jobs that stopped making progress are sent again, or failed with a reason.

A job's ``updated_at`` moves at every stage. When it has not moved for ``job_stall_seconds`` while
the job is queued or running, its message was lost (Redis restarted without its data, a worker
machine vanished, an enqueue failed while the broker was down) or its worker hangs. The reaper
sends the job's current stage again (stages are idempotent) until the stage has had
``job_max_attempts`` tries; then the job fails with a reason the teacher reads, so no job stays
"processing" forever.

It runs periodically inside every worker (and the embedded app's worker); a Redis lock lets one
of them at a time do a round.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import dramatiq

from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import Job
from core.direct_upload.service import expire_pending
from core.jobs.broker import broker as default_broker
from core.jobs.pipeline import STAGES, fail_job, load_context
from core.jobs.queue import enqueue_stage
from core.runtime import get_runtime
from core.settings import Settings

log = logging.getLogger(__name__)

LOCK_KEY = "timetabler:reaper"


@dataclass
class ReapReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _minutes(seconds: int) -> str:
    return f"{seconds // 60} minutes" if seconds >= 120 else f"{seconds} seconds"


def backlog(broker: dramatiq.Broker) -> int:
    """Messages waiting in the stage queues (delayed ones included)."""
    from dramatiq.brokers.redis import RedisBroker
    from dramatiq.brokers.stub import StubBroker

    queues = broker.get_declared_queues() | broker.get_declared_delay_queues()
    if isinstance(broker, RedisBroker):
        return sum(int(broker.client.llen(f"{broker.namespace}:{q}")) for q in queues)
    if isinstance(broker, StubBroker):
        return sum(broker.queues[q].qsize() for q in queues if q in broker.queues)
    return 0


_last_backlog = 0


def _say_backlog(waiting: int) -> None:
    """Logs the backlog when it changes: a round every few seconds saying the same is noise that
    hides what the worker itself logged."""
    global _last_backlog
    if waiting and waiting != _last_backlog:
        log.info("reaper: %d messages are waiting in the queues; stalled jobs may be behind them", waiting)
    _last_backlog = waiting


async def reap(
    settings: Settings, *, now: dt.datetime | None = None, broker: dramatiq.Broker | None = None
) -> ReapReport:
    """One round: find stalled jobs, send each again or fail it. Returns what it did.

    While messages wait in the queues, a job without progress may simply be behind them (a district's
    Monday backlog), and sending it again would double the work; the round waits for the queues to
    drain. A lost message is then found, and a hung stage is ended by its own time limit meanwhile.
    """
    waiting = backlog(broker or default_broker)
    if waiting:
        _say_backlog(waiting)
        return ReapReport()
    _say_backlog(0)
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(seconds=settings.job_stall_seconds)
    jobs = unscoped_query_across_all_tenants(Job)  # platform work: the reaper spans every school
    rows = await jobs.select(jobs.id, jobs.tenant_id, jobs.stage, jobs.attempts).where(
        jobs.status.is_in(["queued", "running"]), jobs.updated_at < cutoff
    )
    report = ReapReport()
    stalled_for = _minutes(settings.job_stall_seconds)
    for row in rows:
        job_id, tenant_id = str(row["id"]), str(row["tenant_id"])
        stage = row["stage"] if row["stage"] in STAGES else STAGES[0]
        attempts = (row["attempts"] or 0) + 1
        if attempts > settings.job_max_attempts:
            ctx = await load_context(get_runtime(), job_id, tenant_id)
            if ctx is not None:
                reason = (
                    f"The {stage} step made no progress for {stalled_for}, {settings.job_max_attempts} "
                    "times; it was stopped. Upload the file again or retry the job later."
                )
                await fail_job(ctx, stage, reason)
                report.failed.append(job_id)
            continue
        # Claim the row first: only a reaper that still sees it stalled sends it again.
        claimed = (
            await jobs.update(
                {
                    jobs.attempts: attempts,
                    jobs.updated_at: now,
                    jobs.error: f"No progress for {stalled_for}; the {stage} step was sent again.",
                }
            )
            .where(jobs.id == row["id"], jobs.updated_at < cutoff, jobs.status.is_in(["queued", "running"]))
            .returning(jobs.id)
        )
        if not claimed:
            continue
        enqueue_stage(stage, job_id, tenant_id)
        report.requeued.append(job_id)
    if report.requeued or report.failed:
        log.warning("reaper: sent again %s; failed %s", report.requeued, report.failed)
    return report


class _LocalLock:
    def __init__(self) -> None:
        self._lock = threading.Lock()

    def acquire(self, seconds: int) -> bool:
        return self._lock.acquire(blocking=False)

    def release(self) -> None:
        self._lock.release()


class _RedisLock:
    """One reaper round at a time across machines; the lock expires if its holder dies."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def acquire(self, seconds: int) -> bool:
        return bool(self._client.set(LOCK_KEY, "1", nx=True, ex=max(1, seconds)))

    def release(self) -> None:
        # Kept until it expires: the next round anywhere starts an interval later.
        pass


async def sweep_abandoned_uploads() -> int:
    """Direct uploads never completed, past their expiry: rows and bytes go (S3 only)."""
    return await expire_pending(get_runtime())


class PeriodicReaper(dramatiq.Middleware):
    """Runs `reap` every ``reaper_interval_seconds`` on the worker's event loop (a daemon thread)."""

    def __init__(self, settings: Settings, redis_client: Any | None) -> None:
        self.settings = settings
        self.lock = _RedisLock(redis_client) if redis_client is not None else _LocalLock()
        self._stop = threading.Event()

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self.settings.reaper_interval_seconds <= 0:
            return
        self._stop.clear()
        threading.Thread(target=self._loop, name="timetabler-reaper", daemon=True).start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._stop.set()

    def _loop(self) -> None:
        from dramatiq.asyncio import get_event_loop_thread

        interval = self.settings.reaper_interval_seconds
        while not self._stop.wait(interval):
            try:
                if not self.lock.acquire(interval):
                    continue
                try:
                    loop = get_event_loop_thread()
                    if loop is not None:
                        loop.run_coroutine(reap(self.settings))
                        loop.run_coroutine(sweep_abandoned_uploads())
                finally:
                    if isinstance(self.lock, _LocalLock):
                        self.lock.release()
            except Exception:  # a round that fails (database or Redis down) is tried next interval
                log.warning("reaper round failed", exc_info=True)
