"""Security tables: failed sign-ins (throttling) and session families (sessions a user can end).

Hand-written, in the style of timetabler_2026_11_29_notifications: the tables are frozen here as they
were at this migration and created with Piccolo's create_table, which speaks SQLite and PostgreSQL.
session_families is tenant-owned and gets row-level security with FORCE on PostgreSQL; its tenant_id
is null for district and platform admins, whose rows only the escape hatch sees, as for
refresh_tokens. login_attempts belongs to no school: it is written before anyone is known and names
accounts only by a hash of their email.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import UUID, Boolean, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-29T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "security: login attempts, session families"

CONDITION = (
    "current_setting('app.tenant_id', true) = '*' OR tenant_id::text = current_setting('app.tenant_id', true)"
)


class Tenant(Table, tablename="tenants"):
    id = UUID(primary_key=True)


class User(Table, tablename="users"):
    id = UUID(primary_key=True)


class LoginAttempt(Table, tablename="login_attempts"):
    id = UUID(primary_key=True)
    account = Varchar(length=64, index=True)
    ip = Varchar(length=64, index=True)
    succeeded = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class SessionFamily(Table, tablename="session_families"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=True, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    user_agent = Varchar(length=300, default="")
    ip = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


NEW_TABLES = (LoginAttempt, SessionFamily)
TENANT_TABLES = ("session_families",)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="timetabler", description=DESCRIPTION)

    async def create_tables():
        engine = engine_finder()
        for table in NEW_TABLES:
            table._meta.db = engine
            await table.create_table(if_not_exists=True)
        if engine.engine_type != "postgres":
            return
        for name in TENANT_TABLES:
            await engine.run_ddl(f'ALTER TABLE "{name}" ENABLE ROW LEVEL SECURITY')
            await engine.run_ddl(f'ALTER TABLE "{name}" FORCE ROW LEVEL SECURITY')
            await engine.run_ddl(f'DROP POLICY IF EXISTS tenant_isolation ON "{name}"')
            await engine.run_ddl(
                f'CREATE POLICY tenant_isolation ON "{name}" USING ({CONDITION}) WITH CHECK ({CONDITION})'
            )

    manager.add_raw(create_tables)
    return manager
