"""Security headers for every HTTP answer, wrapped around the whole app (outside Litestar's own
CORS handling, so a school's allowed origin is answered before the default refuses it).

- HSTS when the public URL is https.
- A default Content-Security-Policy on HTML and the service worker when the page set none (the
  teacher's app and the console set their own; this is the backstop): plain ES modules from 'self',
  no inline script, connections to 'self' and the same host's WebSocket, images from 'self', data:
  and blob:.
- CORS per school: a request for a school (its ``/t/{slug}/`` path or subdomain, or the school of
  the bearer token) from an origin in the school's ``allowedOrigins`` gets CORS headers; every
  other origin gets the default, no CORS. A preflight names no token, so it is answered for an
  origin that some school allows; the real request's answer is still readable only under the rules
  above.
"""

from __future__ import annotations

import time
from uuid import UUID

from litestar.datastructures import Headers, MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from core.auth import decode_token
from core.db.tables import District, Tenant, json_dict
from core.links import uses_https
from core.schools.resolution import resolve_slug
from core.schools.service import effective_settings
from core.settings import Settings

HSTS = "max-age=31536000; includeSubDomains"
ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, If-None-Match"
PREFLIGHT_MAX_AGE = "600"
ORIGINS_TTL = 30.0  # seconds a school's allow-list is cached per process


def default_csp(host: str) -> str:
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        f"connect-src 'self' ws://{host} wss://{host}; worker-src 'self'; manifest-src 'self'; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )


class OriginRules:
    """Which origins each school allows (effective settings), cached briefly."""

    def __init__(self) -> None:
        self._by_school: dict[str, tuple[float, frozenset[str]]] = {}
        self._any: tuple[float, frozenset[str]] = (0.0, frozenset())

    async def for_school(self, school_id: str) -> frozenset[str]:
        cached = self._by_school.get(school_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]

        origins = frozenset((await effective_settings(UUID(school_id))).allowed_origins)
        self._by_school[school_id] = (time.monotonic() + ORIGINS_TTL, origins)
        return origins

    async def any_school(self) -> frozenset[str]:
        if self._any[0] > time.monotonic():
            return self._any[1]

        origins: set[str] = set()
        # Schools and districts have no row-level security: no escape hatch (it would outlive this).
        for table in (Tenant, District):
            for row in await table.select(table.settings):
                origins.update(json_dict(row["settings"]).get("allowedOrigins") or [])
        self._any = (time.monotonic() + ORIGINS_TTL, frozenset(origins))
        return self._any[1]


async def _school_of(scope: Scope, headers: Headers, settings: Settings) -> str | None:
    slug = resolve_slug(host=headers.get("host", ""), path=scope["path"], base_domain=settings.base_domain)
    if slug:
        row = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
        return str(row["id"]) if row else None
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            return decode_token(settings, token.strip(), expected_type="access").get("tid")
        except Exception:  # an invalid token gets no CORS; the app answers 401 itself
            return None
    return None


class SecurityHeaders:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.hsts = uses_https(settings)
        self.settings = settings
        self.origins = OriginRules()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        origin = headers.get("origin")
        allowed = False
        if origin and not _same_origin(origin, headers.get("host", "")):
            allowed = await self._allowed(scope, headers, origin)
            if allowed and scope["method"] == "OPTIONS" and headers.get("access-control-request-method"):
                await self._preflight(origin, send)
                return
            if allowed:  # Litestar's CORS (no origins) must not see it and refuse the preflight
                scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"origin"]}
        await self.app(scope, receive, self._wrap(send, scope["path"], headers, origin if allowed else None))

    async def _allowed(self, scope: Scope, headers: Headers, origin: str) -> bool:
        try:
            school = await _school_of(scope, headers, self.settings)
            if school:
                return origin in await self.origins.for_school(school)
            if scope["method"] == "OPTIONS":
                return origin in await self.origins.any_school()
        except Exception:  # no database answer: no CORS, the safe default
            return False
        return False

    async def _preflight(self, origin: str, send: Send) -> None:
        extra = [
            (b"access-control-allow-origin", origin.encode()),
            (b"access-control-allow-methods", ALLOW_METHODS.encode()),
            (b"access-control-allow-headers", ALLOW_HEADERS.encode()),
            (b"access-control-max-age", PREFLIGHT_MAX_AGE.encode()),
            (b"vary", b"Origin"),
        ]
        if self.hsts:
            extra.append((b"strict-transport-security", HSTS.encode()))
        await send({"type": "http.response.start", "status": 204, "headers": extra})
        await send({"type": "http.response.body", "body": b""})

    def _wrap(self, send: Send, path: str, request_headers: Headers, origin: str | None) -> Send:
        host = request_headers.get("host", "")
        # The API explorer's page loads its script from a CDN; it keeps Litestar's own headers.
        backstop_csp = not path.startswith("/schema")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                if self.hsts:
                    headers["Strict-Transport-Security"] = HSTS
                content_type = headers.get("content-type") or ""
                if (
                    backstop_csp
                    and "content-security-policy" not in headers
                    and (content_type.startswith("text/html") or path.endswith("sw.js"))
                ):
                    headers["Content-Security-Policy"] = default_csp(host)
                if origin:
                    headers["Access-Control-Allow-Origin"] = origin
                    headers.add("Vary", "Origin")
            await send(message)

        return wrapped


def _same_origin(origin: str, host: str) -> bool:
    return origin.split("://", 1)[-1] == host
