"""The calendar feed table, with row-level security with FORCE on PostgreSQL.

Hand-written. Piccolo runs a migration's raw steps before its add_table steps, so the table, its
keys and its policy are made in one raw step, in that order, from a frozen copy of the table
below (later changes to core/calendar/tables.py must come with a migration of their own).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import UUID, ForeignKey, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-29T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "calendar feeds: one secret subscription link per user"

CONDITION = (
    "current_setting('app.tenant_id', true) = '*' OR tenant_id::text = current_setting('app.tenant_id', true)"
)


class Tenant(Table, tablename="tenants", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True)


class User(Table, tablename="users", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True)


class CalendarFeed(Table, tablename="calendar_feeds", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True)
    tenant_id = ForeignKey(
        references=Tenant, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade, null=False, index=True
    )
    user_id = ForeignKey(
        references=User, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade, null=False, unique=True
    )
    token_hash = Varchar(length=64, default="", null=False, unique=True)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="timetabler", description=DESCRIPTION)

    async def create_calendar_feeds():
        engine = engine_finder()
        await CalendarFeed.create_table(if_not_exists=True)
        if engine is None or engine.engine_type != "postgres":
            return
        await engine.run_ddl('ALTER TABLE "calendar_feeds" ENABLE ROW LEVEL SECURITY')
        await engine.run_ddl('ALTER TABLE "calendar_feeds" FORCE ROW LEVEL SECURITY')
        await engine.run_ddl('DROP POLICY IF EXISTS tenant_isolation ON "calendar_feeds"')
        await engine.run_ddl(
            f'CREATE POLICY tenant_isolation ON "calendar_feeds" USING ({CONDITION}) WITH CHECK ({CONDITION})'
        )

    async def drop_calendar_feeds():
        await CalendarFeed.alter().drop_table(if_exists=True)

    manager.add_raw(create_calendar_feeds)
    manager.add_raw_backwards(drop_calendar_feeds)
    return manager
