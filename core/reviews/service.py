"""Human review: who may check which document, the draft's doubtful lessons, and the correction that
completes a review. Used by the API (core/api/reviews.py) and the console (admin/review_pages.py)."""

from __future__ import annotations

import datetime as dt
import uuid

from core import checking
from core.auth import CurrentUser
from core.db.tables import Document, Job, Review, Timeblock, Timetable, json_list
from core.engines import Notification
from core.errors import DomainError, not_found
from core.notifications import fanout
from core.runtime import Runtime, emit
from core.schools import vocabulary
from core.schools.roles import TEACHER
from core.schools.service import effective_settings
from core.timetables.blocks import TimeblockIn
from core.timetables.rotating import rotation_of
from core.timetables.rotation import WEEKLY, Rotation

NOT_ALLOWED = "Your role does not allow this. Ask your school admin."


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def own_only(user: CurrentUser) -> bool:
    """Whether this user checks only their own documents: a teacher, where the school leaves unsure
    documents to their uploaders (`checkedBy` uploader or both, the default). Where only reviewers
    check, a teacher is refused as the role guard refuses them (403)."""
    if user.role != TEACHER:
        return False
    if not checking.may_check_own(user.role, await effective_settings(user.tenant_id)):
        raise DomainError(403, "forbidden", NOT_ALLOWED)
    return True


async def load_review(user: CurrentUser, review_id: uuid.UUID) -> tuple[Review, Document, Job]:
    mine = await own_only(user)
    review = await user.scope.get(Review, review_id)
    if review is None:
        raise not_found("Review")
    document = await user.scope.get(Document, review.document_id)
    job = await user.scope.get(Job, review.job_id)
    # Another teacher's review is as absent as another school's: 404, nothing revealed.
    if document is None or job is None or (mine and job.user_id != user.id):
        raise not_found("Review")
    return review, document, job


async def draft_doubts(user: CurrentUser, job: Job) -> dict[str, list[str]]:
    """The draft's doubtful lessons with their reasons (see core/checking.py)."""
    if job.timetable_id is None:
        return {}
    rows = await user.scope.select(
        Timeblock,
        Timeblock.id,
        Timeblock.day,
        Timeblock.start_time,
        Timeblock.end_time,
        Timeblock.name,
        Timeblock.confidence,
    ).where(Timeblock.timetable_id == job.timetable_id)
    return checking.doubts(rows, json_list(job.warnings), await vocabulary.terms(user.scope))


async def timetable_rotation(user: CurrentUser, timetable_id: uuid.UUID | None) -> Rotation:
    """How the draft's timetable repeats: its lessons are checked against it (a two-week draft's
    lessons each need their week)."""
    row = (
        await user.scope.select(Timetable, Timetable.rotation, Timetable.rotation_labels)
        .where(Timetable.id == timetable_id)
        .first()
        if timetable_id
        else None
    )
    return rotation_of(row) if row else WEEKLY


async def complete_review(
    user: CurrentUser, review_id: uuid.UUID, blocks: list[TimeblockIn], runtime: Runtime
) -> None:
    """Validate the corrected blocks, replace the draft's, close the review and complete the job;
    then tell the uploader and the live views."""
    review, document, job = await load_review(user, review_id)
    if review.status != "open":
        raise DomainError(409, "review_done", "This review was completed already.")
    if job.timetable_id is None:
        raise DomainError(409, "no_draft", "This document has no draft timetable to correct.")
    rotation = await timetable_rotation(user, job.timetable_id)
    values = checking.checked_values(blocks, rotation)  # 400 naming the row and what to fix
    scope = user.scope
    async with Timeblock._meta.db.transaction():
        await scope.delete(Timeblock).where(Timeblock.timetable_id == job.timetable_id)
        if values:
            await Timeblock.insert(
                *[scope.insert(Timeblock, timetable_id=job.timetable_id, confidence=1.0, **v) for v in values]
            )
        # Only an open review closes: of two reviewers saving at once, the second is told, not obeyed.
        closed = (
            await scope.update(
                Review, {Review.status: "done", Review.reviewer_id: user.id, Review.reviewed_at: _now()}
            )
            .where(Review.id == review.id, Review.status == "open")
            .returning(Review.id)
        )
        if not closed:
            raise DomainError(409, "review_done", "This review was completed already.")
        decision = {
            "step": "review",
            "engine": None,
            "confidenceBefore": review.confidence,
            "confidenceAfter": 1.0,
            "kept": "corrected",
            "reason": f"Checked and corrected by {user.name} ({len(values)} lessons).",
            "reviewer": str(user.id),
            "at": _now().isoformat(),
        }
        await scope.update(
            Job,
            {
                Job.status: "completed",
                Job.confidence: 1.0,
                Job.decisions: json_list(job.decisions) + [decision],
                Job.updated_at: _now(),
            },
        ).where(Job.id == job.id)
        await scope.update(Document, {Document.status: "processed", Document.updated_at: _now()}).where(
            Document.id == document.id
        )
    learnt = await vocabulary.learn(scope, [v["name"] for v in values])
    job.status = "completed"
    emit(runtime, job, "review", "completed", f"reviewed by {user.email}; learnt {len(learnt)} subjects")
    # Everyone it concerns is told on the channels they left on; a failing notifier is logged.
    await fanout.dispatch(
        runtime,
        Notification(
            kind="hitl_completed",
            tenant_id=str(user.tenant_id),
            user_id=str(job.user_id),
            job_id=str(job.id),
            document_id=str(document.id),
            timetable_id=str(job.timetable_id),
            # Sent even when the uploader checked it: the app's live view ends on this event.
            message=f"'{document.filename}' was checked and is ready."
            if user.id == job.user_id
            else f"'{document.filename}' was checked by a reviewer and is ready.",
        ),
    )
