"""The Dramatiq actor that reports metered usage to Stripe.

``record_usage`` sends it for the school whenever a billed event is recorded; sending it without a
school (e.g. from a scheduler, every few minutes) sweeps every paying school. Repeated and
concurrent runs are safe: each event reaches Stripe once.
"""

from __future__ import annotations

import dramatiq

from core.jobs import broker as _broker  # noqa: F401  (sets the broker before the actor is declared)

QUEUE = "billing"  # its own queue: a slow Stripe never holds up document stages


@dramatiq.actor(actor_name="billing_report_usage", queue_name=QUEUE, max_retries=3, min_backoff=5000)
async def report_usage(tenant_id: str | None = None) -> None:
    from core.settings import get_settings
    from tenants.billing.usage import report_usage_of

    _sent, failed = await report_usage_of(get_settings(), tenant_id)
    if failed:
        # Raising makes Dramatiq retry with backoff; what was sent stays sent.
        raise RuntimeError(f"the usage report of {failed} school(s) failed; retrying")
