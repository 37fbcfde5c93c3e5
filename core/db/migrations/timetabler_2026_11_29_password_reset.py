"""Password resets: the single-use links sent by email (only a hash of each token is stored).

Hand-written, in the style of timetabler_2026_11_29_security: the table is frozen here as it was at
this migration and created with Piccolo's create_table, which speaks SQLite and PostgreSQL.
password_resets is tenant-owned and gets row-level security with FORCE on PostgreSQL; its tenant_id
is null for district and platform admins, whose rows only the escape hatch sees.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import UUID, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-29T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "security: password reset links"

CONDITION = (
    "current_setting('app.tenant_id', true) = '*' OR tenant_id::text = current_setting('app.tenant_id', true)"
)


class Tenant(Table, tablename="tenants"):
    id = UUID(primary_key=True)


class User(Table, tablename="users"):
    id = UUID(primary_key=True)


class PasswordReset(Table, tablename="password_resets"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=True, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="timetabler", description=DESCRIPTION)

    async def create_table():
        engine = engine_finder()
        PasswordReset._meta.db = engine
        await PasswordReset.create_table(if_not_exists=True)
        if engine.engine_type != "postgres":
            return
        name = "password_resets"
        await engine.run_ddl(f'ALTER TABLE "{name}" ENABLE ROW LEVEL SECURITY')
        await engine.run_ddl(f'ALTER TABLE "{name}" FORCE ROW LEVEL SECURITY')
        await engine.run_ddl(f'DROP POLICY IF EXISTS tenant_isolation ON "{name}"')
        await engine.run_ddl(
            f'CREATE POLICY tenant_isolation ON "{name}" USING ({CONDITION}) WITH CHECK ({CONDITION})'
        )

    manager.add_raw(create_table)
    return manager
