"""Notification tables: push subscriptions, per-user channel preferences and the sent log.

Hand-written. The tables are frozen here as they were at this migration (later changes get their
own migration) and created with Piccolo's create_table, which speaks SQLite and PostgreSQL. Unique
keys start with tenant_id; every table gets row-level security with FORCE on PostgreSQL, like
timetabler_2026_11_28_row_security. (A raw step runs before a manager's add_table steps, so the
tables are made in the raw step too.)
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import UUID, Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-29T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "notifications: push subscriptions, preferences, sent log"

UNIQUE_INDEXES = (
    ("push_subscriptions_tenant_endpoint", "push_subscriptions", "tenant_id, endpoint"),
    ("notification_preferences_tenant_user", "notification_preferences", "tenant_id, user_id"),
    ("notification_log_tenant_dedup", "notification_log", "tenant_id, dedup_key"),
)
CONDITION = (
    "current_setting('app.tenant_id', true) = '*' OR tenant_id::text = current_setting('app.tenant_id', true)"
)


class Tenant(Table, tablename="tenants"):
    id = UUID(primary_key=True)


class User(Table, tablename="users"):
    id = UUID(primary_key=True)


class PushSubscription(Table, tablename="push_subscriptions"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    endpoint = Text()
    p256dh = Varchar(length=200)
    auth = Varchar(length=100)
    created_at = Timestamptz(default=TimestamptzNow())


class NotificationPreference(Table, tablename="notification_preferences"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    email = Boolean(default=True)
    push = Boolean(default=True)
    in_app = Boolean(default=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class NotificationLog(Table, tablename="notification_log"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    job_id = Varchar(length=36, null=True, default=None)
    kind = Varchar(length=40)
    channel = Varchar(length=20)
    status = Varchar(length=20)
    detail = Text(default="")
    dedup_key = Varchar(length=300)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


NEW_TABLES = (PushSubscription, NotificationPreference, NotificationLog)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="timetabler", description=DESCRIPTION)

    async def create_tables():
        engine = engine_finder()
        for table in NEW_TABLES:
            table._meta.db = engine
            await table.create_table(if_not_exists=True)
        for name, table, columns in UNIQUE_INDEXES:
            await engine.run_ddl(f'CREATE UNIQUE INDEX IF NOT EXISTS "{name}" ON "{table}" ({columns})')
        if engine.engine_type != "postgres":
            return
        for table in NEW_TABLES:
            name = table._meta.tablename
            await engine.run_ddl(f'ALTER TABLE "{name}" ENABLE ROW LEVEL SECURITY')
            await engine.run_ddl(f'ALTER TABLE "{name}" FORCE ROW LEVEL SECURITY')
            await engine.run_ddl(f'DROP POLICY IF EXISTS tenant_isolation ON "{name}"')
            await engine.run_ddl(
                f'CREATE POLICY tenant_isolation ON "{name}" USING ({CONDITION}) WITH CHECK ({CONDITION})'
            )

    manager.add_raw(create_tables)
    return manager
