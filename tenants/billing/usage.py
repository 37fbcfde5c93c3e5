"""Metered usage reported to Stripe Billing Meters once (core/usage.py records it, once per job
and kind). ``report_pending_usage`` sends each unreported event with that key as Stripe's ``identifier`` and
as the request's Idempotency-Key, so a crash between Stripe's answer and ``reported_at`` being
saved cannot bill twice either.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any
from uuid import UUID

import anyio
import dramatiq

from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import Tenant, UsageEvent
from core.jobs.broker import broker
from core.settings import Settings
from tenants.billing.config import billing_enabled, current, stripe_client
from tenants.billing.plans import PAID_PLANS
from tenants.billing.quota import now

if TYPE_CHECKING:  # the SDK loads with the first report sent, not with every worker start
    import stripe

log = logging.getLogger(__name__)

# Usage kinds billed through a Stripe meter, by the meter's event name. Other kinds (pages, OCR
# calls) are counted for the admin console but not billed.
METERS = {"document": "timetabler_documents", "llm_call": "timetabler_llm_calls"}
# Stripe refuses meter events older than 35 days; older ones are left alone (never billed).
METER_WINDOW = dt.timedelta(days=35)
BATCH = 500
# The report actor (tenants/billing/actors.py), sent by name so this module need not import it.
QUEUE = "billing"  # its own queue: a slow Stripe never holds up document stages
REPORT_ACTOR = "billing_report_usage"


def schedule_report(tenant_id: UUID | str, kind: str) -> None:
    """Ask a worker to report this school's usage now (the row is committed: no transaction here).

    A failed report is retried by the actor, and whatever is still unreported goes with the school's
    next report; a lost message only delays billing, so it never fails the caller's job.
    """
    if kind not in METERS or not billing_enabled():
        return
    message = dramatiq.Message(
        queue_name=QUEUE, actor_name=REPORT_ACTOR, args=(str(tenant_id),), kwargs={}, options={}
    )
    try:
        broker.enqueue(message)
    except Exception:
        log.exception("could not queue the usage report of school %s", tenant_id)


def _already_sent(exc: stripe.StripeError) -> bool:
    """Stripe enforces identifier uniqueness; a refusal for a repeated identifier means it has the
    event already, which is what we wanted."""
    message = str(getattr(exc, "user_message", None) or exc).lower()
    return "identifier" in message and ("already" in message or "duplicate" in message)


def _send(client: stripe.StripeClient, customer: str, row: dict[str, Any]) -> None:
    created: dt.datetime = row["created_at"]
    client.v1.billing.meter_events.create(
        params={
            "event_name": METERS[row["kind"]],
            "payload": {"stripe_customer_id": customer, "value": str(row["quantity"])},
            "identifier": row["idempotency_key"],
            "timestamp": int(created.timestamp()),
        },
        options={"idempotency_key": f"meter-{row['idempotency_key']}"},
    )


async def report_pending_usage(settings: Settings | None = None, tenant_id: UUID | str | None = None) -> int:
    """Send every unreported metered event of paying schools (or of one school) to Stripe; returns
    how many were sent.

    Safe to run often and concurrently: each event carries its own identifier, so Stripe counts it
    once. Events of schools without a Stripe customer or on the free plan stay unreported. A school
    whose report fails keeps its events for the next run.
    """
    sent, _failed = await report_usage_of(current(settings), tenant_id)
    return sent


async def report_usage_of(settings: Settings, tenant_id: UUID | str | None) -> tuple[int, int]:
    """(events sent, schools whose report failed)."""
    if not billing_enabled(settings):
        return 0, 0
    import stripe

    tenants = unscoped_query_across_all_tenants(Tenant)  # platform work: reporting spans every school
    paying = tenants.stripe_customer_id.is_not_null() & tenants.plan.is_in(list(PAID_PLANS))
    if tenant_id is not None:
        paying &= tenants.id == UUID(str(tenant_id))
    schools = await tenants.select(tenants.id, tenants.stripe_customer_id).where(paying)
    client = stripe_client(settings)
    sent = failed = 0
    for school in schools:
        scope = TenantScope(school["id"])
        rows = (
            await scope.select(
                UsageEvent,
                UsageEvent.id,
                UsageEvent.kind,
                UsageEvent.quantity,
                UsageEvent.idempotency_key,
                UsageEvent.created_at,
            )
            .where(
                UsageEvent.reported_at.is_null()
                & UsageEvent.kind.is_in(list(METERS))
                & (UsageEvent.created_at >= now() - METER_WINDOW)
            )
            .order_by(UsageEvent.created_at)
            .limit(BATCH)
        )
        for row in rows:
            try:
                await anyio.to_thread.run_sync(_send, client, school["stripe_customer_id"], row)
            except stripe.StripeError as exc:
                if not _already_sent(exc):
                    # Left unreported: the next run tries again. Stop this school on the first
                    # error (a missing customer fails every event alike).
                    log.warning("usage report for school %s stopped: %s", school["id"], exc)
                    failed += 1
                    break
            await scope.update(UsageEvent, {UsageEvent.reported_at: now()}).where(UsageEvent.id == row["id"])
            sent += 1
    if sent:
        log.info("reported %d usage events to Stripe", sent)
    return sent, failed
