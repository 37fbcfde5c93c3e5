"""Stripe customers (one per school, made on first need) and Checkout / portal sessions.

The Stripe SDK is synchronous; calls run in a worker thread so the event loop keeps serving.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import anyio

from core.db.tables import Tenant
from core.errors import DomainError
from core.settings import Settings
from tenants.billing.config import billing_url, stripe_client
from tenants.billing.plans import Plan

if TYPE_CHECKING:  # the SDK loads with the first Stripe call, not with every `serve` start
    import stripe

log = logging.getLogger(__name__)


def _unavailable(exc: stripe.StripeError) -> DomainError:
    log.warning("Stripe call failed: %s", exc)
    return DomainError(
        502, "billing_unavailable", "The payment service did not answer as expected. Try again in a minute."
    )


async def ensure_customer(settings: Settings, school: Tenant, email: str | None) -> str:
    """The school's Stripe customer id, creating the customer the first time it is needed."""
    if school.stripe_customer_id:
        return school.stripe_customer_id
    import stripe

    def create() -> Any:
        return stripe_client(settings).v1.customers.create(
            params={
                "name": school.name,
                **({"email": email} if email else {}),
                "metadata": {"tenant_id": str(school.id), "slug": school.slug},
            },
            # One customer per school even when two admins click at once or a request is retried.
            options={"idempotency_key": f"customer-{school.id}"},
        )

    try:
        customer = await anyio.to_thread.run_sync(create)
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc
    # Only set it where still empty: a concurrent request may have stored the same id already.
    await Tenant.update({Tenant.stripe_customer_id: customer.id}).where(
        (Tenant.id == school.id) & Tenant.stripe_customer_id.is_null()
    )
    school.stripe_customer_id = customer.id
    return customer.id


def _line_items(client: stripe.StripeClient, plan: Plan) -> list[dict[str, Any]]:
    keys = [plan.price_lookup_key, *plan.metered_lookup_keys]
    prices = client.v1.prices.list(params={"lookup_keys": keys, "active": True, "limit": 10})
    by_key = {price.lookup_key: price for price in prices.data}
    base = by_key.get(plan.price_lookup_key)
    if base is None:
        raise DomainError(
            503,
            "billing_not_configured",
            f"No active Stripe price has the lookup key '{plan.price_lookup_key}'. The platform "
            "operator must create it in the Stripe dashboard before schools can subscribe.",
        )
    items: list[dict[str, Any]] = [{"price": base.id, "quantity": 1}]
    # Metered prices take no quantity: Stripe bills them from the meter events we send.
    items += [{"price": by_key[key].id} for key in plan.metered_lookup_keys if key in by_key]
    return items


async def create_checkout(settings: Settings, school: Tenant, customer_id: str, plan: Plan) -> str:
    """A Checkout session (mode subscription) for ``plan``; returns the URL to send the admin to."""
    import stripe

    back = billing_url(settings)

    def create() -> Any:
        client = stripe_client(settings)
        metadata = {"tenant_id": str(school.id), "plan": plan.name}
        return client.v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer_id,
                "client_reference_id": str(school.id),
                "line_items": _line_items(client, plan),
                "success_url": f"{back}?checkout=success&session_id={{CHECKOUT_SESSION_ID}}",
                "cancel_url": f"{back}?checkout=cancelled",
                "metadata": metadata,
                # The subscription carries the school too, so its own events can be matched.
                "subscription_data": {"metadata": metadata},
            }
        )

    try:
        session = await anyio.to_thread.run_sync(create)
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc
    return str(session.url)


async def create_portal(settings: Settings, customer_id: str) -> str:
    """A Stripe customer portal session: update the card, see invoices, change or cancel the plan."""
    import stripe

    def create() -> Any:
        return stripe_client(settings).v1.billing_portal.sessions.create(
            params={"customer": customer_id, "return_url": billing_url(settings)}
        )

    try:
        session = await anyio.to_thread.run_sync(create)
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc
    return str(session.url)
