"""The composition root: settings, plugins, storage, database, worker and routes come together here."""

from __future__ import annotations

import logging
from typing import Any

import dramatiq
from litestar import Litestar, Request, Response, Router, get
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.response import Redirect

from admin.router import admin_router, plugin_page_routers
from core.api.auth import AuthController
from core.api.bearer import BearerAuthMiddleware
from core.api.calendar import CalendarFeedController, ExportController, calendar_feed
from core.api.channels import make_channels
from core.api.direct_upload import DirectUploadController
from core.api.documents import DocumentController
from core.api.errors import EXCEPTION_HANDLERS
from core.api.guards import role_guard
from core.api.jobs import JobController
from core.api.notifications import MyNotificationsController, PushKeyController
from core.api.observability import metrics_endpoint, ready
from core.api.privacy import MyDataController, SchoolDeletionController, UserDeletionController
from core.api.rate_limits import RateLimitMiddleware
from core.api.realtime import realtime_socket
from core.api.request_observability import RequestObservability, TenantLogContext
from core.api.reviews import ReviewController
from core.api.security_headers import SecurityHeaders
from core.api.timetables import TimeblockController, TimetableController
from core.api_docs import openapi_config
from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import Job, Tenant
from core.jobs import actors as _stage_actors  # noqa: F401  (the in-process worker runs them)
from core.jobs import reading
from core.jobs.broker import broker
from core.jobs.pipeline import STAGES
from core.jobs.queue import enqueue_stage
from core.jobs.scale import add_scale_middleware
from core.observability.tracing import setup_tracing
from core.openapi_errors import document_error_responses
from core.privacy import maintenance
from core.runtime import Runtime, get_runtime
from core.settings import Settings
from core.web.favicon import favicon
from core.web.router import web_router
from tenants import billing
from tenants.api import DistrictController, SchoolController
from tenants.billing import BillingController

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
# Multipart framing around the file itself.
UPLOAD_OVERHEAD_BYTES = 256 * 1024


@get("/health", operation_id="health", opt={"exclude_from_auth": True}, tags=["meta"])
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/", operation_id="index", opt={"exclude_from_auth": True}, include_in_schema=False)
async def index(request: Request) -> Response:
    """A browser lands in the teacher's app; an API client (no text/html wanted) gets the signpost."""
    if "text/html" in request.headers.get("accept", ""):
        return Redirect("/app/", status_code=302)
    return Response({"name": "Timetabler", "api": API_PREFIX, "openapi": "/schema"})


def _unavailable(request: Request, exc: Exception) -> Response:
    """The database (or a store) cannot be reached, e.g. while PostgreSQL restarts: a clear 503,
    not a crash. Nothing of this request was kept, so sending it again is safe."""
    log.warning("unavailable on %s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
    body = {
        "code": "service_unavailable",
        "message": "Timetabler cannot reach its database right now. Nothing from this request was "
        "saved; try again in a minute.",
    }
    return Response(body, status_code=503, headers={"Retry-After": "5"})


def _unavailable_errors() -> tuple[type[Exception], ...]:
    errors: list[type[Exception]] = [ConnectionError, TimeoutError]
    try:
        from asyncpg import exceptions as pg

        errors += [pg.PostgresConnectionError, pg.ConnectionDoesNotExistError, pg.OperatorInterventionError]
    except ImportError:  # the embedded default runs without asyncpg
        pass
    return tuple(errors)


UNAVAILABLE_HANDLERS = {error: _unavailable for error in _unavailable_errors()}


async def recover_unfinished_jobs(runtime: Runtime) -> int:
    """Send again the jobs that were queued or running when the last process stopped.

    The in-memory broker forgets its messages on restart; the job rows do not. Stages are
    idempotent, so a job resumes at the stage it had reached.
    """
    jobs = unscoped_query_across_all_tenants(Job)  # platform work: recovery spans every school
    rows = await jobs.select(jobs.id, jobs.tenant_id, jobs.stage).where(
        jobs.status.is_in(["queued", "running"])
    )
    for row in rows:
        stage = row["stage"] if row["stage"] in STAGES else STAGES[0]
        enqueue_stage(stage, str(row["id"]), str(row["tenant_id"]))
    if rows:
        log.info("re-queued %d unfinished jobs", len(rows))
    return len(rows)


def create_app(
    settings: Settings | None = None, runtime: Runtime | None = None, *, reading_processes: int = 0
) -> Litestar:
    """The web app. ``reading_processes``: with the in-process worker, read documents in that many
    processes of their own (core/jobs/reading.py), so the API is not kept waiting behind a photo;
    `timetabler serve` asks for them (the default runtime), an app a test builds does not."""
    billing.install()  # the quota gates uploads; billed usage is reported to Stripe
    runtime = runtime or get_runtime()
    settings = settings or runtime.settings
    setup_tracing("api", settings.otel_endpoint, settings.otel_file)  # once per process
    worker: dict[str, Any] = {}

    async def on_startup(app: Litestar) -> None:
        engine = Tenant._meta.db
        if settings.in_process_worker:
            add_scale_middleware(broker, settings)
            reading.start(reading_processes)
            worker["worker"] = dramatiq.Worker(broker, worker_threads=settings.worker_threads)
            worker["worker"].start()
            await recover_unfinished_jobs(runtime)
        elif settings.database_url:
            # The pool belongs to this event loop; in-process workers run on another loop, so only here.
            await engine.start_connection_pool(min_size=2, max_size=20)
        worker["maintenance"] = maintenance.start(runtime)  # the periodic retention purge

    async def on_shutdown(app: Litestar) -> None:
        await maintenance.stop(worker.get("maintenance"))
        if "worker" in worker:
            worker["worker"].stop(timeout=10_000)
            reading.stop()
        elif settings.database_url:
            await Tenant._meta.db.close_connection_pool()

    api = Router(
        path=API_PREFIX,
        route_handlers=[
            AuthController,
            DocumentController,
            DirectUploadController,
            JobController,
            TimetableController,
            TimeblockController,
            ReviewController,
            SchoolController,
            DistrictController,
            BillingController,
            PushKeyController,
            MyNotificationsController,
            ExportController,
            CalendarFeedController,
            MyDataController,
            UserDeletionController,
            SchoolDeletionController,
        ],
    )
    app = Litestar(
        route_handlers=[
            api,
            admin_router,
            *plugin_page_routers(runtime.plugins),
            web_router,
            favicon,
            health,
            ready,
            metrics_endpoint,
            index,
            calendar_feed,
            realtime_socket,
        ],
        plugins=[make_channels(settings)],  # /ws: in memory, or Redis pub/sub when Redis is set
        state=State({"settings": settings, "runtime": runtime}),
        # Authentication first, so the rate limits know the user and the school.
        middleware=[
            # Outermost: request id, the server span, latency and errors by route (401s included).
            DefineMiddleware(RequestObservability),
            DefineMiddleware(BearerAuthMiddleware),
            DefineMiddleware(TenantLogContext),  # the signed-in user's school in the log lines
            DefineMiddleware(RateLimitMiddleware),
        ],
        guards=[role_guard],
        exception_handlers={**EXCEPTION_HANDLERS, **UNAVAILABLE_HANDLERS},  # type: ignore[arg-type]
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        request_max_body_size=settings.max_upload_bytes + UPLOAD_OVERHEAD_BYTES,
        cors_config=CORSConfig(allow_origins=[]),
        openapi_config=openapi_config(),  # the explorer with its files served here (core/api_docs.py)
        debug=False,
        # Logging is set up by `timetabler serve` (JSON or text, masked: core/observability/logs.py);
        # Litestar's own default would replace it on start-up.
        logging_config=None,
    )
    document_error_responses(app)  # errors in the OpenAPI document as they are sent: {code, message}
    # Outermost: HSTS, the backstop CSP and each school's CORS allow-list (see core/api/security_headers.py).
    app.asgi_handler = SecurityHeaders(app.asgi_handler, settings)
    return app
