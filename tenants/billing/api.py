"""The billing endpoints: see the plan and usage, subscribe through Checkout, manage the
subscription in Stripe's portal, and receive Stripe's webhooks."""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import JSONBody

from core.api.errors import ApiError
from core.auth import CurrentUser
from core.settings import Settings
from tenants.billing.checkout import create_checkout, create_portal, ensure_customer
from tenants.billing.config import billing_enabled
from tenants.billing.plans import PAID_PLANS, PLANS, next_month_start
from tenants.billing.quota import (
    DOCUMENT,
    LLM_CALL,
    documents_in_flight,
    now,
    upload_decision,
    used_this_month,
)
from tenants.billing.store import audit, billing_state, load_school
from tenants.billing.webhook import handle_event, verify
from tenants.roles import SCHOOL_ADMIN, allow, role_guard


class Schema(msgspec.Struct, rename="camel", kw_only=True):
    pass


class CheckoutIn(Schema):
    plan: str


class UrlOut(Schema):
    url: str


class UsageOut(Schema):
    documents: int  # processed this month
    documents_in_progress: int  # uploaded, not processed yet: they count against the quota too
    llm_calls: int


class BillingOut(Schema):
    billing_enabled: bool
    plan: str
    effective_plan: str
    status: str | None
    grace_until: dt.datetime | None
    quota: int | None  # documents a month; None when billing is off (no quota)
    usage: UsageOut
    month: str  # YYYY-MM, UTC
    resets_on: dt.date
    upload_allowed: bool
    message: str | None
    has_customer: bool


class WebhookOut(Schema):
    received: bool
    result: str


def _settings(state: State) -> Settings:
    return state.settings


def _require_billing(settings: Settings) -> None:
    if not billing_enabled(settings):
        raise ApiError(
            404, "billing_disabled", "Billing is off on this installation: there is nothing to pay."
        )


async def _school(user: CurrentUser):  # noqa: ANN202 (a Tenant row)
    school = await load_school(user.tenant_id)
    if school is None:
        raise ApiError(404, "not_found", "Your school was not found. Sign in again.")
    return school


class BillingController(Controller):
    path = "/billing"
    tags = ["billing"]
    # The app-wide guard may be registered too; running it twice is harmless, missing it is not.
    guards = [role_guard]

    @get("/", operation_id="getBilling", opt=allow(SCHOOL_ADMIN))
    async def overview(self, request: Request[CurrentUser, dict, State], state: State) -> BillingOut:
        settings = _settings(state)
        user = request.user
        school = await _school(user)
        at = now()
        enabled = billing_enabled(settings)
        decision = await upload_decision(school.id, settings)
        return BillingOut(
            billing_enabled=enabled,
            plan=school.plan,
            effective_plan=decision.effective_plan,
            status=school.subscription_status,
            grace_until=school.billing_grace_until,
            quota=decision.quota if enabled else None,
            usage=UsageOut(
                documents=await used_this_month(school.id, DOCUMENT, at),
                documents_in_progress=await documents_in_flight(school.id),
                llm_calls=await used_this_month(school.id, LLM_CALL, at),
            ),
            month=f"{at:%Y-%m}",
            resets_on=next_month_start(at).date(),
            upload_allowed=decision.allowed or not enabled,
            message=decision.message if enabled else None,
            has_customer=bool(school.stripe_customer_id),
        )

    @post("/checkout", operation_id="createCheckout", status_code=200, opt=allow(SCHOOL_ADMIN))
    async def checkout(
        self, request: Request[CurrentUser, dict, State], state: State, data: JSONBody[CheckoutIn]
    ) -> UrlOut:
        settings = _settings(state)
        _require_billing(settings)
        if data.plan not in PAID_PLANS:
            raise ApiError(
                400,
                "invalid_plan",
                f"Choose one of: {', '.join(PAID_PLANS)}. To go back to the free plan, cancel the "
                "subscription in the billing portal.",
            )
        user = request.user
        school = await _school(user)
        if school.stripe_subscription_id and school.subscription_status in ("active", "trialing", "past_due"):
            raise ApiError(
                409,
                "already_subscribed",
                f"Your school already has the {PLANS[school.plan].title} plan. Change or cancel it in "
                "the billing portal (POST /api/v1/billing/portal).",
            )
        customer = await ensure_customer(settings, school, user.email)
        url = await create_checkout(settings, school, customer, PLANS[data.plan])
        await audit(
            "billing_checkout",
            tenant_id=school.id,
            actor_id=user.id,
            actor_email=user.email,
            before=billing_state(school),
            after={"requested_plan": data.plan},
        )
        return UrlOut(url=url)

    @post("/portal", operation_id="createBillingPortal", status_code=200, opt=allow(SCHOOL_ADMIN))
    async def portal(self, request: Request[CurrentUser, dict, State], state: State) -> UrlOut:
        settings = _settings(state)
        _require_billing(settings)
        school = await _school(request.user)
        if not school.stripe_customer_id:
            raise ApiError(
                409, "no_subscription", "Your school has no subscription yet. Choose a plan first."
            )
        return UrlOut(url=await create_portal(settings, school.stripe_customer_id))

    @post(
        "/webhook",
        operation_id="stripeWebhook",
        status_code=200,
        opt={"exclude_from_auth": True},  # Stripe calls it; the signature is the authentication
        include_in_schema=False,
    )
    async def webhook(self, request: Request, state: State) -> WebhookOut:
        settings = _settings(state)
        if not billing_enabled(settings) or not settings.stripe_webhook_secret:
            # 503 so Stripe retries once the secret is configured, rather than dropping events.
            raise ApiError(
                503,
                "billing_not_configured",
                "Stripe webhooks are not configured here: set TIMETABLER_STRIPE_WEBHOOK_SECRET.",
            )
        payload = await request.body()
        event = verify(payload, request.headers.get("stripe-signature"), settings.stripe_webhook_secret)
        return WebhookOut(received=True, result=await handle_event(event))
