"""Invite links by email: when SendGrid is set up, the person invited gets the link in the school's
branding as well as the admin seeing it (the admin can always pass the link on by hand)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from uuid import UUID

from core.db.scoping import TenantScope
from core.notifications.fanout import school_branding
from core.runtime import Runtime

log = logging.getLogger(__name__)


async def email_invite(
    runtime: Runtime,
    school_id: UUID,
    *,
    to_email: str,
    role: str,
    url: str,
    inviter: str,
    expires: dt.datetime,
) -> str:
    """What happened, in words ("sent", or why not); never raises."""
    mailer = runtime.engines.notifiers.get("sendgrid")
    if mailer is None or not hasattr(mailer, "send_invite"):
        return "Email is not installed."
    try:
        branding = await school_branding(TenantScope(school_id))
        result = await asyncio.to_thread(
            mailer.send_invite,
            to_email=to_email,
            branding=branding,
            invite_url=url,
            role=role,
            inviter=inviter,
            expires=expires.strftime("%d %B %Y"),
        )
    except Exception as exc:
        log.exception("the invite email to %s failed", to_email)
        return f"{type(exc).__name__}: {exc}"
    if result != "sent":
        log.info("invite email to %s not sent: %s", to_email, result)
    return result
