"""Built-in plugin: metrics and log lines from every stage change (the ``pipeline_event`` hook).

Each event counts in ``timetabler_pipeline_events_total`` and puts the document's id in the log
context of the stage that runs. When a job ends (``done`` with completed or review, or a failure),
its row is read once, on the running event loop, for the document's kind, the confidence, the
route and the engine: ``timetabler_documents_processed_total``, ``timetabler_document_confidence``
and ``timetabler_document_routes_total`` are counted from the row as saved, and one
"job finished" line is logged with them. The row is final by then: the pipeline updates the job
before it emits the event.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from core import hookimpl
from core.observability import context

if TYPE_CHECKING:
    from core.policy import PipelineEvent

# Prometheus and the database load with the first event, not with the plugin: every process
# registers it, and a `timetabler extract` run never sends one.

log = logging.getLogger("timetabler.jobs")
_pending: set[asyncio.Task[None]] = set()  # keeps each task alive until it has counted


@hookimpl
def pipeline_event(event: PipelineEvent) -> None:
    from core.observability import metrics

    try:
        metrics.STAGE_EVENTS.labels(stage=event.stage, status=event.status).inc()
        context.document_id.set(event.document_id)  # this stage's log lines name the document
        if event.status in ("completed", "review", "failed"):
            _count_finished(event)
    except Exception:  # the hook must not raise: a lost sample must not fail a job
        log.exception("observability could not count the %s event of job %s", event.stage, event.job_id)


def _count_finished(event: PipelineEvent) -> None:
    from core.observability import metrics

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # called outside an event loop: count what the event itself tells
        metrics.DOCUMENTS.labels(kind="unknown", outcome=event.status).inc()
        return
    task = loop.create_task(_record(event))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def _record(event: PipelineEvent) -> None:
    from core.db.scoping import TenantScope
    from core.db.tables import Document, Job
    from core.observability import metrics

    try:
        scope = TenantScope(event.tenant_id)
        job = await scope.select(Job).where(Job.id == event.job_id).first()
        document = await scope.select(Document, Document.kind).where(Document.id == event.document_id).first()
    except Exception:
        log.warning("could not read job %s for its metrics", event.job_id, exc_info=True)
        job, document = None, None
    kind = (document or {}).get("kind") or "unknown"
    metrics.DOCUMENTS.labels(kind=kind, outcome=event.status).inc()
    if job is None:
        return
    confidence, route, engine = job.get("confidence"), job.get("route"), job.get("engine")
    if confidence is not None and event.status != "failed":
        metrics.CONFIDENCE.observe(float(confidence))
    if route:
        metrics.ROUTES.labels(route=route).inc()
    log.info(
        "job finished: %s",
        event.status,
        extra={
            "status": event.status,
            "stage": event.stage,
            "confidence": confidence,
            "engine": engine,
            "route": route,
            "duration": _seconds(job.get("started_at"), job.get("finished_at")),
        },
    )


def _seconds(start: Any, end: Any) -> float | None:
    if not isinstance(start, dt.datetime) or not isinstance(end, dt.datetime):
        return None
    return round((end - start).total_seconds(), 3)
