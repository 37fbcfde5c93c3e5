"""The API's msgspec schemas; JSON names are camelCase. `Schema` and a lesson as written
(`TimeblockIn`) live below the API (core/schema.py, core/timetables/blocks.py) so services share them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar
from uuid import UUID

import msgspec

from core.schema import Schema
from core.timetables.blocks import TimeblockIn

T = TypeVar("T")


class RegisterIn(Schema):
    email: str
    password: str
    name: str
    school: str


class AcceptInviteIn(Schema):
    token: str
    name: str
    password: str


class LoginIn(Schema):
    email: str
    password: str


class RefreshIn(Schema):
    refresh_token: str


class LogoutIn(Schema):
    refresh_token: str | None = None


class UserOut(Schema):
    id: UUID
    email: str
    name: str
    role: str
    tenant_id: UUID | None
    school: str
    district_id: UUID | None = None


class TokensOut(Schema):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"


class RegisterOut(Schema):
    user: UserOut
    access_token: str
    refresh_token: str
    token_type: str = "bearer"


class EarlierUploadOut(Schema):
    """The same bytes this person uploaded before: when, as what, and its timetable (if kept)."""

    document_id: UUID
    filename: str
    uploaded_at: dt.datetime
    timetable_id: UUID | None
    message: str


class UploadOut(Schema):
    document_id: UUID
    job_id: UUID
    duplicate_of: EarlierUploadOut | None = None


class DocumentOut(Schema):
    id: UUID
    filename: str
    content_type: str
    kind: str | None
    size: int
    content_hash: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    job_id: UUID | None = None
    timetable_id: UUID | None = None


class DocumentStatusOut(Schema):
    document_id: UUID
    status: str
    job_id: UUID | None
    job_status: str | None
    stage: str | None
    error: str | None
    error_code: str | None = None  # why a failed job failed: "not_a_timetable", else null


class JobOut(Schema):
    id: UUID
    status: str
    stage: str
    document_id: UUID
    timetable_id: UUID | None
    confidence: float | None
    route: str | None
    error: str | None
    # Why a failed job failed, for clients to act on: "not_a_timetable" (the file holds no lessons;
    # no timetable was made and retrying gives the same answer), else null.
    error_code: str | None
    engine: str | None
    attempts: int
    warnings: list[str]
    decisions: list[dict[str, Any]]  # each escalation step: step, engine, confidence before/after, reason
    created_at: dt.datetime
    updated_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class TimeblockPatch(Schema):
    name: str | msgspec.UnsetType = msgspec.UNSET
    day: str | msgspec.UnsetType = msgspec.UNSET
    start_time: str | msgspec.UnsetType = msgspec.UNSET
    end_time: str | msgspec.UnsetType = msgspec.UNSET
    notes: str | None | msgspec.UnsetType = msgspec.UNSET
    color: str | None | msgspec.UnsetType = msgspec.UNSET
    week: str | None | msgspec.UnsetType = msgspec.UNSET


class TimeblockOut(Schema):
    id: UUID
    timetable_id: UUID
    name: str
    day: str
    start_time: str
    end_time: str
    duration: int
    notes: str | None
    color: str | None
    page: int
    week: str | None = None  # on a two-week timetable: the lesson's week ("A", "B" …)


class TimetableIn(Schema):
    name: str = ""
    teacher: str | None = None
    class_name: str | None = None
    term: str | None = None
    year: int | None = None
    # How the lessons repeat: weekly, two_week (lessons name their week) or cycle (days are
    # "Day 1" … or "Day A" …); weeks default to ["A", "B"], a cycle needs its days.
    rotation: str = "weekly"
    weeks: list[str] | None = None
    cycle_days: list[str] | None = None
    timeblocks: list[TimeblockIn] = msgspec.field(default_factory=list)


class TimetablePatch(Schema):
    name: str | msgspec.UnsetType = msgspec.UNSET
    teacher: str | None | msgspec.UnsetType = msgspec.UNSET
    class_name: str | None | msgspec.UnsetType = msgspec.UNSET
    term: str | None | msgspec.UnsetType = msgspec.UNSET
    year: int | None | msgspec.UnsetType = msgspec.UNSET
    rotation: str | msgspec.UnsetType = msgspec.UNSET
    weeks: list[str] | None | msgspec.UnsetType = msgspec.UNSET
    cycle_days: list[str] | None | msgspec.UnsetType = msgspec.UNSET


class ChooseCurrentIn(Schema):
    timetable_id: UUID


class TimetableOut(Schema):
    id: UUID
    name: str
    teacher: str | None
    class_name: str | None
    term: str | None
    year: int | None
    document_id: UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime
    timeblocks: list[TimeblockOut] | None = None
    is_current: bool = False  # the owner's current timetable (home page, calendar feed)
    rotation: str = "weekly"
    weeks: list[str] | None = None  # a two-week timetable's weeks, in order
    cycle_days: list[str] | None = None  # a cycle timetable's days, in order


class DayOut(Schema):
    """What a timetable has on one date: its week or cycle day there, and the lessons."""

    date: dt.date
    school_day: bool  # False: a weekend, a holiday, or before a cycle starts
    week: str | None
    cycle_day: str | None
    timeblocks: list[TimeblockOut]


class PageOut(Schema, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
