"""What each school's jobs used: documents read, pages, OCR and LLM calls, with their cost.

Recorded once per job and kind: job delivery is at least once, so ``record_usage`` may run twice for
the same job, and the idempotency key ``{job_id}:{kind}`` (unique in the table) turns the second
insert into a no-op. The product reads these rows for spend caps and the console's reports; billing
(tenants/billing) listens for new ones to report them to Stripe (`when_recorded`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from core.db.scoping import TenantScope
from core.db.tables import UsageEvent

log = logging.getLogger(__name__)

# Called with (tenant_id, kind) after a new usage row is committed; set by the composition roots.
Listener = Callable[[UUID | str, str], None]
_listeners: list[Listener] = []


def when_recorded(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def usage_key(job_id: UUID | str, kind: str) -> str:
    return f"{job_id}:{kind}"


async def record_usage(
    tenant_id: UUID | str,
    job_id: UUID | str,
    kind: str,
    quantity: int = 1,
    engine: str | None = None,
    cost_usd: float = 0.0,
) -> bool:
    """Record that a school's job used ``quantity`` of ``kind``. Returns False when it was already
    recorded (a redelivered job): the first record stands and nothing is counted twice."""
    row = TenantScope(tenant_id).insert(
        UsageEvent,
        job_id=UUID(str(job_id)),
        kind=kind,
        engine=engine,
        quantity=quantity,
        cost_usd=cost_usd,
        idempotency_key=usage_key(job_id, kind),
    )
    inserted = (
        await UsageEvent.insert(row)
        .on_conflict(target=UsageEvent.idempotency_key, action="DO NOTHING")
        .returning(UsageEvent.id)
    )
    if inserted:
        for listener in _listeners:
            try:
                listener(tenant_id, kind)
            except Exception:  # a listener (billing) must never fail the job that used something
                log.exception("a usage listener failed for school %s", tenant_id)
    return bool(inserted)
