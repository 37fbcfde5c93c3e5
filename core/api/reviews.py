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
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, JSONBody, Parameter

from core import checking
from core.api.errors import not_found
from core.api.schemas import Schema, TimeblockIn, TimeblockOut
from core.api.timetables import blocks_of
from core.auth import CurrentUser
from core.db.tables import Document, Review
from core.documents.media import preview_kind
from core.reviews.service import complete_review, draft_doubts, load_review, own_only, timetable_rotation
from core.runtime import Runtime
from core.schools.roles import REVIEWER, SCHOOL_ADMIN, TEACHER, allow
from core.schools.service import effective_settings

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


async def teachers_when_allowed(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: a teacher is turned away before anything else is read (body, parameters), so where
    reviewers alone check they get exactly the answer the role guard gave them before."""
    await own_only(connection.user)


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
        await complete_review(request.user, review_id, data.timeblocks, request.app.state.runtime)
        return await review_detail(request.user, review_id)
