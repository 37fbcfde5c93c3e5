"""The calendar feed's table: one secret subscription link per person, stored only as a hash."""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.db.tables import Tenant, User


class CalendarFeed(Table, tablename="calendar_feeds"):
    """A user's calendar subscription. Rotating replaces the hash, so the old link stops working."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, unique=True)
    token_hash = Varchar(length=64, unique=True)  # sha256 hex of the token in the link
    created_at = Timestamptz(default=TimestamptzNow())


CALENDAR_TABLES: list[type[Table]] = [CalendarFeed]
