"""Whether billing is on, and the Stripe client built from the settings.

Billing is off until ``TIMETABLER_STRIPE_API_KEY`` is set (self-hosted installs): then no quota
applies, no Stripe call is made and the billing endpoints say billing is off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.links import public_root
from core.settings import Settings, get_settings

# Stripe's own timeouts and retries: a slow Stripe must not hold a request or a worker for long.
NETWORK_RETRIES = 2
TIMEOUT_SECONDS = 20


def current(settings: Settings | None) -> Settings:
    return settings or get_settings()


def billing_enabled(settings: Settings | None = None) -> bool:
    return bool(current(settings).stripe_api_key)


def billing_url(settings: Settings | None = None) -> str:
    return public_root(current(settings)) + "/admin/billing"


if TYPE_CHECKING:  # the SDK loads with the first Stripe call, not with every worker and CLI start
    import stripe


def stripe_client(settings: Settings) -> stripe.StripeClient:
    """A client for one call site. Built per use: cheap, and no HTTP session outlives its thread."""
    import stripe

    if not settings.stripe_api_key:
        raise RuntimeError("Stripe is not configured: set TIMETABLER_STRIPE_API_KEY")
    base = {"api": settings.stripe_api_base.rstrip("/")} if settings.stripe_api_base else None
    return stripe.StripeClient(
        settings.stripe_api_key,
        base_addresses=base,  # type: ignore[arg-type]
        max_network_retries=NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
    )
