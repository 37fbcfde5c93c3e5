"""The sent log: one row per (notification, person, channel). Claiming the row before sending makes
a redelivered notify stage tell nobody twice; counting recent rows gives the per-user rate limit."""

from __future__ import annotations

import datetime as dt

from core.db.scoping import TenantScope
from core.notifications.delivery import Delivery, Outcome
from core.notifications.tables import NotificationLog


def dedup_key(delivery: Delivery, channel: str, occasion: str = "") -> str:
    n = delivery.notification
    return f"{n.job_id}:{n.kind}:{occasion}:{n.user_id}:{channel}"


async def claim(
    scope: TenantScope, delivery: Delivery, channel: str, occasion: str = ""
) -> NotificationLog | None:
    """The log row for this send, or None when this person was already told on this channel.
    ``occasion`` tells apart two real events of one kind (a retried job that fails again)."""
    key = dedup_key(delivery, channel, occasion)
    if await scope.count(NotificationLog).where(NotificationLog.dedup_key == key):
        return None
    row = scope.insert(
        NotificationLog,
        user_id=delivery.recipient.id,
        job_id=delivery.notification.job_id,
        kind=delivery.notification.kind,
        channel=channel,
        status="sending",
        dedup_key=key,
    )
    try:
        await row.save()
    except Exception:  # the unique key: another delivery of the same message claimed it first
        return None
    return row


async def finish(scope: TenantScope, row: NotificationLog, outcome: Outcome) -> None:
    values = {NotificationLog.status: outcome.status, NotificationLog.detail: outcome.detail[:2000]}
    await scope.update(NotificationLog, values).where(NotificationLog.id == row.id)


async def sent_since(scope: TenantScope, user_id: str, channel: str, since: dt.timedelta) -> int:
    """How many messages this person was sent on this channel lately (what the rate limit counts)."""
    start = dt.datetime.now(dt.UTC) - since
    return await scope.count(NotificationLog).where(
        NotificationLog.user_id == user_id,
        NotificationLog.channel == channel,
        NotificationLog.status == "sent",
        NotificationLog.created_at >= start,
    )
