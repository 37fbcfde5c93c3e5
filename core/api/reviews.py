"""Human review: the school's queue of documents a person must check, and the correction that
completes them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import anyio
import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, JSONBody, Parameter

from core import checking
from core.api.documents import served_media_type
from core.api.errors import ApiError, not_found
from core.api.schemas import Schema, TimeblockIn, TimeblockOut
from core.api.timetables import blocks_of
from core.auth import CurrentUser
from core.db.tables import Document, Job, Review, Timeblock, Timetable, json_list
from core.engines import Notification
from core.jobs.pipeline import emit, now, send_notification
from core.runtime import Runtime
from core.schools import vocabulary
from core.schools.roles import REVIEWER, SCHOOL_ADMIN, TEACHER, allow
from core.schools.service import effective_settings
from core.timetables.rotating import rotation_of
from core.timetables.rotation import WEEKLY, Rotation

AuthRequest = Request[CurrentUser, dict, State]


class ReviewOut(Schema):
    id: uuid.UUID
    job_id: uuid.UUID
    document_id: uuid.UUID
    filename: str
    reason: str  # why it waits, in plain words (the engines' own steps are in the job's decisions)
    confidence: float | None
    status: str
    created_at: dt.datetime
    reviewer_id: uuid.UUID | None
    reviewed_at: dt.datetime | None


class DoubtOut(Schema):
    timeblock_id: str
    why: list[str]  # plain words: "the writing was hard to read", "it overlaps another lesson"


class PeriodOut(Schema):
    start_time: str  # HH:MM
    end_time: str


class FoundOut(Schema):
    """What the pages showed when no lesson could be placed: the days and times to start from."""

    days: list[str]  # day names read, in week order
    periods: list[PeriodOut]  # period times read, earliest first


class ReviewDetailOut(ReviewOut, kw_only=True):
    document_url: str  # the original, to show beside the grid
    preview_url: str | None  # the original drawn as a PNG a browser shows (PDF page 1, TIFF)
    timetable_id: uuid.UUID | None
    timeblocks: list[TimeblockOut]
    doubts: list[DoubtOut]  # the lessons to look at first
    checked_by: str  # the school's setting: uploader | reviewers | both
    found: FoundOut | None = None  # with no lessons in the draft: the structure the pages showed
    rotation: str = "weekly"  # the draft's: a two-week draft's lessons each name their week
    weeks: list[str] | None = None
    cycle_days: list[str] | None = None


class ReviewIn(Schema):
    timeblocks: list[TimeblockIn]


def review_out(review: Review, filename: str, reason: str | None = None) -> ReviewOut:
    return ReviewOut(
        id=review.id,
        job_id=review.job_id,
        document_id=review.document_id,
        filename=filename,
        reason=reason or checking.plain_reason(review.confidence),
        confidence=review.confidence,
        status=review.status,
        created_at=review.created_at,
        reviewer_id=review.reviewer_id,
        reviewed_at=review.reviewed_at,
    )


async def own_only(user: CurrentUser) -> bool:
    """Whether this user checks only their own documents: a teacher, where the school leaves unsure
    documents to their uploaders (`checkedBy` uploader or both, the default). Where only reviewers
    check, a teacher gets the role guard's own answer."""
    if user.role != TEACHER:
        return False
    if not checking.may_check_own(user.role, await effective_settings(user.tenant_id)):
        raise PermissionDeniedException("Your role does not allow this. Ask your school admin.")
    return True


async def teachers_when_allowed(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: a teacher is turned away before anything else is read (body, parameters), so where
    reviewers alone check they get exactly the answer the role guard gave them before."""
    await own_only(connection.user)


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


BROWSER_IMAGES = ("image/png", "image/jpeg", "image/webp")  # shown as uploaded; others drawn as PNG


def preview_kind(document: Document) -> str | None:
    """How the check screens draw the original: as uploaded ("image"), its first page as PNG
    ("pdf"), a TIFF as PNG ("tiff"), or not at all (a Word file: offered as a download)."""
    media = served_media_type(document)
    if document.kind == "image" and media in BROWSER_IMAGES:
        return "image"
    if document.kind == "image" and media.startswith("image/"):
        return "tiff"
    if document.kind in ("pdf_text", "pdf_scan"):
        return "pdf"
    return None


def preview_url(review: Review, document: Document) -> str | None:
    kind = preview_kind(document)
    if kind == "image":
        return f"/api/v1/documents/{document.id}/file"
    return f"/api/v1/reviews/{review.id}/preview.png" if kind else None


async def preview_png(runtime: Runtime, document: Document) -> bytes:
    """The original drawn as PNG for a browser (PDF page 1, TIFF); 404 where it cannot be drawn."""
    kind = preview_kind(document)
    render = {"pdf": checking.first_page_png, "tiff": checking.image_png}.get(kind or "")
    if render is None:
        raise not_found("Page image")

    def work() -> bytes:
        with runtime.storage.local_path(document.storage_key) as path:
            return render(path.read_bytes())

    try:
        return await anyio.to_thread.run_sync(work)
    except Exception as exc:  # a file we cannot draw: the screen offers the download instead
        raise not_found("Page image") from exc


async def timetable_rotation(user: CurrentUser, timetable_id: uuid.UUID | None) -> Rotation:
    row = (
        await user.scope.select(Timetable, Timetable.rotation, Timetable.rotation_labels)
        .where(Timetable.id == timetable_id)
        .first()
        if timetable_id
        else None
    )
    return rotation_of(row) if row else WEEKLY


async def review_detail(user: CurrentUser, review_id: uuid.UUID) -> ReviewDetailOut:
    review, document, job = await load_review(user, review_id)
    rotation = await timetable_rotation(user, job.timetable_id)
    blocks = await blocks_of(user, job.timetable_id) if job.timetable_id else []
    doubtful = await draft_doubts(user, job) if review.status == "open" else {}
    found = await checking.found_on(user.scope, document.id) if not blocks else None
    reason = checking.plain_reason(review.confidence, len(blocks), len(doubtful), found)
    return ReviewDetailOut(
        **msgspec.structs.asdict(review_out(review, document.filename, reason)),
        document_url=f"/api/v1/documents/{document.id}/file",
        preview_url=preview_url(review, document),
        timetable_id=job.timetable_id,
        timeblocks=blocks,
        doubts=[DoubtOut(timeblock_id=key, why=why) for key, why in doubtful.items()],
        checked_by=(await effective_settings(user.tenant_id)).checked_by,
        rotation=rotation.kind,
        weeks=list(rotation.weeks) or None,
        cycle_days=list(rotation.cycle_days) or None,
        found=FoundOut(
            days=found.days,
            periods=[PeriodOut(start_time=start, end_time=end) for start, end in found.periods],
        )
        if found
        else None,
    )


async def complete_review(
    user: CurrentUser, review_id: uuid.UUID, blocks: list[TimeblockIn], runtime: Runtime
) -> ReviewDetailOut:
    """Validate the corrected blocks, replace the draft's, close the review and complete the job.
    Shared by the API and the admin console's review screen."""
    review, document, job = await load_review(user, review_id)
    if review.status != "open":
        raise ApiError(409, "review_done", "This review was completed already.")
    if job.timetable_id is None:
        raise ApiError(409, "no_draft", "This document has no draft timetable to correct.")
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
                Review, {Review.status: "done", Review.reviewer_id: user.id, Review.reviewed_at: now()}
            )
            .where(Review.id == review.id, Review.status == "open")
            .returning(Review.id)
        )
        if not closed:
            raise ApiError(409, "review_done", "This review was completed already.")
        decision = {
            "step": "review",
            "engine": None,
            "confidenceBefore": review.confidence,
            "confidenceAfter": 1.0,
            "kept": "corrected",
            "reason": f"Checked and corrected by {user.name} ({len(values)} lessons).",
            "reviewer": str(user.id),
            "at": now().isoformat(),
        }
        await scope.update(
            Job,
            {
                Job.status: "completed",
                Job.confidence: 1.0,
                Job.decisions: json_list(job.decisions) + [decision],
                Job.updated_at: now(),
            },
        ).where(Job.id == job.id)
        await scope.update(Document, {Document.status: "processed", Document.updated_at: now()}).where(
            Document.id == document.id
        )
    learnt = await vocabulary.learn(scope, [v["name"] for v in values])
    job.status = "completed"
    emit(runtime, job, "review", "completed", f"reviewed by {user.email}; learnt {len(learnt)} subjects")
    await send_notification(
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
    return await review_detail(user, review_id)


class ReviewController(Controller):
    path = "/reviews"
    tags = ["reviews"]
    # Teachers pass the guard, then own_only() lets them in only where the school allows it.
    opt = allow(REVIEWER, SCHOOL_ADMIN, TEACHER)
    guards = [teachers_when_allowed]

    @get("/", operation_id="listReviews")
    async def queue(
        self,
        request: AuthRequest,
        status: Annotated[str, Parameter(pattern="^(open|done)$")] = "open",
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> list[ReviewOut]:
        user = request.user
        query = user.scope.objects(Review).where(Review.status == status)
        if await own_only(user):
            query = query.where(Review.job_id.user_id == user.id)
        rows = await query.order_by(Review.created_at).limit(limit)  # oldest first: nobody waits longest
        names = {
            d["id"]: d["filename"]
            for d in await user.scope.select(Document, Document.id, Document.filename).where(
                Document.id.is_in([r.document_id for r in rows] or [uuid.uuid4()])
            )
        }
        return [review_out(r, names.get(r.document_id, "")) for r in rows]

    @get("/{review_id:uuid}", operation_id="getReview")
    async def detail(self, request: AuthRequest, review_id: FromPath[uuid.UUID]) -> ReviewDetailOut:
        return await review_detail(request.user, review_id)

    @get("/{review_id:uuid}/preview.png", operation_id="getReviewPreview", media_type="image/png")
    async def preview(self, request: AuthRequest, review_id: FromPath[uuid.UUID]) -> Response[bytes]:
        """The original drawn as PNG (a PDF's first page, a TIFF) to show beside the draft."""
        _, document, _ = await load_review(request.user, review_id)
        png = await preview_png(request.app.state.runtime, document)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-store"})

    @post("/{review_id:uuid}", operation_id="completeReview", status_code=200)
    async def complete(
        self, request: AuthRequest, review_id: FromPath[uuid.UUID], data: JSONBody[ReviewIn]
    ) -> ReviewDetailOut:
        return await complete_review(request.user, review_id, data.timeblocks, request.app.state.runtime)
