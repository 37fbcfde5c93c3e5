"""The Dramatiq actor that reports metered usage. Send it on a schedule (e.g. every few minutes);
repeated and concurrent runs are safe, each event reaches Stripe once."""

from __future__ import annotations

import dramatiq

from core.jobs import broker as _broker  # noqa: F401  (sets the broker before the actor is declared)
from tenants.billing.usage import report_pending_usage


@dramatiq.actor(actor_name="billing_report_usage", queue_name="billing", max_retries=3, min_backoff=5000)
async def report_usage() -> None:
    await report_pending_usage()
