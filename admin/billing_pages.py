"""A school's billing page in the console: plan, usage against the quota this month, Stripe Checkout
to choose a plan and the customer portal to manage it (tenants/billing/service.py does the work)."""

from __future__ import annotations

from uuid import UUID

from litestar import Response, get, post
from litestar.params import FromPath

from admin.render import brand_for, page, see_other
from admin.session import ConsoleRequest, checked_form, console
from core.db.tables import Tenant
from core.errors import DomainError
from core.schools.roles import ADMINS, SCHOOL_ADMIN
from core.schools.service import administered_school
from tenants.billing import service
from tenants.billing.plans import PAID_PLANS, PLANS

Uuid = FromPath[UUID]
# The forms below leave for Stripe: Checkout and the portal live on Stripe's hosts (or a custom
# domain the operator set up in Stripe), which this page cannot know in advance.
TO_STRIPE = "'self' https:"
RETURNS = {
    "success": "Payment details received. The new plan shows here as soon as Stripe confirms it "
    "(usually within a minute).",
    "cancelled": "Checkout was cancelled: nothing changed.",
}


async def _billing_page(request: ConsoleRequest, school: Tenant, *, error: str | None = None) -> Response:
    seen = await service.overview(request.app.state.settings, school)
    percent = min(100, round(100 * seen.used / seen.quota)) if seen.quota else None
    return page(
        request,
        "billing.html",
        brand=await brand_for(school),
        status_code=400 if error else 200,
        form_action=TO_STRIPE,
        school=school,
        seen=seen,
        percent=percent,
        plans=[PLANS[name] for name in PAID_PLANS if name != school.plan or not seen.subscribed],
        error=error,
        notice=RETURNS.get(request.query_params.get("checkout", "")),
    )


@get("/admin/schools/{school_id:uuid}/billing", operation_id="consoleBilling", opt=console(*ADMINS))
async def billing_page(request: ConsoleRequest, school_id: Uuid) -> Response:
    return await _billing_page(request, await administered_school(request.user, school_id))


@get("/admin/billing", operation_id="consoleBillingReturn", opt=console(*ADMINS))
async def billing_return(request: ConsoleRequest) -> Response:
    """Where Stripe sends an admin back to: their school's billing page (others: their schools)."""
    user = request.user
    if user.role == SCHOOL_ADMIN and user.tenant_id:
        outcome = request.query_params.get("checkout", "")
        query = f"?checkout={outcome}" if outcome in RETURNS else ""
        return see_other(f"/admin/schools/{user.tenant_id}/billing{query}")
    return see_other("/admin/")


@post(
    "/admin/schools/{school_id:uuid}/billing/checkout",
    operation_id="consoleCheckout",
    opt=console(*ADMINS),
)
async def checkout(request: ConsoleRequest, school_id: Uuid) -> Response:
    school = await administered_school(request.user, school_id)
    form = await checked_form(request)
    try:
        url = await service.start_checkout(
            request.app.state.settings,
            school,
            form.get("plan", ""),
            actor_id=request.user.id,
            actor_email=request.user.email,
        )
    except DomainError as exc:
        return await _billing_page(request, school, error=exc.detail)
    return see_other(url)


@post(
    "/admin/schools/{school_id:uuid}/billing/portal",
    operation_id="consoleBillingPortal",
    opt=console(*ADMINS),
)
async def portal(request: ConsoleRequest, school_id: Uuid) -> Response:
    school = await administered_school(request.user, school_id)
    await checked_form(request)
    try:
        url = await service.open_portal(request.app.state.settings, school)
    except DomainError as exc:
        return await _billing_page(request, school, error=exc.detail)
    return see_other(url)
