"""Direct uploads to S3: the pending upload table, with row-level security with FORCE on PostgreSQL.

Hand-written, like the calendar migration: the table, its keys and its policy are made in one raw
step from a frozen copy of the table below (later changes to core/direct_upload/tables.py must come
with a migration of their own).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import UUID, BigInt, ForeignKey, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-29T14:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "direct uploads: presigned S3 uploads waiting to be completed"

CONDITION = (
    "current_setting('app.tenant_id', true) = '*' OR tenant_id::text = current_setting('app.tenant_id', true)"
)


class Tenant(Table, tablename="tenants", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True)


class User(Table, tablename="users", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True)


class DirectUpload(Table, tablename="direct_uploads", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True)
    tenant_id = ForeignKey(
        references=Tenant, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade, null=False, index=True
    )
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade, null=False)
    filename = Varchar(length=255, default="", null=False)
    size = BigInt(default=0, null=False)
    storage_key = Varchar(length=400, default="", null=False)
    multipart_id = Varchar(length=400, default=None, null=True)
    status = Varchar(length=20, default="pending", null=False)
    document_id = UUID(default=None, null=True)
    job_id = UUID(default=None, null=True)
    created_at = Timestamptz(default=TimestamptzNow(), null=False)
    expires_at = Timestamptz(default=TimestamptzNow(), null=False)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="timetabler", description=DESCRIPTION)

    async def create_direct_uploads():
        engine = engine_finder()
        await DirectUpload.create_table(if_not_exists=True)
        if engine is None or engine.engine_type != "postgres":
            return
        await engine.run_ddl('ALTER TABLE "direct_uploads" ENABLE ROW LEVEL SECURITY')
        await engine.run_ddl('ALTER TABLE "direct_uploads" FORCE ROW LEVEL SECURITY')
        await engine.run_ddl('DROP POLICY IF EXISTS tenant_isolation ON "direct_uploads"')
        await engine.run_ddl(
            f'CREATE POLICY tenant_isolation ON "direct_uploads" USING ({CONDITION}) WITH CHECK ({CONDITION})'
        )

    async def drop_direct_uploads():
        await DirectUpload.alter().drop_table(if_exists=True)

    manager.add_raw(create_direct_uploads)
    manager.add_raw_backwards(drop_direct_uploads)
    return manager
