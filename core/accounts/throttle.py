"""Sign-in throttling: after too many failures in a window, an account (and, at a higher bar, an
address) must wait. Failures are counted in the database, so every app server sees the same count."""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from core.accounts.tables import LoginAttempt
from core.settings import Settings


class Throttled(Exception):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def account_key(email: str) -> str:
    """The account as the throttle knows it: a hash, so the table holds no email addresses."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


async def check(settings: Settings, account: str, ip: str) -> None:
    """Raise Throttled when this account or this address has failed too often lately."""
    now = dt.datetime.now(dt.UTC)
    window = dt.timedelta(minutes=settings.login_window_minutes)
    since = now - window
    for column, value, limit, who in (
        (LoginAttempt.account, account, settings.login_max_failures_per_account, "this account"),
        (LoginAttempt.ip, ip, settings.login_max_failures_per_ip, "your network address"),
    ):
        failures = await (
            LoginAttempt.select(LoginAttempt.created_at)
            .where(column == value, LoginAttempt.succeeded.eq(False), LoginAttempt.created_at > since)
            .order_by(LoginAttempt.created_at)
        )
        if len(failures) >= limit:
            # Free again once enough of the failures have left the window.
            frees_at = failures[len(failures) - limit]["created_at"] + window
            wait = max(1, math.ceil((frees_at - now).total_seconds()))
            minutes = max(1, math.ceil(wait / 60))
            raise Throttled(
                f"Too many failed sign-ins for {who}. Try again in {minutes} minute"
                f"{'s' if minutes > 1 else ''} (after {frees_at:%H:%M} UTC).",
                wait,
            )


async def record_failure(settings: Settings, account: str, ip: str) -> None:
    now = dt.datetime.now(dt.UTC)
    await LoginAttempt(account=account, ip=ip, succeeded=False, created_at=now).save()
    # Keep the table small: failures older than the window count for nothing.
    await LoginAttempt.delete().where(
        LoginAttempt.created_at < now - dt.timedelta(minutes=settings.login_window_minutes)
    )


async def clear(account: str) -> None:
    """A successful sign-in wipes the account's failures (not the address's)."""
    await LoginAttempt.delete().where(LoginAttempt.account == account)
