"""Human review in the console: a school's queue, and the side-by-side screen (the original beside an
editable grid of its timeblocks) whose form completes the review through core/reviews/service.py,
as the API does.

Reviewers may use these pages, for their own school only; school, district and platform admins for
the schools they administer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from uuid import UUID

import anyio
import msgspec
from litestar import Response, get, post
from litestar.params import FromPath

from admin.history import decisions_of
from admin.render import brand_for, page, see_other
from admin.scope import administered_schools
from admin.session import ConsoleRequest, checked_form, console
from core import checking
from core.auth import CurrentUser
from core.db.tables import Document, Review, Tenant, Timeblock, User
from core.documents.media import BROWSER_IMAGES, served_media_type
from core.errors import DomainError, not_found
from core.reviews.service import complete_review, draft_doubts, load_review, timetable_rotation
from core.runtime import Runtime
from core.schools.roles import ADMINS, REVIEWER
from core.schools.service import administered_school, find_school
from core.timetables.blocks import DAYS, TimeblockIn, block_values, lesson_order
from core.timetables.rotation import WEEKLY, Rotation

REVIEW_ROLES = (REVIEWER, *ADMINS)
EMPTY_ROWS = 5  # rows to add lessons in, without JavaScript
MAX_ROWS = 400  # a posted form never makes us loop further than this
DONE_LIMIT = 20

Uuid = FromPath[UUID]


async def review_school(user: CurrentUser, school_id: UUID) -> Tenant:
    """The school whose reviews this user may work on; 404 otherwise, revealing no other school."""
    if user.role == REVIEWER:
        school = await find_school(school_id) if user.tenant_id == school_id else None
        if school is None:
            raise not_found("School")
        return school
    return await administered_school(user, school_id)


def acting_in(user: CurrentUser, school: Tenant) -> CurrentUser:
    """The review code works in the user's own school scope. District and platform admins belong to
    none, so once ``review_school`` has checked they run this school, they act within it."""
    if user.tenant_id == school.id:
        return user
    return msgspec.structs.replace(user, tenant_id=school.id)


def waiting(since: dt.datetime, now: dt.datetime | None = None) -> str:
    """How long a review has waited, in words a person reads at a glance."""
    now = now or dt.datetime.now(dt.UTC)
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} days"


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


@dataclass(frozen=True)
class QueueRow:
    id: UUID
    filename: str
    reason: str
    confidence: float | None
    created: str
    waiting: str
    reviewer: str
    reviewed: str


async def _queue_rows(user: CurrentUser, status: str, limit: int | None = None) -> list[QueueRow]:
    scope = user.scope
    query = scope.objects(Review).where(Review.status == status)
    # Open: oldest first, so nobody waits longest; done: the latest first.
    if status == "open":
        query = query.order_by(Review.created_at)
    else:
        query = query.order_by(Review.reviewed_at, ascending=False)
    reviews = await (query.limit(limit) if limit else query)
    ids = [r.document_id for r in reviews]
    names: dict[UUID, str] = {}
    if ids:
        documents = scope.select(Document, Document.id, Document.filename).where(Document.id.is_in(ids))
        names = {d["id"]: d["filename"] for d in await documents}
    reviewer_ids = [r.reviewer_id for r in reviews if r.reviewer_id]
    people: dict[UUID, str] = {}
    if reviewer_ids:
        # Reviewers are people of this school (or admins above it): their email is theirs to see here.
        found = await User.select(User.id, User.email).where(User.id.is_in(reviewer_ids))
        people = {u["id"]: u["email"] for u in found}
    return [
        QueueRow(
            id=r.id,
            filename=names.get(r.document_id, ""),
            reason=checking.plain_reason(r.confidence),
            confidence=r.confidence,
            created=_when(r.created_at),
            waiting=waiting(r.created_at),
            reviewer=people.get(r.reviewer_id, "—") if r.reviewer_id else "—",
            reviewed=_when(r.reviewed_at),
        )
        for r in reviews
    ]


@get("/admin/reviews", operation_id="consoleMyReviews", opt=console(*REVIEW_ROLES))
async def my_reviews(request: ConsoleRequest) -> Response:
    """People of a school go to their school's queue; admins above schools pick a school."""
    user = request.user
    if user.tenant_id is not None:
        return see_other(f"/admin/schools/{user.tenant_id}/reviews")
    schools = await administered_schools(user)
    counts = {}
    for school in schools:
        counts[school.id] = await acting_in(user, school).scope.count(Review).where(Review.status == "open")
    return page(request, "review_schools.html", schools=schools, counts=counts)


@get("/admin/reviews/{review_id:uuid}", operation_id="consoleMyReview", opt=console(*REVIEW_ROLES))
async def my_review(request: ConsoleRequest, review_id: Uuid) -> Response:
    user = request.user
    if user.tenant_id is None:  # an admin above schools opens reviews from a school's queue
        raise not_found("Review")
    return see_other(f"/admin/schools/{user.tenant_id}/reviews/{review_id}")


@get("/admin/schools/{school_id:uuid}/reviews", operation_id="consoleReviewQueue", opt=console(*REVIEW_ROLES))
async def review_queue(request: ConsoleRequest, school_id: Uuid) -> Response:
    school = await review_school(request.user, school_id)
    user = acting_in(request.user, school)
    return page(
        request,
        "reviews.html",
        brand=await brand_for(school),
        school=school,
        queue=await _queue_rows(user, "open"),
        done=await _queue_rows(user, "done", DONE_LIMIT),
    )


@dataclass
class GridRow:
    """One row of the editable grid: what the form shows (typed values are kept as typed)."""

    index: int
    block_id: str
    day: str
    start: str
    end: str
    name: str
    notes: str
    color: str
    delete: bool
    confidence: float | None
    error: str | None = None
    week: str = ""  # on a two-week draft: the lesson's week


def _grid_from_blocks(blocks: list[dict[str, Any]]) -> list[GridRow]:
    rows = [
        GridRow(
            index=i,
            block_id=str(b["id"]),
            day=b["day"],
            start=b["start_time"],
            end=b["end_time"],
            name=b["name"],
            notes=b["notes"] or "",
            color=b["color"] or "",
            delete=False,
            confidence=b["confidence"],
            week=b.get("week") or "",
        )
        for i, b in enumerate(blocks)
    ]
    return rows + [_empty_row(len(rows) + k) for k in range(EMPTY_ROWS)]


def _empty_row(index: int) -> GridRow:
    return GridRow(index, "", "", "", "", "", "", "", False, None)


def _grid_from_form(form: dict[str, str], confidences: dict[str, float | None]) -> list[GridRow]:
    try:
        count = min(int(form.get("rows", "0")), MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for i in range(max(count, 0)):
        block_id = form.get(f"id_{i}", "")
        rows.append(
            GridRow(
                index=i,
                block_id=block_id,
                day=form.get(f"day_{i}", "").strip(),
                start=form.get(f"start_{i}", "").strip(),
                end=form.get(f"end_{i}", "").strip(),
                name=form.get(f"name_{i}", ""),
                notes=form.get(f"notes_{i}", ""),
                color=form.get(f"color_{i}", "").strip(),
                delete=bool(form.get(f"delete_{i}")),
                confidence=confidences.get(block_id),
                week=form.get(f"week_{i}", "").strip(),
            )
        )
    return rows


def _blank(row: GridRow) -> bool:
    return not any((row.day, row.start, row.end, row.name.strip(), row.notes.strip()))


def corrected_blocks(rows: list[GridRow], rotation: Rotation = WEEKLY) -> list[TimeblockIn]:
    """The lessons the form keeps: deleted and empty rows dropped; each row checked with the API's
    own rule for the draft's rotation, its message set on the row so it shows beside it."""
    blocks = []
    for row in rows:
        if row.delete or _blank(row):
            continue
        block = TimeblockIn(
            name=row.name,
            day=row.day,
            start_time=row.start,
            end_time=row.end,
            notes=row.notes or None,
            color=row.color or None,
            week=row.week or None,
        )
        try:
            block_values(block, rotation)
        except DomainError as exc:
            row.error = f"{checking.row_label(row.index + 1, block)}: {exc.detail}"
        blocks.append(block)
    return blocks


async def _draft_blocks(user: CurrentUser, timetable_id: UUID | None) -> list[dict[str, Any]]:
    if timetable_id is None:
        return []
    rows = await user.scope.select(
        Timeblock,
        Timeblock.id,
        Timeblock.day,
        Timeblock.start_time,
        Timeblock.end_time,
        Timeblock.name,
        Timeblock.notes,
        Timeblock.color,
        Timeblock.confidence,
        Timeblock.week,
    ).where(Timeblock.timetable_id == timetable_id)
    return sorted(rows, key=lesson_order)


def _preview(document: Document, base: str) -> dict[str, str | None]:
    """What the left side shows: an image of the original where one can be made, else a link."""
    media = served_media_type(document)
    if document.kind == "image" and media in BROWSER_IMAGES:
        return {"image": f"{base}/original", "download": f"{base}/original", "notice": None}
    if document.kind == "image" and media.startswith("image/"):  # TIFF: browsers do not draw it
        return {"image": f"{base}/page.png", "download": f"{base}/original", "notice": None}
    if document.kind in ("pdf_text", "pdf_scan"):
        return {"image": f"{base}/page.png", "download": f"{base}/original", "notice": "Page 1 of the PDF."}
    return {
        "image": None,
        "download": f"{base}/original",
        "notice": "This document (a Word file, say) cannot be shown as a picture here. "
        "Download it to compare.",
    }


async def _review_page(
    request: ConsoleRequest,
    school: Tenant,
    review_id: UUID,
    *,
    grid: list[GridRow] | None = None,
    errors: list[str] | None = None,
) -> Response:
    user = acting_in(request.user, school)
    review, document, job = await load_review(user, review_id)
    blocks = await _draft_blocks(user, job.timetable_id)
    rotation = await timetable_rotation(user, job.timetable_id)
    doubtful = await draft_doubts(user, job) if review.status == "open" else {}
    found = await checking.found_on(user.scope, document.id) if not blocks else None
    base = f"/admin/schools/{school.id}/reviews/{review.id}"
    reviewer = None
    if review.reviewer_id:
        person = await User.select(User.email).where(User.id == review.reviewer_id).first()
        reviewer = person["email"] if person else None
    return page(
        request,
        "review.html",
        brand=await brand_for(school),
        status_code=400 if errors else 200,
        school=school,
        review=review,
        document=document,
        job=job,
        waited=waiting(review.created_at),
        reviewed_at=_when(review.reviewed_at),
        reviewer=reviewer,
        preview=_preview(document, base),
        action=base,
        grid=grid if grid is not None else _grid_from_blocks(blocks),
        doubts={key: "; ".join(why) for key, why in doubtful.items()},
        reason=checking.plain_reason(review.confidence, len(blocks), len(doubtful), found),
        days=list(rotation.cycle_days) or DAYS,
        weeks=list(rotation.weeks),
        decisions=decisions_of(job),
        errors=errors or [],
        error="Nothing was saved: fix the rows marked below." if errors else None,
        notice="Done: the review is complete, the timetable is ready and its teacher was told."
        if request.query_params.get("done") and review.status == "done"
        else None,
    )


@get(
    "/admin/schools/{school_id:uuid}/reviews/{review_id:uuid}",
    operation_id="consoleReview",
    opt=console(*REVIEW_ROLES),
)
async def review_screen(request: ConsoleRequest, school_id: Uuid, review_id: Uuid) -> Response:
    school = await review_school(request.user, school_id)
    return await _review_page(request, school, review_id)


@post(
    "/admin/schools/{school_id:uuid}/reviews/{review_id:uuid}",
    operation_id="consoleCompleteReview",
    opt=console(*REVIEW_ROLES),
)
async def complete_review_form(request: ConsoleRequest, school_id: Uuid, review_id: Uuid) -> Response:
    school = await review_school(request.user, school_id)
    user = acting_in(request.user, school)
    _, _, job = await load_review(user, review_id)  # 404 before reading another school's form
    form = await checked_form(request)
    confidences = {str(b["id"]): b["confidence"] for b in await _draft_blocks(user, job.timetable_id)}
    grid = _grid_from_form(form, confidences)
    blocks = corrected_blocks(grid, await timetable_rotation(user, job.timetable_id))
    errors = [row.error for row in grid if row.error]
    if not errors:
        try:
            await complete_review(user, review_id, blocks, request.app.state.runtime)
        except DomainError as exc:  # e.g. someone else completed it meanwhile; nothing was saved
            errors = [exc.detail]
    if errors:
        return await _review_page(request, school, review_id, grid=grid, errors=errors)
    return see_other(f"/admin/schools/{school.id}/reviews/{review_id}?done=1")


async def _original(request: ConsoleRequest, school_id: UUID, review_id: UUID) -> tuple[Document, bytes]:
    school = await review_school(request.user, school_id)
    _, document, _ = await load_review(acting_in(request.user, school), review_id)
    runtime: Runtime = request.app.state.runtime

    def read() -> bytes:
        with runtime.storage.local_path(document.storage_key) as path:
            return path.read_bytes()

    return document, await anyio.to_thread.run_sync(read)


_FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


@get(
    "/admin/schools/{school_id:uuid}/reviews/{review_id:uuid}/original",
    operation_id="consoleReviewOriginal",
    opt=console(*REVIEW_ROLES),
)
async def review_original(request: ConsoleRequest, school_id: Uuid, review_id: Uuid) -> Response[bytes]:
    """The original upload, under the same safe media type as the API serves it."""
    document, content = await _original(request, school_id, review_id)
    return Response(
        content,
        media_type=served_media_type(document),
        headers={
            **_FILE_HEADERS,
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(document.filename)}",
            "Content-Security-Policy": "default-src 'none'; sandbox",  # never active content here
        },
    )


@get(
    "/admin/schools/{school_id:uuid}/reviews/{review_id:uuid}/page.png",
    operation_id="consoleReviewPage",
    opt=console(*REVIEW_ROLES),
)
async def review_page_image(request: ConsoleRequest, school_id: Uuid, review_id: Uuid) -> Response[bytes]:
    document, content = await _original(request, school_id, review_id)
    if document.kind in ("pdf_text", "pdf_scan"):
        render = checking.first_page_png
    elif document.kind == "image" and served_media_type(document).startswith("image/"):
        render = checking.image_png
    else:
        raise not_found("Page image")
    try:
        png = await anyio.to_thread.run_sync(render, content)
    except Exception as exc:  # a file we cannot draw: the page offers the download instead
        raise not_found("Page image") from exc
    return Response(png, media_type="image/png", headers=_FILE_HEADERS)
