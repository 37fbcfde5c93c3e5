"""The API's rate limits as ASGI middleware, placed after authentication so it knows the user.

Every API request counts against its address (X-Forwarded-For believed only from
TIMETABLER_TRUSTED_PROXIES), its user and its school; uploads also count against tighter upload
limits. Over a limit: 429 with Retry-After and a message saying when to try again. Requests the
authentication middleware refuses never reach here: they cost a token check, nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import msgspec
from litestar.connection import ASGIConnection
from litestar.types import ASGIApp, Receive, Scope, Send

from core.ratelimit.address import client_ip
from core.ratelimit.limiters import limiter_for
from core.settings import Settings

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1/"
UPLOAD_PATHS = ("/api/v1/documents/upload", "/api/v1/documents/direct-uploads")


def _checks(scope: Scope, settings: Settings, ip: str) -> list[tuple[str, int, str]]:
    """(key, limit per minute, who) for every limit this request counts against; 0 is off."""
    user = scope.get("user")
    user_id = getattr(user, "id", None)
    tenant_id = getattr(user, "tenant_id", None)
    checks = [(f"ip:{ip}", settings.rate_limit_ip_per_minute, "this address")]
    if user_id:
        checks.append((f"user:{user_id}", settings.rate_limit_user_per_minute, "this account"))
    if tenant_id:
        checks.append((f"school:{tenant_id}", settings.rate_limit_school_per_minute, "this school"))
    if scope["method"] == "POST" and scope["path"].startswith(UPLOAD_PATHS):
        if user_id:
            checks.append((f"upload:user:{user_id}", settings.rate_limit_uploads_per_minute, "uploads"))
        if tenant_id:
            limit = settings.rate_limit_school_uploads_per_minute
            checks.append((f"upload:school:{tenant_id}", limit, "this school's uploads"))
    return [check for check in checks if check[1] > 0]


def _message(who: str, limit: int, retry_after: int) -> str:
    at = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=retry_after)).strftime("%H:%M:%S")
    return (
        f"Too many requests for {who}: at most {limit} a minute. "
        f"Try again in {retry_after} seconds (after {at} UTC)."
    )


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        settings: Settings = scope["app"].state.settings
        if not settings.rate_limit_enabled:
            await self.app(scope, receive, send)
            return
        ip = client_ip(ASGIConnection(scope), settings)
        limiter = limiter_for(settings)
        for key, limit, who in _checks(scope, settings, ip):
            try:
                verdict = await limiter.hit(key, limit)
            except Exception:  # Redis down: serve rather than refuse everyone
                log.warning("rate limit not checked (%s)", key, exc_info=True)
                continue
            if not verdict.allowed:
                await _refuse(send, _message(who, limit, verdict.retry_after), verdict.retry_after)
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, message: str, retry_after: int) -> None:
    body = msgspec.json.encode({"code": "rate_limited", "message": message})
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(retry_after).encode()),
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})
