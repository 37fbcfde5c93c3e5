"""The notification tables: each tenant-owned, with ``tenant_id`` in every unique key (see the
migration timetabler_2026_11_29_notifications for the unique indexes and row-level security)."""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.db.tables import Tenant, User


class PushSubscription(Table, tablename="push_subscriptions"):
    """A browser's Web Push subscription (``PushSubscription.toJSON()``), one row per endpoint."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    endpoint = Text()
    p256dh = Varchar(length=200)
    auth = Varchar(length=100)
    created_at = Timestamptz(default=TimestamptzNow())


class NotificationPreference(Table, tablename="notification_preferences"):
    """A user's choice per channel; a user without a row gets every channel (all true)."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    email = Boolean(default=True)
    push = Boolean(default=True)
    in_app = Boolean(default=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class NotificationLog(Table, tablename="notification_log"):
    """What each channel did with each notification: the rate limit counts it, and its
    ``dedup_key`` makes a redelivered notify stage tell nobody twice."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    job_id = Varchar(length=36, null=True, default=None)
    kind = Varchar(length=40)
    channel = Varchar(length=20)  # email | push | inApp
    status = Varchar(length=20)  # sent | failed | skipped | rate_limited
    detail = Text(default="")
    dedup_key = Varchar(length=300)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


NOTIFICATION_TABLES: list[type[Table]] = [PushSubscription, NotificationPreference, NotificationLog]
