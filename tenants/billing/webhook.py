"""Stripe webhooks: verify the signature, then bring the school's billing state up to date.

Forged, unsigned and stale payloads (older than Stripe's default 5-minute tolerance, which is the
replay protection) are refused before anything is read. A genuine event delivered again is
recognised by its id, kept in the audit log (action ``stripe_event``, reason = event id), and
changes nothing more.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from typing import Any

from piccolo.engine.sqlite import TransactionType

from core.api.errors import ApiError
from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import AuditEntry, Tenant
from tenants.billing.plans import ENDED, FREE, PAID_PLANS, PLANS, plan_for
from tenants.billing.store import (
    STRIPE_EVENT,
    as_uuid,
    audit,
    billing_state,
    event_processed,
    load_school,
    school_by_customer,
)

log = logging.getLogger(__name__)
PLAN_BY_LOOKUP_KEY = {plan.price_lookup_key: plan.name for plan in PLANS.values() if plan.price_lookup_key}
HANDLED = (
    "checkout.session.completed",
    "invoice.paid",
    "invoice.payment_failed",
    "customer.subscription.updated",
    "customer.subscription.deleted",
)


def verify(payload: bytes, signature: str | None, secret: str) -> dict[str, Any]:
    """The event, once its signature and timestamp check out; ApiError(400) otherwise."""
    import stripe  # with the first webhook, not with every `serve` start

    try:
        # Stripe's default tolerance (300 s), passed explicitly: verify_header alone checks no
        # age at all. An old, replayed delivery is refused like a forged one.
        tolerance = stripe.Webhook.DEFAULT_TOLERANCE
        stripe.WebhookSignature.verify_header(payload, signature, secret, tolerance=tolerance)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as exc:
        log.warning("refused a Stripe webhook: %s", exc)
        raise ApiError(
            400,
            "invalid_signature",
            "The Stripe-Signature header is missing, wrong or too old. Only Stripe can call this "
            "endpoint; check the webhook signing secret (TIMETABLER_STRIPE_WEBHOOK_SECRET).",
        ) from exc
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not event.get("type"):
        raise ApiError(400, "invalid_event", "The payload is not a Stripe event.")
    return event


def _id(value: Any) -> str | None:
    """An object's id, whether Stripe sent the id or the expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def _customer(obj: dict[str, Any]) -> str | None:
    return _id(obj.get("customer"))


def _invoice_subscription(invoice: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The subscription an invoice bills, and its metadata (older API versions: top level;
    2025 and later: under parent.subscription_details)."""
    details = (
        (invoice.get("parent") or {}).get("subscription_details") or invoice.get("subscription_details") or {}
    )
    subscription = _id(invoice.get("subscription") or details.get("subscription"))
    return subscription, details.get("metadata") or {}


def _subscription_plan(subscription: dict[str, Any]) -> str | None:
    for item in (subscription.get("items") or {}).get("data") or []:
        plan = PLAN_BY_LOOKUP_KEY.get(((item or {}).get("price") or {}).get("lookup_key"))
        if plan:
            return plan
    plan = (subscription.get("metadata") or {}).get("plan")
    return plan if plan in PAID_PLANS else None


async def _find_school(customer: str | None, tenant_hint: Any) -> Tenant | None:
    """The school by its Stripe customer; failing that, by the school id we put in the metadata,
    as long as that school has no other customer."""
    if customer:
        school = await school_by_customer(customer)
        if school is not None:
            return school
    school = await load_school(tenant_hint) if as_uuid(tenant_hint) else None
    if school is not None and school.stripe_customer_id not in (None, customer):
        log.warning("Stripe customer %s does not belong to school %s; ignoring", customer, school.id)
        return None
    return school


def _grace(school: Tenant, plan: str, since: dt.datetime) -> dt.datetime | None:
    """Grace starts at the first failed payment and is not extended by later failures or by a
    repeated event (it counts from the event's time, not from when we received it)."""
    if school.subscription_status == "past_due" and school.billing_grace_until is not None:
        return school.billing_grace_until
    days = plan_for(plan).grace_days
    return since + dt.timedelta(days=days) if days else None


def _changes(event: dict[str, Any], school: Tenant) -> dict[str, Any]:
    """The billing fields this event sets on the school (empty: nothing to change)."""
    kind, obj = event["type"], event["data"]["object"]
    created = dt.datetime.fromtimestamp(int(event.get("created") or time.time()), dt.UTC)
    if kind == "checkout.session.completed":
        if obj.get("mode") != "subscription":
            return {}
        plan = (obj.get("metadata") or {}).get("plan")
        paid = obj.get("payment_status") in ("paid", "no_payment_required")
        return {
            "plan": plan if plan in PAID_PLANS else school.plan,
            "stripe_customer_id": _customer(obj) or school.stripe_customer_id,
            "stripe_subscription_id": _id(obj.get("subscription")),
            "subscription_status": "active" if paid else "incomplete",
            "billing_grace_until": None,
        }
    if kind in ("invoice.paid", "invoice.payment_failed"):
        subscription, _ = _invoice_subscription(obj)
        if subscription and school.stripe_subscription_id not in (None, subscription):
            return {}  # an invoice of an older subscription
        if kind == "invoice.paid":
            return {"subscription_status": "active", "billing_grace_until": None}
        return {
            "subscription_status": "past_due",
            "billing_grace_until": _grace(school, school.plan, created),
        }
    if kind.startswith("customer.subscription."):
        if school.stripe_subscription_id not in (None, obj.get("id")):
            return {}  # about a subscription the school no longer has
        status = obj.get("status")
        if kind == "customer.subscription.deleted" or status in ENDED:
            return {
                "plan": FREE,
                "stripe_subscription_id": None,
                "subscription_status": status or "canceled",
                "billing_grace_until": None,
            }
        plan = _subscription_plan(obj) or school.plan
        changes: dict[str, Any] = {
            "plan": plan,
            "stripe_subscription_id": obj.get("id"),
            "subscription_status": status,
        }
        if status in ("active", "trialing"):
            changes["billing_grace_until"] = None
        elif status == "past_due":
            changes["billing_grace_until"] = _grace(school, plan, created)
        return changes
    return {}


def _school_hint(event: dict[str, Any]) -> tuple[str | None, Any]:
    obj = event["data"]["object"]
    if event["type"] == "checkout.session.completed":
        return _customer(obj), obj.get("client_reference_id")
    if event["type"].startswith("invoice."):
        return _customer(obj), _invoice_subscription(obj)[1].get("tenant_id")
    return _customer(obj), (obj.get("metadata") or {}).get("tenant_id")


def _transaction() -> Any:
    db = Tenant._meta.db
    if db.engine_type == "sqlite":
        # Take the write lock up front: two deliveries of one event run one after the other.
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


async def handle_event(event: dict[str, Any]) -> str:
    """Apply a verified event once. Returns what happened: applied | duplicate | ignored."""
    event_id, kind = event["id"], event["type"]
    if kind not in HANDLED:
        return "ignored"
    if not isinstance((event.get("data") or {}).get("object"), dict):
        raise ApiError(400, "invalid_event", "The event has no data.object.")
    # An event belongs to no school until matched, so its lookups span schools. Called before the
    # transaction opens: on PostgreSQL this also lifts row security for this task, and a
    # transaction keeps the setting it began with.
    unscoped_query_across_all_tenants(AuditEntry)
    async with _transaction():
        school = await _find_school(*_school_hint(event))
        if school is not None and Tenant._meta.db.engine_type != "sqlite":
            # Serialise deliveries per school, then check for a repeat under the lock.
            school = await Tenant.objects().where(Tenant.id == school.id).lock_rows().first()
        if await event_processed(event_id):
            return "duplicate"
        if school is None:
            log.warning("Stripe event %s (%s) matches no school; recorded and ignored", event_id, kind)
            await audit(
                STRIPE_EVENT, tenant_id=None, after={"event": kind, "matched": False}, reason=event_id
            )
            return "ignored"
        before = billing_state(school)
        changes = _changes(event, school)
        if changes:
            await Tenant.update({getattr(Tenant, field): value for field, value in changes.items()}).where(
                Tenant.id == school.id
            )
            for field, value in changes.items():
                setattr(school, field, value)
        after = billing_state(school)
        changed = {field: before[field] for field in before if before[field] != after[field]}
        await audit(
            STRIPE_EVENT,
            tenant_id=school.id,
            actor_email="stripe",
            before=changed,
            after={"event": kind, **{field: after[field] for field in changed}},
            reason=event_id,
        )
    return "applied"
