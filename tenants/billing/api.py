"""The billing endpoints: see the plan and usage, subscribe through Checkout, manage the
subscription in Stripe's portal, and receive Stripe's webhooks."""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import JSONBody

from core.api.errors import ApiError
from core.api.guards import role_guard
from core.auth import CurrentUser
from core.schools.roles import SCHOOL_ADMIN, allow
from core.settings import Settings
from tenants.billing import service
from tenants.billing.config import billing_enabled
from tenants.billing.store import load_school
from tenants.billing.webhook import handle_event, verify


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
        seen = await service.overview(_settings(state), await _school(request.user))
        return BillingOut(
            billing_enabled=seen.billing_enabled,
            plan=seen.plan,
            effective_plan=seen.effective_plan,
            status=seen.status,
            grace_until=seen.grace_until,
            quota=seen.quota,
            usage=UsageOut(
                documents=seen.documents,
                documents_in_progress=seen.documents_in_progress,
                llm_calls=seen.llm_calls,
            ),
            month=seen.month,
            resets_on=seen.resets_on,
            upload_allowed=seen.upload_allowed,
            message=seen.message,
            has_customer=seen.has_customer,
        )

    @post("/checkout", operation_id="createCheckout", status_code=200, opt=allow(SCHOOL_ADMIN))
    async def checkout(
        self, request: Request[CurrentUser, dict, State], state: State, data: JSONBody[CheckoutIn]
    ) -> UrlOut:
        user = request.user
        url = await service.start_checkout(
            _settings(state), await _school(user), data.plan, actor_id=user.id, actor_email=user.email
        )
        return UrlOut(url=url)

    @post("/portal", operation_id="createBillingPortal", status_code=200, opt=allow(SCHOOL_ADMIN))
    async def portal(self, request: Request[CurrentUser, dict, State], state: State) -> UrlOut:
        return UrlOut(url=await service.open_portal(_settings(state), await _school(request.user)))

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
