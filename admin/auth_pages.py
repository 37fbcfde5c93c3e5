"""Console sign-in and sign-out. School, district and platform admins may enter, and reviewers (who
see only the review pages of their own school)."""

from __future__ import annotations

import secrets
from functools import cache

from litestar import Request, Response, get, post
from litestar.datastructures import State

from admin.errors import safe_next
from admin.render import brand_for, page, see_other
from admin.session import (
    PUBLIC,
    checked_form,
    cleared_session_cookie,
    close_session,
    console,
    open_session,
    session_cookie,
)
from core.accounts import throttle
from core.accounts.passwords import LOGIN_PASSWORD_LIMIT
from core.auth import CurrentUser, hash_password, verify_password
from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import Tenant, User
from core.ratelimit.address import client_ip
from core.schools import audit
from core.schools.resolution import resolve_school
from core.schools.roles import ADMINS, REVIEWER
from core.schools.service import can_administer

LOGIN_PATHS = ["/admin/login", "/t/{slug:str}/admin/login"]
CONSOLE_ROLES = (*ADMINS, REVIEWER)
NOT_FOR_CONSOLE = (
    "The admin console is for school, district and platform admins, and for reviewers. "
    "Sign in to the Timetabler app instead, or ask your school admin for admin rights."
)


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


async def _address_school(request: Request) -> Tenant | None:
    """The school the address names (``/t/{slug}/`` or its subdomain), if any."""
    return await resolve_school(
        host=request.headers.get("host", ""),
        path=request.url.path,
        base_domain=request.app.state.settings.base_domain,
    )


async def _login_page(
    request: Request,
    *,
    error: str | None = None,
    email: str = "",
    next_page: str | None = None,
    status_code: int = 200,
) -> Response:
    school = await _address_school(request)
    return page(
        request,
        "login.html",
        brand=await brand_for(school),
        status_code=status_code,
        action=request.url.path,  # /t/{slug}/admin/login posts back to itself and keeps the brand
        next=safe_next(next_page or request.query_params.get("next")),
        email=email,
        error=error,
    )


@get(LOGIN_PATHS, operation_id="consoleLoginForm", opt=PUBLIC)
async def login_form(request: Request) -> Response:
    return await _login_page(request)


@post(LOGIN_PATHS, operation_id="consoleLogin", opt=PUBLIC, status_code=303)
async def login(request: Request, state: State) -> Response:
    form = await checked_form(request)
    email = form.get("email", "").strip().lower()
    settings = state.settings
    # The same counters as the API's sign-in: failures here and there add up.
    account, ip = throttle.account_key(email), client_ip(request, settings)
    try:
        await throttle.check(settings, account, ip)
    except throttle.Throttled as exc:
        page_ = await _login_page(
            request, error=str(exc), email=email, next_page=form.get("next"), status_code=429
        )
        page_.headers["Retry-After"] = str(exc.retry_after)
        return page_
    users = unscoped_query_across_all_tenants(User)  # sign-in finds the school from the email
    user = await users.objects().where(users.email == email).first()
    password = form.get("password", "")[:LOGIN_PASSWORD_LIMIT]
    if user is None:
        verify_password(_dummy_hash(), password)  # as slow as a real check: no hint the email is unknown
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        await throttle.record_failure(settings, account, ip)
        if user is not None and user.is_active:
            await audit.sign_in(user, ok=False, via="console", reason="wrong password")
        return await _login_page(
            request,
            error="The email or password is wrong. Try again.",
            email=email,
            next_page=form.get("next"),
            status_code=401,
        )
    await throttle.clear(account)
    if user.role not in CONSOLE_ROLES:
        actor = CurrentUser(
            id=user.id, tenant_id=user.tenant_id, email=user.email, name=user.name, role=user.role
        )
        await audit.record(
            actor, "console_sign_in", tenant_id=user.tenant_id, outcome="refused", reason=f"role {user.role}"
        )
        return await _login_page(request, error=NOT_FOR_CONSOLE, email=email, status_code=403)
    await audit.sign_in(user, ok=True, via="console")
    token = await open_session(settings, user, user_agent=request.headers.get("user-agent", ""), ip=ip)
    target = safe_next(form.get("next"))
    if user.role == REVIEWER and target == "/admin/":
        target = "/admin/reviews"  # the only pages a reviewer has
    school = await _address_school(request)
    if target == "/admin/" and school is not None:
        # Signed in at a school's own address: open that school, if this admin runs it.
        actor = CurrentUser(
            id=user.id,
            tenant_id=user.tenant_id,
            district_id=user.district_id,
            email=user.email,
            name=user.name,
            role=user.role,
        )
        if can_administer(actor, school):
            target = f"/admin/schools/{school.id}"
    response = see_other(target)
    response.set_cookie(session_cookie(state.settings, token))
    return response


@post("/admin/logout", operation_id="consoleLogout", opt=console(*CONSOLE_ROLES), status_code=303)
async def logout(request: Request, state: State) -> Response:
    await checked_form(request)
    await close_session(request.auth)
    response = see_other("/admin/login")
    response.set_cookie(cleared_session_cookie(state.settings))
    return response
