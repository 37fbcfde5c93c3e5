"""Privacy tables (listed in core.piccolo_app; migration timetabler_2026_11_29_privacy, which also made
the schools' credentials table, now core/schools/tables.py)."""

from __future__ import annotations

from piccolo.columns import UUID, Float, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class RetainedUsage(Table, tablename="retained_usage"):
    """Usage of a deleted school, kept for billing without anything that names a person.

    Not tenant-owned: the school is gone. ``former_school`` is its id, for matching invoices.
    """

    id = UUID(primary_key=True)
    former_school = UUID(index=True)
    kind = Varchar(length=30)
    engine = Varchar(length=60, null=True, default=None)
    quantity = Integer(default=1)
    cost_usd = Float(default=0.0)
    reported_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


PRIVACY_TABLES: list[type[Table]] = [RetainedUsage]
