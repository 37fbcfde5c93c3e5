"""Built-in plugin: every stage change becomes a ``job:status`` event, and the "websocket" notifier
sends the final event (``job:completed``, ``job:failed``, ``job:hitl_required``) to the job's channel.

Both run where the pipeline runs: a thread of the app (embedded default) or a separate worker
process, which publishes to Redis directly (see publisher.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from core import hookimpl
from core.engines import Notification
from core.policy import PipelineEvent
from core.realtime import events
from core.realtime.publisher import app_loop, publish

log = logging.getLogger(__name__)

# Notification kind -> the outcome its event reports. A finished review completes the job.
OUTCOMES = {
    "processing_complete": "completed",
    "hitl_completed": "completed",
    "processing_failed": "failed",
    "hitl_required": "review",
}
READ_TIMEOUT_SECONDS = 10


@hookimpl
def pipeline_event(event: PipelineEvent) -> None:
    try:
        publish(event.tenant_id, event.job_id, events.job_status(event.job_id, event.status, event.stage))
    except Exception:  # the hook must not raise: a lost progress event must not fail the job
        log.exception("could not publish the %s event of job %s", event.stage, event.job_id)


class WebsocketNotifier:
    """Tells the browsers watching a job how it ended."""

    name = "websocket"

    def notify(self, notification: Notification) -> None:
        outcome = OUTCOMES.get(notification.kind)
        if outcome is None:
            return
        event = _read_final_event(notification, outcome) or _event_from(notification, outcome)
        publish(notification.tenant_id, notification.job_id, event)


def _event_from(notification: Notification, outcome: str) -> dict[str, Any]:
    """The event from the notification alone, when the rows cannot be read here."""
    if outcome == "completed":
        return events.completed(
            notification.job_id, notification.timetable_id, notification.document_id, None
        )
    if outcome == "failed":
        return events.failed(notification.job_id, notification.message)
    return events.hitl_required(notification.job_id, notification.message)


def _read_final_event(notification: Notification, outcome: str) -> dict[str, Any] | None:
    """Read the rows on the event loop that owns this process's database pool.

    Notifiers are called in a thread (asyncio.to_thread), so we block on that loop: the worker's
    loop in a worker, else the app's. Never from the loop's own thread, which would deadlock.
    """
    from dramatiq.asyncio import get_event_loop_thread

    thread = get_event_loop_thread()
    loop = thread.loop if thread is not None else app_loop()
    if loop is None or loop.is_closed() or _running_loop() is loop:
        return None
    coroutine = events.final_event(notification.tenant_id, notification.job_id, outcome)
    try:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=READ_TIMEOUT_SECONDS)
    except Exception:
        log.exception("could not read job %s for its final event", notification.job_id)
        return None


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


@hookimpl
def register_notifiers() -> list[Any]:
    return [WebsocketNotifier()]
