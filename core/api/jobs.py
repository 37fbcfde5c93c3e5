"""Jobs: the state of a document's trip through the pipeline, and retry after a failure."""

from __future__ import annotations

import uuid

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath

from core.api.errors import ApiError, not_found
from core.api.schemas import JobOut
from core.auth import CurrentUser
from core.db.tables import Document, Job, json_list
from core.engines import NotATimetable
from core.jobs.pipeline import STAGES, now
from core.jobs.queue import enqueue_stage
from core.schools.roles import SCHOOL_MEMBERS, allow, visible

User = Request[CurrentUser, dict, State]


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        status=job.status,
        stage=job.stage,
        document_id=job.document_id,
        timetable_id=job.timetable_id,
        confidence=job.confidence,
        route=job.route,
        error=job.error,
        error_code=job.error_code,
        engine=job.engine,
        attempts=job.attempts,
        warnings=json_list(job.warnings),
        decisions=json_list(job.decisions),
        created_at=job.created_at,
        updated_at=job.updated_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


async def load_job(user: CurrentUser, job_id: uuid.UUID) -> Job:
    job = await visible(user.scope.objects(Job), Job, user).where(Job.id == job_id).first()
    if job is None:
        raise not_found("Job")
    return job


class JobController(Controller):
    path = "/jobs"
    tags = ["jobs"]
    opt = allow(*SCHOOL_MEMBERS)  # people of a school; district and platform admins use /schools

    @get("/{job_id:uuid}", operation_id="getJob")
    async def get_job(self, request: User, job_id: FromPath[uuid.UUID]) -> JobOut:
        return job_out(await load_job(request.user, job_id))

    @post("/{job_id:uuid}/retry", operation_id="retryJob", status_code=202)
    async def retry_job(self, request: User, job_id: FromPath[uuid.UUID]) -> JobOut:
        user = request.user
        job = await load_job(user, job_id)
        if job.status != "failed":
            raise ApiError(
                409, "not_retryable", f"The job is {job.status}; only a failed job can be retried."
            )
        if job.error_code == NotATimetable.code:
            raise ApiError(
                409,
                "not_a_timetable",
                "This file does not look like a timetable, so reading it again would give the same "
                "answer. Upload a photo or file of the timetable itself.",
            )
        # Resume at the step that failed: the steps before it kept their results.
        stage = job.stage if job.stage in STAGES else STAGES[0]
        await user.scope.update(
            Job,
            {
                Job.status: "queued",
                Job.error: None,
                Job.error_code: None,
                Job.attempts: 0,
                Job.finished_at: None,
                Job.updated_at: now(),
            },
        ).where(Job.id == job.id)
        await user.scope.update(Document, {Document.status: "queued"}).where(Document.id == job.document_id)
        enqueue_stage(stage, str(job.id), str(user.tenant_id))
        return job_out(await load_job(user, job_id))
