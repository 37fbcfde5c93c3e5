"""A school's billing as its admins see it: plan, usage against the quota this month, and the way to
Stripe (Checkout to choose a plan, the portal to manage it). Used by the API and the console."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from core.db.tables import Tenant
from core.errors import DomainError
from core.settings import Settings
from tenants.billing.checkout import create_checkout, create_portal, ensure_customer
from tenants.billing.config import billing_enabled
from tenants.billing.plans import PAID_PLANS, PLANS, next_month_start, plan_for
from tenants.billing.quota import (
    DOCUMENT,
    LLM_CALL,
    documents_in_flight,
    now,
    upload_decision,
    used_this_month,
)
from tenants.billing.store import audit, billing_state


@dataclass(frozen=True)
class Overview:
    billing_enabled: bool
    plan: str
    plan_title: str
    effective_plan: str
    status: str | None
    grace_until: dt.datetime | None
    quota: int | None  # documents a month; None when billing is off (no quota)
    documents: int  # processed this month
    documents_in_progress: int  # uploaded, not processed yet: they count against the quota too
    llm_calls: int
    month: str  # YYYY-MM, UTC
    resets_on: dt.date
    upload_allowed: bool
    message: str | None
    has_customer: bool
    subscribed: bool  # a live Stripe subscription: change or cancel it in the portal

    @property
    def used(self) -> int:
        return self.documents + self.documents_in_progress


def _subscribed(school: Tenant) -> bool:
    return bool(school.stripe_subscription_id) and school.subscription_status in (
        "active",
        "trialing",
        "past_due",
    )


async def overview(settings: Settings, school: Tenant) -> Overview:
    at = now()
    enabled = billing_enabled(settings)
    decision = await upload_decision(school.id, settings)
    return Overview(
        billing_enabled=enabled,
        plan=school.plan,
        plan_title=plan_for(school.plan).title,
        effective_plan=decision.effective_plan,
        status=school.subscription_status,
        grace_until=school.billing_grace_until,
        quota=decision.quota if enabled else None,
        documents=await used_this_month(school.id, DOCUMENT, at),
        documents_in_progress=await documents_in_flight(school.id),
        llm_calls=await used_this_month(school.id, LLM_CALL, at),
        month=f"{at:%Y-%m}",
        resets_on=next_month_start(at).date(),
        upload_allowed=decision.allowed or not enabled,
        message=decision.message if enabled else None,
        has_customer=bool(school.stripe_customer_id),
        subscribed=_subscribed(school),
    )


def _require_billing(settings: Settings) -> None:
    if not billing_enabled(settings):
        raise DomainError(
            404, "billing_disabled", "Billing is off on this installation: there is nothing to pay."
        )


async def start_checkout(
    settings: Settings, school: Tenant, plan: str, *, actor_id: UUID, actor_email: str
) -> str:
    """The address of a Stripe Checkout page where the school subscribes to ``plan``."""
    _require_billing(settings)
    if plan not in PAID_PLANS:
        raise DomainError(
            400,
            "invalid_plan",
            f"Choose one of: {', '.join(PAID_PLANS)}. To go back to the free plan, cancel the "
            "subscription in the billing portal.",
        )
    if _subscribed(school):
        raise DomainError(
            409,
            "already_subscribed",
            f"Your school already has the {PLANS[school.plan].title} plan. Change or cancel it in "
            "the billing portal.",
        )
    customer = await ensure_customer(settings, school, actor_email)
    url = await create_checkout(settings, school, customer, PLANS[plan])
    await audit(
        "billing_checkout",
        tenant_id=school.id,
        actor_id=actor_id,
        actor_email=actor_email,
        before=billing_state(school),
        after={"requested_plan": plan},
    )
    return url


async def open_portal(settings: Settings, school: Tenant) -> str:
    """The address of the school's Stripe customer portal (card, invoices, change or cancel)."""
    _require_billing(settings)
    if not school.stripe_customer_id:
        raise DomainError(409, "no_subscription", "Your school has no subscription yet. Choose a plan first.")
    return await create_portal(settings, school.stripe_customer_id)
