"""Request middleware: a request id, the server span, and latency and errors by route template.

``RequestObservability`` is the outermost middleware, so it also counts what the sign-in middleware
refuses (401). ``TenantLogContext`` runs after the sign-in and puts the user's school in the log
context. Routes are labelled by their template (``/api/v1/jobs/{job_id:uuid}``), never by the
path, so a label cannot hold an id and the number of series stays bounded.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from core.observability import context, metrics
from core.observability.tracing import tracer

access_log = logging.getLogger("timetabler.access")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _SAFE_REQUEST_ID.match(text):  # a caller's id is kept only when it is a plain token
                return text
    return uuid.uuid4().hex


def _route(scope: Scope) -> str:
    return str(scope.get("path_template") or "unmatched")


class RequestObservability:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        method, route = scope["method"], _route(scope)
        tokens = [context.request_id.set(request_id), context.service.set("api")]
        status = 500
        started = time.perf_counter()
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        with tracer().start_as_current_span(
            f"{method} {route}", kind=SpanKind.SERVER, context=propagate.extract(carrier)
        ) as span:
            span.set_attribute("http.request.method", method)
            span.set_attribute("http.route", route)
            span.set_attribute("timetabler.request_id", request_id)

            async def send_with_id(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    headers = list(message.get("headers", []))
                    headers.append((b"x-request-id", request_id.encode()))
                    message = {**message, "headers": headers}  # type: ignore[assignment]
                await send(message)

            try:
                await self.app(scope, receive, send_with_id)
            except Exception as exc:
                # Exceptions raised before the route's own handler (a refused sign-in) pass through here.
                status = getattr(exc, "status_code", 500)
                raise
            finally:
                duration = time.perf_counter() - started
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
                metrics.HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
                metrics.HTTP_SECONDS.labels(method=method, route=route).observe(duration)
                # The sign-in ran inside this middleware: its user (and school) is on the shared scope.
                tenant_id = getattr(scope.get("user"), "tenant_id", None)
                tokens.append(context.tenant.set(str(tenant_id) if tenant_id else None))
                access_log.info(
                    "%s %s %s",
                    method,
                    route,
                    status,
                    extra={
                        "method": method,
                        "path": route,
                        "statusCode": status,
                        "duration": round(duration, 4),
                    },
                )
                for var, token in zip(
                    (context.request_id, context.service, context.tenant), tokens, strict=True
                ):
                    var.reset(token)


class TenantLogContext:
    """After the sign-in: the user's school goes into the log context and the request's span."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        user: Any = scope.get("user")
        tenant_id = getattr(user, "tenant_id", None)
        if tenant_id is None:
            await self.app(scope, receive, send)
            return
        token = context.tenant.set(str(tenant_id))
        trace.get_current_span().set_attribute("timetabler.tenant", str(tenant_id))
        try:
            await self.app(scope, receive, send)
        finally:
            context.tenant.reset(token)
