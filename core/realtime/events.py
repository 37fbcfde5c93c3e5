"""The server's messages (contract 1 in README.md) and the final event of a job, read from its rows."""

from __future__ import annotations

from typing import Any

from core.checking import plain_reason
from core.db.row_security import use_tenant
from core.db.scoping import TenantScope
from core.db.tables import Job, Review, StageResult, decode_json

# Job statuses that end a job, and the event that says so.
FINAL_EVENTS = {"completed": "job:completed", "failed": "job:failed", "review": "job:hitl_required"}
DEFAULT_REASON = "The reading is not sure enough to use without a check."


def message(type_: str, **data: Any) -> dict[str, Any]:
    return {"type": type_, "data": data}


def error(code: str, text: str) -> dict[str, Any]:
    return message("error", code=code, message=text)


def job_status(job_id: object, status: str, stage: str | None) -> dict[str, Any]:
    return message("job:status", jobId=str(job_id), status=status, stage=stage)


def completed(job_id: object, timetable_id: object, document_id: object, confidence: float | None) -> dict:
    result = {
        "timetableId": str(timetable_id) if timetable_id else None,
        "documentId": str(document_id),
        "confidence": confidence,
    }
    return message("job:completed", jobId=str(job_id), result=result)


def failed(job_id: object, error_text: str, code: str | None = None) -> dict[str, Any]:
    return message("job:failed", jobId=str(job_id), error=error_text, code=code)


def hitl_required(job_id: object, reason: str) -> dict[str, Any]:
    return message("job:hitl_required", jobId=str(job_id), reason=reason)


async def final_event(tenant_id: object, job_id: object, outcome: str) -> dict[str, Any] | None:
    """The ``outcome`` (completed | failed | review) event of a job, with what its rows say.

    The job row is final before this is sent (the notify stage finishes the job, then tells); the
    outcome is passed in all the same, from the notification that asks for it. None when the job
    is gone.
    """
    use_tenant(str(tenant_id))  # row-level security: this job's school only
    scope = TenantScope(tenant_id)
    job = (
        await scope.select(Job, Job.timetable_id, Job.document_id, Job.confidence, Job.error, Job.error_code)
        .where(Job.id == job_id)
        .first()
    )
    if job is None:
        return None
    if outcome == "completed":
        return completed(job_id, job["timetable_id"], job["document_id"], job["confidence"])
    if outcome == "failed":
        return failed(job_id, job["error"] or "The document could not be processed.", job["error_code"])
    return hitl_required(job_id, await review_reason(scope, job_id, job["document_id"]))


async def review_reason(scope: TenantScope, job_id: object, document_id: object) -> str:
    """Why a person must check, in the plain words the review screens use (core/checking.py): from
    the open review, or (before the review row exists, as in the notify stage) the escalation's
    final confidence. The engines' own reasons stay in the job's decisions."""
    review = await scope.select(Review, Review.confidence).where(Review.job_id == job_id).first()
    if review:
        return plain_reason(review["confidence"])
    outcome = (
        await scope.select(StageResult, StageResult.payload)
        .where(StageResult.document_id == document_id, StageResult.stage == "llm")
        .first()
    )
    confidence = decode_json(outcome["payload"]).get("bestConfidence") if outcome else None
    return plain_reason(confidence) if outcome else DEFAULT_REASON
