"""``GET /metrics`` (Prometheus text; loopback or bearer token) and ``GET /ready`` (readiness)."""

from __future__ import annotations

import asyncio

import msgspec
from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from prometheus_client import CONTENT_TYPE_LATEST

from core.api.errors import ApiError
from core.jobs.broker import broker
from core.observability import metrics
from core.observability.access import REFUSED, metrics_allowed
from core.observability.readiness import run_checks


class ReadyOut(msgspec.Struct, rename="camel"):
    """Every part is "ok"."""

    status: str
    checks: dict[str, str]


class NotReadyOut(msgspec.Struct, rename="camel"):
    """503: ``failed`` names the parts that did not answer; ``checks`` says why."""

    code: str
    message: str
    failed: list[str]
    checks: dict[str, str]


@get(
    "/metrics",
    operation_id="metrics",
    opt={"exclude_from_auth": True},  # its own check: loopback or TIMETABLER_METRICS_TOKEN
    include_in_schema=False,
)
async def metrics_endpoint(request: Request, state: State) -> Response[bytes]:
    settings = state["settings"]
    client = request.client.host if request.client else None
    if not metrics_allowed(client, request.headers.get("authorization"), settings.metrics_token):
        raise ApiError(403, "metrics_forbidden", REFUSED)

    body = await asyncio.to_thread(metrics.render, metrics.exposition_registry(broker, settings))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


@get(
    "/ready",
    operation_id="ready",
    opt={"exclude_from_auth": True},  # probes carry no token, like /health
    tags=["meta"],
    responses={
        503: ResponseSpec(data_container=NotReadyOut, description="A part did not answer; `failed` names it.")
    },
)
async def ready(state: State) -> Response[ReadyOut]:
    checks = await run_checks(state["runtime"], state["settings"])
    failed = [name for name, result in checks.items() if result != "ok"]
    if not failed:
        return Response(ReadyOut(status="ready", checks=checks))
    message = (
        f"Not ready: {', '.join(failed)} did not answer ({'; '.join(f'{n}: {checks[n]}' for n in failed)}). "
        "Traffic should go to another instance until it recovers."
    )
    body = NotReadyOut(code="not_ready", message=message, failed=failed, checks=checks)
    return Response(body, status_code=503)  # type: ignore[arg-type]
