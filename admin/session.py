"""Console sign-in: a cookie holding a signed access token, per-route roles, and CSRF tokens.

Console routes opt out of the API's Bearer middleware (``exclude_from_auth``) and pass through
``console_guard`` instead: deny by default, each route names its roles in ``opt``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from typing import Any

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, State
from litestar.exceptions import HTTPException
from litestar.handlers.base import BaseRouteHandler

from core.accounts.tables import SessionFamily
from core.auth import CurrentUser, NotAuthenticated, decode_token, issue_tokens, load_user
from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import RefreshToken, User
from core.links import uses_https
from core.settings import Settings

SESSION_COOKIE = "tt_admin_session"
PRE_SESSION_COOKIE = "tt_admin_csrf"  # before sign-in: a random value the forms must echo
CSRF_FIELD = "csrf_token"
ConsoleRequest = Request[CurrentUser, dict, State]


class NotSignedIn(HTTPException):
    """No valid console session: the page answers with a redirect to the sign-in form."""

    status_code = 401


class ConsoleForbidden(HTTPException):
    status_code = 403


class CsrfRefused(HTTPException):
    status_code = 403


def console(*roles: str) -> dict[str, Any]:
    """Route options for a console page: who may see it. The Bearer middleware skips it; the console
    guard checks the session cookie and these roles."""
    if not roles:
        raise ValueError("name the roles that may see this page")
    return {"exclude_from_auth": True, "console_roles": tuple(roles)}


PUBLIC: dict[str, Any] = {"exclude_from_auth": True, "console_public": True}


async def console_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    if handler.opt.get("console_public"):
        return
    roles = handler.opt.get("console_roles")
    if not roles:
        raise ConsoleForbidden(detail="This page names no roles, so nobody may see it.")
    token = connection.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotSignedIn(detail="Sign in to use the admin console.")
    try:
        claims = decode_token(connection.app.state.settings, token, expected_type="access")
        if not await session_is_open(claims):
            raise NotAuthenticated("signed out")
        # After the session check: load_user narrows row security to the user's school again.
        user = await load_user(claims)
    except NotAuthenticated as exc:
        raise NotSignedIn(detail="Your session has ended. Sign in again.") from exc
    if user.role not in roles:
        raise ConsoleForbidden(detail="Your role does not allow this page. Ask your school admin.")
    connection.scope["user"] = user
    connection.scope["auth"] = claims


# A console session is a session family, like an API sign-in: it is listed in GET /auth/sessions, and
# ending it there (or signing out everywhere through the API's logout) ends the console session at
# once, because load_user checks the family named in the token. The cookie holds only an access
# token, so the family never has a refresh token.


async def open_session(settings: Settings, user: User, *, user_agent: str = "", ip: str = "") -> str:
    """A signed access token for the cookie, in a new session family."""
    now = dt.datetime.now(dt.UTC)
    families = unscoped_query_across_all_tenants(SessionFamily)  # admins above a school have none
    family = families(
        tenant_id=user.tenant_id,
        user_id=user.id,
        user_agent=f"Admin console · {user_agent}"[:300] if user_agent else "Admin console",
        ip=ip[:64],
        created_at=now,
        last_used_at=now,
        expires_at=now + dt.timedelta(minutes=settings.access_token_minutes),
    )
    await family.save()
    pair = issue_tokens(
        settings, user_id=user.id, tenant_id=user.tenant_id, role=user.role, family_id=family.id
    )
    return pair.access_token


async def session_is_open(claims: dict[str, Any]) -> bool:
    """Whether the cookie's session is still open. A family is checked by load_user (under the
    user's own school's row security); sessions opened before console sessions had families are
    rows of refresh_tokens keyed by the token's jti."""
    if claims.get("fam"):
        return True
    try:
        user_id, session_id = uuid.UUID(claims["sub"]), uuid.UUID(claims["jti"])
    except ValueError:
        return False
    sessions = unscoped_query_across_all_tenants(RefreshToken)  # found by its unguessable id
    return await sessions.exists().where(
        sessions.id == session_id, sessions.user_id == user_id, sessions.revoked_at.is_null()
    )


async def close_session(claims: dict[str, Any]) -> None:
    now, user_id = dt.datetime.now(dt.UTC), uuid.UUID(claims["sub"])
    if claims.get("fam"):
        families = unscoped_query_across_all_tenants(SessionFamily)  # the signed-in user's own
        await families.update({families.revoked_at: now}).where(
            families.id == uuid.UUID(claims["fam"]), families.user_id == user_id
        )
        return
    sessions = unscoped_query_across_all_tenants(RefreshToken)
    await sessions.update({sessions.revoked_at: now}).where(
        sessions.id == uuid.UUID(claims["jti"]), sessions.user_id == user_id
    )


def _secure(settings: Settings) -> bool:
    return uses_https(settings)


def session_cookie(settings: Settings, token: str) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(settings),
        max_age=settings.access_token_minutes * 60,
    )


def cleared_session_cookie(settings: Settings) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value="",
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(settings),
        max_age=0,
    )


def pre_session_value(request: Request) -> str:
    return request.cookies.get(PRE_SESSION_COOKIE) or ""


def with_pre_session(request: Request, response: Response) -> Response:
    """Give a visitor who is not signed in a random CSRF value, kept in a cookie, for the forms."""
    value = request.state.get("pre_csrf")
    if value and not request.cookies.get(PRE_SESSION_COOKIE):
        settings: Settings = request.app.state.settings
        response.set_cookie(
            key=PRE_SESSION_COOKIE,
            value=value,
            path="/",
            httponly=True,
            samesite="strict",
            secure=_secure(settings),
        )
    return response


def csrf_token(request: Request) -> str:
    """The token the page's forms carry: tied to the session when signed in, else to the visitor's
    pre-session cookie (made here when missing)."""
    settings: Settings = request.app.state.settings
    claims = request.scope.get("auth")
    if isinstance(claims, dict) and claims.get("jti"):
        key = settings.jwt_secret().encode()
        return hmac.new(key, f"console-csrf:{claims['jti']}".encode(), hashlib.sha256).hexdigest()
    value = pre_session_value(request)
    if not value:
        value = request.state.get("pre_csrf") or secrets.token_urlsafe(32)
        request.state.pre_csrf = value  # the response sets the cookie (with_pre_session)
    return value


async def checked_form(request: Request) -> dict[str, str]:
    """The posted form, after checking its CSRF token; refuses the POST when it is missing or wrong."""
    form = await request.form()
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    sent = values.pop(CSRF_FIELD, "")
    expected = csrf_token(request) if (request.scope.get("auth") or pre_session_value(request)) else ""
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfRefused(
            detail="This form has expired or did not come from this site. Reload the page and try again."
        )
    return values
