"""Privacy tables: school engine credentials (encrypted, row-level security with FORCE on
PostgreSQL) and the anonymised usage kept after a school is deleted.

Hand-written, like timetabler_2026_11_29_calendar: one raw step makes the tables from frozen copies
and then the policy (later changes to core/privacy/tables.py need a migration of their own).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import UUID, Float, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-29T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "privacy: encrypted school credentials, anonymised usage of deleted schools"

CONDITION = (
    "current_setting('app.tenant_id', true) = '*' OR tenant_id::text = current_setting('app.tenant_id', true)"
)


class Tenant(Table, tablename="tenants", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True)


class SchoolCredential(Table, tablename="school_credentials", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True)
    tenant_id = ForeignKey(
        references=Tenant, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade, null=False, index=True
    )
    name = Varchar(length=60, default="", null=False)
    ciphertext = Text(default="", null=False)
    last4 = Varchar(length=4, default="", null=False)
    updated_at = Timestamptz(default=TimestamptzNow(), null=False)


class RetainedUsage(Table, tablename="retained_usage", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True)
    former_school = UUID(default=UUID4(), null=False, index=True, index_method=IndexMethod.btree)
    kind = Varchar(length=30, default="", null=False)
    engine = Varchar(length=60, default=None, null=True)
    quantity = Integer(default=1, null=False)
    cost_usd = Float(default=0.0, null=False)
    reported_at = Timestamptz(default=None, null=True)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="timetabler", description=DESCRIPTION)

    async def create_privacy_tables():
        engine = engine_finder()
        await SchoolCredential.create_table(if_not_exists=True)
        await RetainedUsage.create_table(if_not_exists=True)
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS school_credentials_tenant_name "
            'ON "school_credentials" (tenant_id, name)'
        )
        if engine is None or engine.engine_type != "postgres":
            return
        await engine.run_ddl('ALTER TABLE "school_credentials" ENABLE ROW LEVEL SECURITY')
        await engine.run_ddl('ALTER TABLE "school_credentials" FORCE ROW LEVEL SECURITY')
        await engine.run_ddl('DROP POLICY IF EXISTS tenant_isolation ON "school_credentials"')
        await engine.run_ddl(
            f'CREATE POLICY tenant_isolation ON "school_credentials" USING ({CONDITION}) '
            f"WITH CHECK ({CONDITION})"
        )

    async def drop_privacy_tables():
        await SchoolCredential.alter().drop_table(if_exists=True)
        await RetainedUsage.alter().drop_table(if_exists=True)

    manager.add_raw(create_privacy_tables)
    manager.add_raw_backwards(drop_privacy_tables)
    return manager
