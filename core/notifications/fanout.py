"""The fan-out: every notification goes to each person it concerns on each channel they left on.

A channel notifier (``deliver``) gets a ready Delivery and the sent log keeps what it did; any other
notifier (a third-party plugin, the websocket notifier) is called with the plain Notification, its
``user_id`` set to each person in turn. One notifier failing never stops the others or the job.
"""

from __future__ import annotations

import asyncio
import logging

import msgspec

from core.db.scoping import TenantScope
from core.db.tables import Document, Job, Tenant
from core.engines import Notification
from core.links import public_root
from core.notifications import preferences, recipients, sent_log
from core.notifications.delivery import (
    CHANNELS,
    TITLES,
    Branding,
    ChannelNotifier,
    Delivery,
    Outcome,
    Recipient,
)
from core.runtime import Runtime
from core.schools.service import effective_settings

log = logging.getLogger(__name__)


async def dispatch(runtime: Runtime, notification: Notification) -> None:
    """Tell everyone concerned; never raises (a notification is never worth failing a job)."""
    try:
        await _dispatch(runtime, notification)
    except Exception:
        log.exception("notifications for job %s could not be sent", notification.job_id)


async def _dispatch(runtime: Runtime, notification: Notification) -> None:
    scope = TenantScope(notification.tenant_id)
    people = await recipients.choose(scope, notification)
    if not people or not runtime.engines.notifiers:
        return
    prefs = await preferences.for_users(scope, [p.id for p in people])
    branding = await school_branding(scope)
    document = await scope.select(Document, Document.filename).where(Document.id == notification.document_id)
    document_name = document[0]["filename"] if document else "your document"
    occasion = await _occasion(scope, notification)
    for person in people:
        delivery = Delivery(
            notification=msgspec.structs.replace(notification, user_id=person.id),
            recipient=person,
            branding=branding,
            title=TITLES.get(notification.kind, "Timetabler"),
            url=link(public_root(runtime.settings), notification, person, branding.slug),
            document_name=document_name,
        )
        for name, notifier in runtime.engines.notifiers.items():
            channel = CHANNELS.get(name, name)
            if not prefs[person.id].allows(channel):
                continue
            await _send(scope, notifier, delivery, channel, occasion)


async def _occasion(scope: TenantScope, notification: Notification) -> str:
    """Each other outcome happens once per job; a failure again after each retry, so the time it
    failed keeps two failures apart (while a redelivered message of one failure stays one)."""
    if notification.kind != "processing_failed":
        return ""
    job = await scope.select(Job, Job.finished_at).where(Job.id == notification.job_id).first()
    return job["finished_at"].isoformat() if job and job["finished_at"] else ""


async def _send(
    scope: TenantScope, notifier: object, delivery: Delivery, channel: str, occasion: str
) -> None:
    name = getattr(notifier, "name", "?")
    try:
        if not isinstance(notifier, ChannelNotifier):
            await asyncio.to_thread(notifier.notify, delivery.notification)  # type: ignore[attr-defined]
            return
        row = await sent_log.claim(scope, delivery, channel, occasion)
        if row is None:
            return  # already told on this channel (a redelivered message)
        try:
            outcome = await notifier.deliver(delivery, scope)
        except Exception as exc:
            log.exception("notifier %s failed for job %s", name, delivery.notification.job_id)
            outcome = Outcome("failed", f"{type(exc).__name__}: {exc}")
        await sent_log.finish(scope, row, outcome)
    except Exception:
        log.exception("notifier %s failed for job %s", name, delivery.notification.job_id)


async def school_branding(scope: TenantScope) -> Branding:
    school = await Tenant.select(Tenant.name, Tenant.slug).where(Tenant.id == scope.tenant_id).first()
    settings = await effective_settings(scope.tenant_id)
    name = settings.display_name or (school["name"] if school else "Your school")
    return Branding(
        school_name=name,
        primary_color=settings.primary_color,
        logo_url=settings.logo_url,
        slug=school["slug"] if school else None,
    )


def link(public_url: str, notification: Notification, person: Recipient, slug: str | None = None) -> str:
    """Where the message leads: reviewers to the review queue, the uploader to the school's own app
    (its hash routes: ``#/timetables/{id}``, ``#/jobs/{id}``)."""
    base = public_url.rstrip("/")
    if notification.kind == "hitl_required" and person.id != notification.user_id:
        return f"{base}/admin/reviews"
    app = f"{base}/t/{slug}/app/" if slug else f"{base}/app/"
    if notification.timetable_id and notification.kind != "hitl_required":
        return f"{app}#/timetables/{notification.timetable_id}"
    return f"{app}#/jobs/{notification.job_id}"
