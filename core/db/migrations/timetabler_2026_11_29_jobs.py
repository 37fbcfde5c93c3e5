"""Jobs at scale: one timetable per document, enforced by the database.

Two workers handed the same save message at once (a redelivery after a worker died, or the reaper
sending a stalled job again) must not save two timetables. The save stage replaces what an earlier
delivery wrote; this unique index makes the second insert of a race fail instead of duplicating, and
the stage then takes the replace path. tenant_id leads the key, as in every tenant-owned unique key.
Documents deleted later leave their timetables with a null document_id, which the index allows.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "jobs: one timetable per document"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="timetabler", description=DESCRIPTION)

    async def one_timetable_per_document():
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS timetables_one_per_document "
            'ON "timetables" (tenant_id, document_id)'
        )

    manager.add_raw(one_timetable_per_document)
    return manager
