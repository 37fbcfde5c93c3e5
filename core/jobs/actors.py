"""One Dramatiq actor per pipeline stage. Messages carry ids only; each actor loads the rest.

Retries: 3 after the first attempt, with backoff of about 1 s, 2 s and 4 s. A document that cannot
be read fails at once (retrying would not help); any other error is retried, and when the retries
run out the job is marked failed with a readable error, so no job stays "running". A job erased
while its stage ran (its school or its person deleted) is neither retried nor advanced: its message
would put the erased ids back into the queue the erasure has just swept.
"""

from __future__ import annotations

import asyncio
import logging

import dramatiq
from dramatiq.middleware import CurrentMessage

from core.db.row_security import use_tenant
from core.engines import DocumentUnreadable, EngineError, EngineMissing
from core.jobs.pipeline import (
    FINAL_STATUSES,
    STAGE_FUNCTIONS,
    STAGES,
    StageContext,
    emit,
    fail_job,
    finish_job,
    load_context,
    now,
    set_document_status,
    tell,
)
from core.jobs.queue import PRIORITIES, actor_name, enqueue_stage, queue_for
from core.runtime import get_runtime

log = logging.getLogger(__name__)

MAX_RETRIES = 3
STAGE_TIMEOUT_SECONDS = 10 * 60


async def run_stage(stage: str, job_id: str, tenant_id: str) -> None:
    runtime = get_runtime()
    use_tenant(tenant_id)  # the job carries its school; row-level security follows it
    ctx = await load_context(runtime, job_id, tenant_id)
    if ctx is None:
        log.info("job %s is gone (document deleted); dropping the %s message", job_id, stage)
        return
    if ctx.job.status in FINAL_STATUSES:
        if stage == "notify" and ctx.job.status != "failed" and not await ctx.has_result("notify"):
            # The notify stage made the job final, then stopped before everyone was told.
            log.info("job %s is %s but nobody was told; telling now", job_id, ctx.job.status)
            await tell(ctx)
            return
        log.info("job %s is already %s; ignoring a repeated %s message", job_id, ctx.job.status, stage)
        return
    message = CurrentMessage.get_current_message()
    retries = message.options.get("retries", 0) if message else 0
    first_stage = ctx.job.started_at is None
    await ctx.update_job(
        status="running",
        stage=stage,
        # Attempts of the current stage: 2 means its first try failed and this is the retry.
        attempts=(ctx.job.attempts or 0) + 1 if ctx.job.stage == stage else 1,
        started_at=ctx.job.started_at or now(),
    )
    if first_stage:
        await set_document_status(ctx, "processing")
    emit(runtime, ctx.job, stage, "running")
    if await ctx.has_result(stage):
        # A redelivered message for a stage that finished: its work stands, move on.
        log.info("job %s: %s is already done; moving on", job_id, stage)
        await advance(ctx, stage)
        return
    try:
        await asyncio.wait_for(STAGE_FUNCTIONS[stage](ctx), timeout=STAGE_TIMEOUT_SECONDS)
    except DocumentUnreadable as exc:
        await fail_job(ctx, stage, str(exc), getattr(exc, "code", None))
        return
    except EngineMissing as exc:  # the same on every retry: said at once, in a teacher's words
        log.error("job %s: %s", job_id, exc)
        await fail_job(ctx, stage, NO_ENGINE)
        return
    except Exception as exc:
        if await ctx.job_is_gone():
            # Erased while this stage ran: a retry would put the school's ids back in the queue
            # after the erasure swept it (core/privacy/queue.py), so the message ends here.
            log.info("job %s was erased during %s (%s); dropping its message", job_id, stage, _readable(exc))
            return
        reason = _readable(exc)
        if retries >= MAX_RETRIES:
            log.exception("job %s failed at %s after %d attempts", job_id, stage, retries + 1)
            await fail_job(ctx, stage, f"The {stage} step failed {retries + 1} times: {reason}")
            return
        log.warning("job %s: %s attempt %d failed: %s; retrying", job_id, stage, retries + 1, reason)
        await ctx.update_job(error=f"Attempt {retries + 1} of the {stage} step failed ({reason}); retrying.")
        raise
    await advance(ctx, stage)


NO_ENGINE = (
    "Your school's setting for reading photos and scans names a reader this server does not have, "
    "so the file could not be read. It is kept: ask a school admin to check the school's reading "
    "settings, then retry it."
)


def _readable(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "it took too long"
    if isinstance(exc, EngineError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


async def advance(ctx: StageContext, stage: str) -> None:
    index = STAGES.index(stage)
    if index + 1 == len(STAGES):
        if ctx.job.status not in FINAL_STATUSES:  # the notify stage finishes the job itself
            await finish_job(ctx)
        return
    await ctx.update_job(error=None)
    if await ctx.job_is_gone():  # erased while this stage ran: its next message would outlive it
        log.info("job %s was erased during %s; not sending %s", ctx.job.id, stage, STAGES[index + 1])
        return
    enqueue_stage(STAGES[index + 1], str(ctx.job.id), str(ctx.scope.tenant_id))


def _declare(stage: str) -> dramatiq.Actor:
    async def stage_actor(job_id: str, tenant_id: str) -> None:
        await run_stage(stage, job_id, tenant_id)

    stage_actor.__name__ = stage_actor.__qualname__ = actor_name(stage)
    return dramatiq.actor(
        stage_actor,
        actor_name=actor_name(stage),
        queue_name=queue_for(stage),
        priority=PRIORITIES[queue_for(stage)],
        max_retries=MAX_RETRIES,
        min_backoff=1000,
        max_backoff=4000,
    )


ACTORS: dict[str, dramatiq.Actor] = {stage: _declare(stage) for stage in STAGES}
