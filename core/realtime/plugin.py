"""Built-in plugin: every stage change becomes a ``job:status`` event, and the "websocket" notifier
sends the final event (``job:completed``, ``job:failed``, ``job:hitl_required``) to the job's channel.

Both run where the pipeline runs: a thread of the app (embedded default) or a separate worker
process, which publishes to Redis directly (see publisher.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from core import hookimpl
from core.realtime.publisher import publish

if TYPE_CHECKING:
    from core.db.scoping import TenantScope
    from core.engines import Notification
    from core.notifications.delivery import Delivery, Outcome
    from core.policy import PipelineEvent

# The events module (with the database and the auth checks behind it) loads with the first event:
# every process registers this plugin, and a `timetabler extract` run never sends one.

log = logging.getLogger(__name__)

# Notification kind -> the outcome its event reports. A finished review completes the job.
OUTCOMES = {
    "processing_complete": "completed",
    "hitl_completed": "completed",
    "processing_failed": "failed",
    "hitl_required": "review",
}


@hookimpl
def pipeline_event(event: PipelineEvent) -> None:
    # Published in line (a local Redis PUBLISH is well under a millisecond) so events keep their order.
    from core.realtime import events

    try:
        publish(event.tenant_id, event.job_id, events.job_status(event.job_id, event.status, event.stage))
    except Exception:  # the hook must not raise: a lost progress event must not fail the job
        log.exception("could not publish the %s event of job %s", event.stage, event.job_id)


class WebsocketNotifier:
    """Tells the browsers watching a job how it ended (the "inApp" channel of the preferences).

    The fan-out (core/notifications) calls ``deliver`` once per person told, on the event loop of
    the app or worker; the job's channel is one for everyone watching, so it is told once: with the
    uploader's delivery.
    """

    name = "websocket"

    async def deliver(self, delivery: Delivery, scope: TenantScope) -> Outcome:
        from core.db.tables import Job
        from core.notifications.delivery import Outcome
        from core.realtime import events

        notification = delivery.notification
        outcome = OUTCOMES.get(notification.kind)
        if outcome is None:
            return Outcome("skipped", f"no live event for {notification.kind}")
        job = await scope.select(Job, Job.user_id).where(Job.id == notification.job_id).first()
        if job is None:
            return Outcome("skipped", "the job no longer exists")
        if str(job["user_id"]) != notification.user_id:
            return Outcome("skipped", "the job's channel is told once, with the uploader's delivery")
        event = await events.final_event(notification.tenant_id, notification.job_id, outcome)
        publish(notification.tenant_id, notification.job_id, event or _event_from(notification, outcome))
        return Outcome("sent")

    def notify(self, notification: Notification) -> None:
        """The plain Notifier contract, for callers without the fan-out: what the notification says."""
        outcome = OUTCOMES.get(notification.kind)
        if outcome is not None:
            publish(notification.tenant_id, notification.job_id, _event_from(notification, outcome))


def _event_from(notification: Notification, outcome: str) -> dict[str, Any]:
    from core.realtime import events

    if outcome == "completed":
        return events.completed(
            notification.job_id, notification.timetable_id, notification.document_id, None
        )
    if outcome == "failed":
        return events.failed(notification.job_id, notification.message)
    return events.hitl_required(notification.job_id, notification.message)


@hookimpl
def register_notifiers() -> list[Any]:
    return [WebsocketNotifier()]
