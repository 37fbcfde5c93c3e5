"""Billing with Stripe: plans and quotas, Checkout subscriptions, metered usage, webhooks.

The contract for the rest of the app:
- ``check_upload_allowed(tenant_id, settings=None)``: raises ApiError(402) when a school may not
  upload now (over its monthly quota, or payment late past its grace). No-op when billing is off.
- ``record_usage(tenant_id, job_id, kind, quantity=1, engine=None, cost_usd=0.0)``: once per job
  and kind, however often it is called.
- ``report_pending_usage(settings=None)``: send unreported metered usage to Stripe, once.
- ``BillingController``: ``/billing`` routes to mount under the API router.
"""

# Declared on import: a worker that runs the pipeline (which records usage) knows this actor too.
from tenants.billing import actors as _actors  # noqa: F401
from tenants.billing.api import BillingController
from tenants.billing.quota import check_upload_allowed
from tenants.billing.usage import record_usage, report_pending_usage

__all__ = ["BillingController", "check_upload_allowed", "record_usage", "report_pending_usage"]
