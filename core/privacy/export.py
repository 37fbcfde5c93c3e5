"""A person's data as one JSON document (the right of access): who they are, what they uploaded
(with links to the originals), their timetables with every lesson, their jobs, their preferences
and the audit entries by or about them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from uuid import UUID

from core.auth import CurrentUser
from core.calendar.tables import CalendarFeed
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import AuditEntry, Document, Job, Timeblock, Timetable, json_dict, json_list
from core.notifications.tables import NotificationPreference, PushSubscription

FORMAT_VERSION = 1


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


async def _audit_about(user: CurrentUser) -> list[dict[str, Any]]:
    audit = unscoped_query_across_all_tenants(AuditEntry)  # filtered to this person below
    rows = await audit.select().where(
        (audit.actor_id == user.id) | (audit.tenant_id == user.tenant_id)
        if user.tenant_id
        else (audit.actor_id == user.id)
    )
    mine = []
    for row in rows:
        text = json.dumps([row["before"], row["after"]], default=str)
        if row["actor_id"] != user.id and str(user.id) not in text and user.email not in text:
            continue
        mine.append(
            {
                "action": row["action"],
                "outcome": row["outcome"],
                "byYou": row["actor_id"] == user.id,
                "before": json_dict(row["before"]),
                "after": json_dict(row["after"]),
                "reason": row["reason"],
                "createdAt": _iso(row["created_at"]),
            }
        )
    return sorted(mine, key=lambda entry: entry["createdAt"] or "")


async def _school_data(user: CurrentUser, api_url: str) -> dict[str, Any]:
    scope = TenantScope(user.tenant_id)
    documents = await scope.select(Document).where(Document.user_id == user.id).order_by(Document.created_at)
    jobs = await scope.select(Job).where(Job.user_id == user.id).order_by(Job.created_at)
    timetables = (
        await scope.select(Timetable).where(Timetable.user_id == user.id).order_by(Timetable.created_at)
    )
    ids = [t["id"] for t in timetables]
    blocks = await scope.select(Timeblock).where(Timeblock.timetable_id.is_in(ids)) if ids else []
    by_timetable: dict[UUID, list[dict[str, Any]]] = {}
    for b in blocks:
        by_timetable.setdefault(b["timetable_id"], []).append(
            {
                "id": str(b["id"]),
                "day": b["day"],
                "startTime": b["start_time"],
                "endTime": b["end_time"],
                "name": b["name"],
                "notes": b["notes"],
                "duration": b["duration"],
                "confidence": b["confidence"],
            }
        )
    preference = await scope.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    pushes = await scope.select(PushSubscription).where(PushSubscription.user_id == user.id)
    feed = await scope.select(CalendarFeed).where(CalendarFeed.user_id == user.id)
    prefs = preference[0] if preference else {"email": True, "push": True, "in_app": True}
    return {
        "documents": [
            {
                "id": str(d["id"]),
                "filename": d["filename"],
                "contentType": d["content_type"],
                "size": d["size"],
                "pages": d["pages"],
                "status": d["status"],
                "createdAt": _iso(d["created_at"]),
                "downloadUrl": f"{api_url}/documents/{d['id']}/file",
            }
            for d in documents
        ],
        "timetables": [
            {
                "id": str(t["id"]),
                "name": t["name"],
                "teacher": t["teacher"],
                "className": t["class_name"],
                "documentId": str(t["document_id"]) if t["document_id"] else None,
                "createdAt": _iso(t["created_at"]),
                "updatedAt": _iso(t["updated_at"]),
                # Deleted ones are still held (restorable) for 30 days, so they are exported too.
                "deletedAt": _iso(t["deleted_at"]),
                "timeblocks": by_timetable.get(t["id"], []),
            }
            for t in timetables
        ],
        "jobs": [
            {
                "id": str(j["id"]),
                "documentId": str(j["document_id"]),
                "status": j["status"],
                "stage": j["stage"],
                "confidence": j["confidence"],
                "route": j["route"],
                "error": j["error"],
                "timetableId": str(j["timetable_id"]) if j["timetable_id"] else None,
                "warnings": json_list(j["warnings"]),
                "createdAt": _iso(j["created_at"]),
                "finishedAt": _iso(j["finished_at"]),
            }
            for j in jobs
        ],
        "preferences": {
            "notifications": {"email": prefs["email"], "push": prefs["push"], "inApp": prefs["in_app"]},
            "pushSubscriptions": [
                {"endpoint": p["endpoint"], "createdAt": _iso(p["created_at"])} for p in pushes
            ],
            "calendarFeed": {
                "active": bool(feed),
                "createdAt": _iso(feed[0]["created_at"]) if feed else None,
            },
        },
    }


async def export_user(user: CurrentUser, *, api_url: str, school_name: str | None) -> dict[str, Any]:
    empty: dict[str, Any] = {"documents": [], "timetables": [], "jobs": [], "preferences": {}}
    data = await _school_data(user, api_url) if user.tenant_id else empty
    return {
        "formatVersion": FORMAT_VERSION,
        "exportedAt": dt.datetime.now(dt.UTC).isoformat(),
        "profile": {
            "id": str(user.id),
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "schoolId": str(user.tenant_id) if user.tenant_id else None,
            "school": school_name,
            "districtId": str(user.district_id) if user.district_id else None,
        },
        **data,
        "audit": await _audit_about(user),
    }
