"""Row-level security with FORCE on every tenant-owned table (PostgreSQL only; SQLite has none)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T18:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "row-level security on tenant-owned tables"

TENANT_TABLES = (
    "users",
    "refresh_tokens",
    "invites",
    "audit_log",
    "usage_events",
    "documents",
    "jobs",
    "stage_results",
    "timetables",
    "timeblocks",
    "reviews",
    "subject_terms",
)
# A row is visible when its tenant is the session's app.tenant_id, or when the code has knowingly
# lifted the check ('*'). An unset app.tenant_id matches nothing.
CONDITION = (
    "current_setting('app.tenant_id', true) = '*' "
    "OR tenant_id::text = current_setting('app.tenant_id', true)"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="timetabler", description=DESCRIPTION)

    async def enable_row_security():
        engine = engine_finder()
        if engine is None or engine.engine_type != "postgres":
            return
        for table in TENANT_TABLES:
            await engine.run_ddl(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            await engine.run_ddl(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            await engine.run_ddl(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"')
            await engine.run_ddl(
                f'CREATE POLICY tenant_isolation ON "{table}" USING ({CONDITION}) WITH CHECK ({CONDITION})'
            )

    manager.add_raw(enable_row_security)
    return manager
