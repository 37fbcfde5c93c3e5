"""The data model. Every tenant-owned table carries ``tenant_id``."""

from __future__ import annotations

import json
from typing import Any

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class District(Table, tablename="districts"):
    """A group of schools whose district admins set their defaults."""

    id = UUID(primary_key=True)
    name = Varchar(length=200)
    slug = Varchar(length=100, unique=True, index=True)
    settings = JSON(default={})  # district defaults, overridden per school
    created_at = Timestamptz(default=TimestamptzNow())


class Tenant(Table, tablename="tenants"):
    """A school. A school may stand alone or belong to a district."""

    id = UUID(primary_key=True)
    name = Varchar(length=200)
    slug = Varchar(length=100, unique=True, index=True)
    district_id = ForeignKey(District, null=True, on_delete=OnDelete.set_null, index=True)
    settings = JSON(default={})  # the school's own overrides
    plan = Varchar(length=20, default="free")  # free | school | district
    stripe_customer_id = Varchar(length=100, null=True, default=None, index=True)
    stripe_subscription_id = Varchar(length=100, null=True, default=None)
    subscription_status = Varchar(length=30, null=True, default=None)  # active | past_due | canceled ...
    billing_grace_until = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class User(Table, tablename="users"):
    """A person. Teachers, reviewers and school admins belong to a school; district admins to a
    district (no school); platform admins to neither."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=True, on_delete=OnDelete.cascade, index=True)
    district_id = ForeignKey(District, null=True, on_delete=OnDelete.cascade, index=True)
    # Unique across tenants: login is by email alone.
    email = Varchar(length=320, unique=True, index=True)
    name = Varchar(length=200)
    password_hash = Text()
    role = Varchar(length=32, default="teacher")
    is_active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Invite(Table, tablename="invites"):
    """An emailed link that lets a person join a school in a given role."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    email = Varchar(length=320)
    role = Varchar(length=32)
    token_hash = Varchar(length=64, unique=True, index=True)  # sha256 of the token in the link
    invited_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    expires_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class AuditEntry(Table, tablename="audit_log"):
    """Who changed what, when, from what to what; refusals that matter are recorded too."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=True, on_delete=OnDelete.cascade, index=True)
    district_id = ForeignKey(District, null=True, on_delete=OnDelete.cascade, index=True)
    actor_id = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    actor_email = Varchar(length=320, null=True, default=None)
    action = Varchar(length=60)
    outcome = Varchar(length=20, default="ok")  # ok | refused
    before = JSON(default={})
    after = JSON(default={})
    reason = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class UsageEvent(Table, tablename="usage_events"):
    """One billable or countable thing a school used: a document, a page, an OCR or LLM call."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    job_id = UUID(null=True, default=None)
    kind = Varchar(length=30)  # document | page | ocr_call | llm_call | review
    engine = Varchar(length=60, null=True, default=None)
    quantity = Integer(default=1)
    cost_usd = Float(default=0.0)
    idempotency_key = Varchar(length=200, unique=True)  # one event per job and kind, however often sent
    reported_at = Timestamptz(null=True, default=None)  # when Stripe was told
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class RefreshToken(Table, tablename="refresh_tokens"):
    """A session: owned by its user (district and platform admins have no school)."""

    id = UUID(primary_key=True)  # the token's jti
    tenant_id = ForeignKey(Tenant, null=True, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Document(Table, tablename="documents"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    filename = Varchar(length=255)
    content_type = Varchar(length=120)
    kind = Varchar(length=20, null=True, default=None)  # pdf_text | pdf_scan | docx | image
    content_hash = Varchar(length=64, index=True)  # sha256 hex
    size = Integer()
    storage_key = Varchar(length=500)
    pages = Integer(null=True, default=None)
    status = Varchar(length=20, default="uploaded")  # uploaded | processing | processed | review | failed
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Job(Table, tablename="jobs"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    document_id = ForeignKey(Document, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade)
    status = Varchar(
        length=20, default="queued", index=True
    )  # queued | running | completed | failed | review
    stage = Varchar(length=20, default="queued")
    attempts = Integer(default=0)
    error = Text(null=True, default=None)
    # Why a failed job failed, for clients to act on: "not_a_timetable" (see core.engines), else None.
    error_code = Varchar(length=40, null=True, default=None)
    confidence = Float(null=True, default=None)
    route = Varchar(length=20, null=True, default=None)
    engine = Varchar(length=60, null=True, default=None)
    timetable_id = UUID(null=True, default=None)
    warnings = JSON(default=[])
    # Each escalation decision: step, engine, confidence before and after, what was kept and why.
    decisions = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


class StageResult(Table, tablename="stage_results"):
    """What a stage produced for a document: its key makes each stage idempotent on redelivery."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    document_id = ForeignKey(Document, null=False, on_delete=OnDelete.cascade, index=True)
    stage = Varchar(length=20)
    payload = JSON()
    created_at = Timestamptz(default=TimestamptzNow())


class Timetable(Table, tablename="timetables"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    document_id = ForeignKey(Document, null=True, on_delete=OnDelete.set_null, index=True)
    name = Varchar(length=200, default="")
    teacher = Varchar(length=200, null=True, default=None)
    class_name = Varchar(length=200, null=True, default=None)
    term = Varchar(length=100, null=True, default=None)
    year = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # Deleted by its owner: hidden until restored, purged 30 days later (core/timetables/service.py).
    deleted_at = Timestamptz(null=True, default=None)
    # When the owner picked it as their current timetable (migration 2026_12_07_owned_timetables).
    chosen_at = Timestamptz(null=True, default=None)
    # How the lessons repeat (core/timetables/rotation.py): weekly, two_week or cycle, with the
    # week names or cycle days in order (migration 2026_12_07_rotating_timetables).
    rotation = Varchar(length=10, default="weekly")
    rotation_labels = JSON(default=[])


class Timeblock(Table, tablename="timeblocks"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    timetable_id = ForeignKey(Timetable, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    day = Varchar(length=10)  # Monday … Sunday, or a cycle day ("Day 3") on a cycle timetable
    week = Varchar(length=20, null=True, default=None)  # its week on a two-week timetable
    start_time = Varchar(length=5)  # HH:MM, 24-hour
    end_time = Varchar(length=5)
    duration = Integer()  # minutes
    notes = Text(null=True, default=None)
    color = Varchar(length=9, null=True, default=None)
    page = Integer(default=1)
    confidence = Float(null=True, default=None)  # how sure the reading was of this block
    created_at = Timestamptz(default=TimestamptzNow())


def decode_json(value: Any) -> Any:
    """A JSON column's value: Piccolo hands back the raw JSON text on some databases."""
    return json.loads(value) if isinstance(value, str | bytes) and value else value


def json_list(value: Any) -> list[Any]:
    return list(decode_json(value) or [])


def json_dict(value: Any) -> dict[str, Any]:
    return dict(decode_json(value) or {})


class Review(Table, tablename="reviews"):
    """A document a person must check: the draft waits here until a reviewer corrects it."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    job_id = ForeignKey(Job, null=False, on_delete=OnDelete.cascade, index=True)
    document_id = ForeignKey(Document, null=False, on_delete=OnDelete.cascade)
    reason = Text()
    confidence = Float(null=True, default=None)
    status = Varchar(length=20, default="open", index=True)  # open | done
    reviewer_id = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    reviewed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class SubjectTerm(Table, tablename="subject_terms"):
    """A subject name a school uses, learnt from its reviewers' corrections."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    term = Varchar(length=200, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


TABLES: list[type[Table]] = [
    District,
    Tenant,
    User,
    Invite,
    AuditEntry,
    UsageEvent,
    RefreshToken,
    Document,
    Job,
    StageResult,
    Timetable,
    Timeblock,
    Review,
    SubjectTerm,
]
