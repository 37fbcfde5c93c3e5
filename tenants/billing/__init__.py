"""Billing with Stripe: plans and quotas, Checkout subscriptions, metered usage, webhooks.

The contract for the rest of the app:
- ``install()``: called once by each composition root (core/app.py, core/worker.py). It adds the
  quota to the product's upload checks (core/uploads/gate.py: a 402 when a school may not upload
  now, over its monthly quota or payment late past its grace; nothing when billing is off) and
  reports each new billed usage event (core/usage.py) to Stripe.
- ``report_pending_usage(settings=None)``: send unreported metered usage to Stripe, once.
- ``BillingController``: ``/billing`` routes to mount under the API router.
"""

from typing import TYPE_CHECKING, Any

# Declared on import: a worker that loads billing knows its report actor.
from core.uploads.gate import add_upload_check, check_upload_allowed
from core.usage import record_usage, when_recorded
from tenants.billing import actors as _actors  # noqa: F401
from tenants.billing.quota import check_quota
from tenants.billing.usage import report_pending_usage, schedule_report

if TYPE_CHECKING:
    from tenants.billing.api import BillingController


def __getattr__(name: str) -> Any:
    # The routes (and the Stripe SDK behind Checkout) load when the app asks for them: a worker
    # imports billing for its report actor and never serves them.
    if name == "BillingController":
        from tenants.billing.api import BillingController

        return BillingController
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def install() -> None:
    add_upload_check(check_quota)
    when_recorded(schedule_report)


__all__ = [
    "BillingController",
    "check_upload_allowed",
    "install",
    "record_usage",
    "report_pending_usage",
]
