"""Password reset by email link: a random single-use token, valid 30 minutes, stored only as a hash.

Asking for a link looks the same whether or not the account exists (the API answers before any of
this runs); using it sets the password and ends every session of the account.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import secrets
import uuid
from collections.abc import Callable

from core.accounts.tables import PasswordReset
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import Tenant, User
from core.links import public_root
from core.notifications.delivery import Branding
from core.notifications.fanout import school_branding
from core.runtime import Runtime
from core.settings import Settings

log = logging.getLogger(__name__)
VALID_FOR = dt.timedelta(minutes=30)
USED = "This reset link was used already. Ask for a new one if you need it."
PLATFORM_BRANDING = Branding(school_name="Timetabler", primary_color="#1f4e79")


class ResetRefused(Exception):
    """The link cannot be used; ``code`` and the message say why and what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def reset_link(settings: Settings, user: User, token: str) -> str:
    """The school's app (where the person works); people above a school use the plain app address."""
    root = public_root(settings)  # never the request's Host: this link goes by email to someone else
    if user.tenant_id is None:
        return f"{root}/app/#/reset/{token}"
    school = await Tenant.select(Tenant.slug).where(Tenant.id == user.tenant_id).first()
    return f"{root}/t/{school['slug']}/app/#/reset/{token}" if school else f"{root}/app/#/reset/{token}"


async def send_reset_link(runtime: Runtime, settings: Settings, email: str) -> str:
    """Make a link for the account with this email and email it; what happened, in words. Never
    raises: it runs after the answer has gone, where nobody could see an error."""
    try:
        users = unscoped_query_across_all_tenants(User)  # the email names the school
        user = await users.objects().where(users.email == email).first()
        if user is None or not user.is_active:
            return "no such account"
        mailer = runtime.engines.notifiers.get("sendgrid")
        if mailer is None or not hasattr(mailer, "send_password_reset"):
            return "Email is not installed."
        token = secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC)
        resets = unscoped_query_across_all_tenants(PasswordReset)  # admins above a school have none
        await resets(
            id=uuid.uuid4(),
            tenant_id=user.tenant_id,
            user_id=user.id,
            token_hash=_hash(token),
            created_at=now,
            expires_at=now + VALID_FOR,
        ).save()
        if user.tenant_id is not None:
            branding = await school_branding(TenantScope(user.tenant_id))
        else:
            branding = PLATFORM_BRANDING
        result = await asyncio.to_thread(
            mailer.send_password_reset,
            to_email=user.email,
            to_name=user.name or user.email,
            branding=branding,
            reset_url=await reset_link(settings, user, token),
        )
    except Exception:
        log.exception("the password reset email failed")
        return "failed"
    if result != "sent":
        log.info("a password reset email was not sent: %s", result)
    return result


async def use_token(token: str, check: Callable[[User], None]) -> User:
    """Spend the token and give the account it was made for. ``check`` (the password policy) runs
    first, so a refused password leaves the link usable. Marked used in one conditional update, so
    two requests racing with the same link cannot both win."""
    resets = unscoped_query_across_all_tenants(PasswordReset)  # found by its unguessable token
    row = await resets.objects().where(resets.token_hash == _hash(token)).first()
    if row is None:
        raise ResetRefused(
            "reset_invalid", "This reset link is not valid. Ask for a new one on the sign-in page."
        )
    if row.used_at is not None:
        raise ResetRefused("reset_used", USED)
    now = dt.datetime.now(dt.UTC)
    if row.expires_at < now:
        raise ResetRefused(
            "reset_expired", "This reset link has expired (links work for 30 minutes). Ask for a new one."
        )
    users = unscoped_query_across_all_tenants(User)
    user = await users.objects().where(users.id == row.user_id).first()
    if user is None or not user.is_active:
        raise ResetRefused("reset_invalid", "This account no longer exists or is disabled.")
    check(user)
    spent = await (
        resets.update({resets.used_at: now})
        .where(resets.id == row.id, resets.used_at.is_null())
        .returning(resets.id)
    )
    if not spent:
        raise ResetRefused("reset_used", USED)
    # Any other link still out for this account is spent too: the password was just chosen.
    await resets.update({resets.used_at: now}).where(resets.user_id == user.id, resets.used_at.is_null())
    return user
