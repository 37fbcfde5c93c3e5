"""Job history: each escalation decision a job recorded, so an admin can see why a document went
where it went (accepted, a second OCR, the LLM, or a person)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from core.db.scoping import TenantScope
from core.db.tables import Document, Job, json_list

RECENT_JOBS = 15


@dataclass(frozen=True)
class Decision:
    step: str
    engine: str
    before: str
    after: str
    kept: str
    reason: str
    at: str


@dataclass(frozen=True)
class JobHistory:
    id: UUID
    filename: str
    status: str
    route: str
    confidence: str
    created: str
    decisions: list[Decision]


def _score(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, int | float) else "—"


def _text(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def decisions_of(job: Job | dict[str, Any]) -> list[Decision]:
    raw = job["decisions"] if isinstance(job, dict) else job.decisions
    return [
        Decision(
            step=_text(d.get("step")),
            engine=_text(d.get("engine")),
            before=_score(d.get("confidenceBefore")),
            after=_score(d.get("confidenceAfter")),
            kept=_text(d.get("kept")),
            reason=_text(d.get("reason")),
            at=_text(d.get("at"))[:19].replace("T", " "),
        )
        for d in json_list(raw)
        if isinstance(d, dict)
    ]


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


async def recent_jobs(school_id: UUID, limit: int = RECENT_JOBS) -> list[JobHistory]:
    """The school's latest jobs, newest first, each with its decisions."""
    scope = TenantScope(school_id)
    jobs = await (
        scope.select(
            Job,
            Job.id,
            Job.document_id,
            Job.status,
            Job.error_code,
            Job.route,
            Job.confidence,
            Job.created_at,
            Job.decisions,
        )
        .order_by(Job.created_at, ascending=False)
        .limit(limit)
    )
    ids = [j["document_id"] for j in jobs]
    names = {
        d["id"]: d["filename"]
        for d in (
            await scope.select(Document, Document.id, Document.filename).where(Document.id.is_in(ids))
            if ids
            else []
        )
    }
    return [
        JobHistory(
            id=j["id"],
            filename=names.get(j["document_id"], ""),
            # A file with no lessons failed for good: the console says why, as the app does.
            status="failed: not a timetable" if j["error_code"] == "not_a_timetable" else j["status"],
            route=_text(j["route"]),
            confidence=_score(j["confidence"]),
            created=_when(j["created_at"]),
            decisions=decisions_of(j),
        )
        for j in jobs
    ]
