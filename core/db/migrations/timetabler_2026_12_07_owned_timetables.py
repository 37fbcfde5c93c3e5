"""Timetables a teacher owns: a delete that can be undone, and the one the teacher chose as current.

Hand-written. Two nullable columns on "timetables", added with Piccolo's add_column, which speaks
SQLite and PostgreSQL. The table's row-level security policy (timetabler_2026_11_28_row_security)
covers whole rows, so new columns need no policy of their own.

- deleted_at: set by DELETE /timetables/{id}; the row is hidden everywhere until restored, and
  removed for good 30 days later by the maintenance run.
- chosen_at: when the teacher picked this timetable as current. The current one is the timetable
  with the latest of (chosen_at, the time its upload finished), so a newer upload takes over again.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "timetables: soft delete (deleted_at) and the teacher's chosen current one (chosen_at)"

PARAMS = {
    "default": None,
    "null": True,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="timetabler", description=DESCRIPTION)
    for column in ("deleted_at", "chosen_at"):
        manager.add_column(
            table_class_name="Timetable",
            tablename="timetables",
            column_name=column,
            db_column_name=column,
            column_class_name="Timestamptz",
            column_class=Timestamptz,
            params=dict(PARAMS),
            schema=None,
        )
    return manager
