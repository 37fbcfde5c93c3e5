"""The upload gate: a school over its plan's quota, or late with payment past its grace, gets 402."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from core.db.scoping import TenantScope
from core.db.tables import Document, UsageEvent
from core.errors import DomainError
from core.settings import Settings
from tenants.billing.config import billing_enabled, billing_url, current
from tenants.billing.plans import Decision, decide_upload, month_start
from tenants.billing.store import load_school

DOCUMENT = "document"
LLM_CALL = "llm_call"
# Uploaded but not yet counted: a usage event is recorded when processing finishes.
IN_FLIGHT = ("uploaded", "queued", "processing")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def used_this_month(tenant_id: UUID | str, kind: str = DOCUMENT, at: dt.datetime | None = None) -> int:
    """How many of ``kind`` the school used since the 1st of this month (UTC)."""
    scope = TenantScope(tenant_id)
    rows = await scope.select(UsageEvent, UsageEvent.quantity).where(
        (UsageEvent.kind == kind) & (UsageEvent.created_at >= month_start(at or now()))
    )
    return sum(row["quantity"] or 0 for row in rows)


async def documents_in_flight(tenant_id: UUID | str) -> int:
    """Documents still being processed. They count against the quota already, so a school one
    document short of its quota cannot upload fifty at once."""
    return await TenantScope(tenant_id).count(Document).where(Document.status.is_in(list(IN_FLIGHT)))


async def upload_decision(tenant_id: UUID | str, settings: Settings | None = None) -> Decision:
    settings = current(settings)
    school = await load_school(tenant_id)
    if school is None:
        raise DomainError(404, "not_found", "Your school was not found. Sign in again.")
    at = now()
    return decide_upload(
        plan=school.plan,
        status=school.subscription_status,
        grace_until=school.billing_grace_until,
        used_this_month=await used_this_month(school.id, DOCUMENT, at) + await documents_in_flight(school.id),
        now=at,
        billing_url=billing_url(settings),
    )


async def check_quota(tenant_id: UUID | str, settings: Settings | None = None) -> None:
    """Raise DomainError(402) when the school may not upload now; return when it may.

    With billing off (no Stripe key: a self-hosted install) no quota applies.
    """
    if not billing_enabled(settings):
        return
    decision = await upload_decision(tenant_id, settings)
    if not decision.allowed:
        raise DomainError(402, decision.code or "payment_required", decision.message or "Uploads are paused.")
