"""Routes: a timetable's ICS and CSV exports, the user's calendar feed link, and the open feed."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlparse

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import State
from litestar.params import FromPath

from core.api.errors import ApiError
from core.api.schemas import DayOut, Schema, TimeblockOut
from core.api.timetables import blocks_of, load_timetable
from core.auth import CurrentUser
from core.calendar import feed
from core.calendar.ics import TimetableForCalendar, build_calendar
from core.calendar.on_date import plan_for
from core.calendar.spreadsheet import build_csv
from core.calendar.term import Term, term_of
from core.db.scoping import TenantScope
from core.db.tables import Timeblock, Timetable
from core.links import public_root
from core.schools import audit
from core.schools.roles import SCHOOL_MEMBERS, allow
from core.schools.service import effective_settings
from core.settings import Settings
from core.timetables import service as timetables_service
from core.timetables.blocks import lesson_order
from core.timetables.rotating import rotation_of

UserRequest = Request[CurrentUser, dict, State]
BLOCK_COLUMNS = (
    "id",
    "timetable_id",
    "day",
    "week",
    "start_time",
    "end_time",
    "name",
    "notes",
    "confidence",
    "page",
)
# Litestar adds "; charset=utf-8" to every text/* type itself: naming it here too sent it twice.
ICS = "text/calendar"
CSV = "text/csv"
# Calendar apps poll: let them keep a private copy briefly and revalidate it by ETag.
FEED_CACHE = "private, max-age=300"
EXPORT_CACHE = "private, no-cache"
# Bump when the calendar's layout changes, so cached copies are replaced.
ICS_FORMAT = 2
FEED_GONE = "This calendar link does not exist or was turned off. Make a new one in the app."


class CalendarFeedOut(Schema):
    url: str
    created_at: dt.datetime


class CalendarFeedStatusOut(Schema):
    active: bool
    created_at: dt.datetime | None = None


def _aware(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def blocks_by_timetable(
    scope: TenantScope, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    grouped: dict[uuid.UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return grouped
    columns = [getattr(Timeblock, name) for name in BLOCK_COLUMNS]
    rows = await scope.select(Timeblock, *columns).where(Timeblock.timetable_id.is_in(ids))
    for row in sorted(rows, key=lesson_order):
        grouped[row["timetable_id"]].append(row)
    return grouped


def domain_of(settings: Settings) -> str:
    """The domain in every event's UID: the product's public host, stable across exports."""
    return urlparse(public_root(settings)).hostname or "timetabler.invalid"


def filename_for(name: str, extension: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:60] or "timetable"
    return f"{stem}.{extension}"


def file_response(
    request: Request,
    build: Callable[[], bytes],
    *,
    fingerprint: bytes,
    media_type: str,
    filename: str | None,
    cache: str,
    last_modified: dt.datetime,
    extra: dict[str, str] | None = None,
) -> Response:
    """The file with an ETag of what it is made from: a polling calendar app whose copy is current
    gets a 304 without the calendar being built again."""
    etag = '"' + hashlib.sha256(fingerprint).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": cache,
        "Last-Modified": last_modified.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT"),
        **(extra or {}),
    }
    if filename:
        headers["Content-Disposition"] = (
            f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
        )
    seen = [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]
    if etag in seen or f"W/{etag}" in seen:
        return Response(content=b"", status_code=304, headers=headers, media_type=media_type)
    return Response(content=build(), status_code=200, headers=headers, media_type=media_type)


def term_headers(term: Term) -> dict[str, str]:
    # The school set no term: say so, so that the app can ask an admin to set it.
    holidays = "default" if term.holidays_are_default else "school" if term.holidays else "none"
    return {
        "X-Timetabler-Term": "default" if term.is_default else "school",
        "X-Timetabler-Holidays": holidays,
    }


@dataclass(frozen=True)
class CalendarPlan:
    """Everything a calendar is made from, and how to make it (only when it is needed)."""

    items: list[TimetableForCalendar]
    term: Term
    domain: str
    name: str

    @property
    def fingerprint(self) -> bytes:
        # The output depends on these alone (DTSTAMP is each timetable's updated_at, not the clock).
        term = self.term
        parts = [ICS_FORMAT, self.domain, self.name, term.zone.key, term.include_breaks, term.is_default]
        parts += [
            term.start,
            term.end,
            sorted(term.holidays),
            term.rotation_anchor,
            term.cycle_counts_holidays,
        ]
        parts += [
            [item.id, item.name, item.updated_at, item.blocks, item.rotation.kind, item.rotation.labels]
            for item in self.items
        ]
        return msgspec.json.encode(parts)

    @property
    def last_modified(self) -> dt.datetime:
        return max((item.updated_at for item in self.items), default=_aware(None))

    def build(self) -> bytes:
        return build_calendar(self.items, self.term, domain=self.domain, name=self.name)


async def calendar_of(
    scope: TenantScope, rows: list[dict[str, Any]], settings: Settings, name: str
) -> CalendarPlan:
    term = term_of(await effective_settings(scope.tenant_id))
    blocks = await blocks_by_timetable(scope, [row["id"] for row in rows])
    items = [
        TimetableForCalendar(
            id=row["id"],
            name=row["name"],
            updated_at=_aware(row["updated_at"]),
            blocks=blocks[row["id"]],
            rotation=rotation_of(row),
        )
        for row in rows
    ]
    return CalendarPlan(items=items, term=term, domain=domain_of(settings), name=name)


def calendar_response(request: Request, plan: CalendarPlan, *, filename: str | None, cache: str) -> Response:
    return file_response(
        request,
        plan.build,
        fingerprint=plan.fingerprint,
        media_type=ICS,
        filename=filename,
        cache=cache,
        last_modified=plan.last_modified,
        extra=term_headers(plan.term),
    )


class ExportController(Controller):
    path = "/timetables"
    tags = ["calendar"]
    opt = allow(*SCHOOL_MEMBERS)  # the same people who may read the timetable

    @get("/{timetable_id:uuid}/export.ics", operation_id="exportTimetableIcs", media_type=ICS)
    async def export_ics(self, request: UserRequest, timetable_id: FromPath[uuid.UUID]) -> Response:
        user = request.user
        timetable = await load_timetable(user, timetable_id)
        settings: Settings = request.app.state.settings
        plan = await calendar_of(user.scope, [timetable.to_dict()], settings, timetable.name or "Timetable")
        return calendar_response(
            request, plan, filename=filename_for(timetable.name, "ics"), cache=EXPORT_CACHE
        )

    @get("/{timetable_id:uuid}/days/{day:date}", operation_id="getTimetableDay")
    async def day(
        self, request: UserRequest, timetable_id: FromPath[uuid.UUID], day: FromPath[dt.date]
    ) -> DayOut:
        """What is on this date: the week (two-week timetables) or cycle day (cycle timetables) the
        school's calendar puts it in, and that day's lessons; none on weekends, holidays, outside the
        term or before a cycle starts."""
        user = request.user
        timetable = await load_timetable(user, timetable_id)
        term = term_of(await effective_settings(user.scope.tenant_id))
        blocks = [msgspec.structs.asdict(b) for b in await blocks_of(user, timetable.id)]
        plan = plan_for(day, rotation_of(timetable), blocks, term)
        return DayOut(
            date=day,
            school_day=plan.position.school_day,
            week=plan.position.week,
            cycle_day=plan.position.cycle_day,
            timeblocks=[TimeblockOut(**b) for b in plan.blocks],
        )

    @get("/{timetable_id:uuid}/export.csv", operation_id="exportTimetableCsv", media_type=CSV)
    async def export_csv(self, request: UserRequest, timetable_id: FromPath[uuid.UUID]) -> Response:
        user = request.user
        timetable = await load_timetable(user, timetable_id)
        blocks = (await blocks_by_timetable(user.scope, [timetable.id]))[timetable.id]
        body = build_csv(blocks, weeks=timetable.rotation == "two_week")
        return file_response(
            request,
            lambda: body,
            fingerprint=body,
            media_type=CSV,
            filename=filename_for(timetable.name, "csv"),
            cache=EXPORT_CACHE,
            last_modified=_aware(timetable.updated_at),
        )


class CalendarFeedController(Controller):
    path = "/me/calendar-feed"
    tags = ["calendar"]
    opt = allow(*SCHOOL_MEMBERS)  # a feed shows one's own current timetable, which belongs to a school

    @post("/", operation_id="createCalendarFeed", status_code=201)
    async def create_feed(self, request: UserRequest) -> CalendarFeedOut:
        user = request.user
        token, created = await feed.create_or_rotate(user.scope, user.id)
        await audit.calendar_feed(user, created=True)
        settings: Settings = request.app.state.settings
        return CalendarFeedOut(
            url=f"{public_root(settings, request)}/calendar/{token}.ics", created_at=created
        )

    @get("/", operation_id="getCalendarFeed")
    async def get_feed(self, request: UserRequest) -> CalendarFeedStatusOut:
        created = await feed.current(request.user.scope, request.user.id)
        return CalendarFeedStatusOut(active=created is not None, created_at=created)

    @delete("/", operation_id="revokeCalendarFeed", status_code=204)
    async def revoke_feed(self, request: UserRequest) -> None:
        await feed.revoke(request.user.scope, request.user.id)
        await audit.calendar_feed(request.user, created=False)


@get(
    "/calendar/{filename:str}",
    operation_id="calendarFeed",
    tags=["calendar"],
    media_type=ICS,
    # Open: calendar apps cannot sign in. The secret in the address is the credential.
    opt={"exclude_from_auth": True},
)
async def calendar_feed(request: Request, filename: FromPath[str]) -> Response:
    """The link owner's current timetable, for Google, Apple or Outlook to subscribe to."""
    token = filename.removesuffix(".ics")
    owner = await feed.owner_of(token) if filename.endswith(".ics") else None
    if owner is None:
        # The same answer for a revoked, rotated or made-up link: nothing to learn by guessing.
        raise ApiError(404, "not_found", FEED_GONE)
    scope = TenantScope(owner.tenant_id)
    # The owner's current timetable only: older uploads stay in their history, not in the calendar.
    current = await timetables_service.current_id(scope, owner.user_id)
    columns = (
        Timetable.id,
        Timetable.name,
        Timetable.updated_at,
        Timetable.rotation,
        Timetable.rotation_labels,
    )
    timetables = (
        await scope.select(Timetable, *columns).where(Timetable.id == current) if current is not None else []
    )
    settings: Settings = request.app.state.settings
    plan = await calendar_of(scope, timetables, settings, f"Timetable — {owner.name}")
    return calendar_response(request, plan, filename=None, cache=FEED_CACHE)
