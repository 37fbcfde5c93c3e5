"""The Dramatiq actor that reports metered usage to Stripe.

``schedule_report`` (tenants/billing/usage.py) sends it by name for the school whenever a billed
event is recorded; sending it without a school (e.g. from a scheduler, every few minutes) sweeps
every paying school. Repeated and concurrent runs are safe: each event reaches Stripe once.
"""

from __future__ import annotations

import dramatiq

from core.jobs import broker as _broker  # noqa: F401  (sets the broker before the actor is declared)
from core.settings import get_settings
from tenants.billing.usage import QUEUE, REPORT_ACTOR, report_usage_of


@dramatiq.actor(actor_name=REPORT_ACTOR, queue_name=QUEUE, max_retries=3, min_backoff=5000)
async def report_usage(tenant_id: str | None = None) -> None:
    _sent, failed = await report_usage_of(get_settings(), tenant_id)
    if failed:
        # Raising makes Dramatiq retry with backoff; what was sent stays sent.
        raise RuntimeError(f"the usage report of {failed} school(s) failed; retrying")
