"""Reading and writing a school's billing state, and the audit entries billing leaves behind."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import AuditEntry, Tenant

BILLING_FIELDS = (
    "plan",
    "stripe_customer_id",
    "stripe_subscription_id",
    "subscription_status",
    "billing_grace_until",
)
STRIPE_EVENT = "stripe_event"  # AuditEntry.action of a processed webhook event; reason = event id


def as_uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except (TypeError, ValueError):
        return None


async def load_school(tenant_id: UUID | str) -> Tenant | None:
    """A school by its own id: the row is the tenant, so the id is the scope."""
    key = as_uuid(tenant_id)
    if key is None:
        return None
    return await Tenant.objects().where(Tenant.id == key).first()


async def school_by_customer(customer_id: str) -> Tenant | None:
    # Loud on purpose: a webhook knows only Stripe's customer id, never the school.
    tenants = unscoped_query_across_all_tenants(Tenant)
    return await tenants.objects().where(tenants.stripe_customer_id == customer_id).first()


def billing_state(school: Tenant) -> dict[str, Any]:
    state = {field: getattr(school, field) for field in BILLING_FIELDS}
    grace = state["billing_grace_until"]
    state["billing_grace_until"] = grace.isoformat() if isinstance(grace, dt.datetime) else grace
    return state


async def event_processed(event_id: str) -> bool:
    # The event arrives before we know its school, so the lookup spans tenants.
    audit = unscoped_query_across_all_tenants(AuditEntry)
    return bool(await audit.exists().where((audit.action == STRIPE_EVENT) & (audit.reason == event_id)))


async def audit(
    action: str,
    *,
    tenant_id: UUID | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    outcome: str = "ok",
    actor_id: UUID | None = None,
    actor_email: str | None = None,
) -> None:
    await AuditEntry(
        tenant_id=tenant_id,
        actor_id=actor_id,
        actor_email=actor_email,
        action=action,
        outcome=outcome,
        before=before or {},
        after=after or {},
        reason=reason,
    ).save()
