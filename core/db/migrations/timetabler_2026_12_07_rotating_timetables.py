"""Timetables that do not repeat every week (core/timetables/rotation.py).

Hand-written, with Piccolo's add_column, which speaks SQLite and PostgreSQL; the tables' row-level
security policies cover whole rows, so new columns need none of their own. Existing timetables are
weekly, as before.

- timetables.rotation: weekly, two_week or cycle.
- timetables.rotation_labels: the week names ("A", "B") or the cycle's days ("Day 1" …), in order.
- timeblocks.week: a lesson's week on a two-week timetable.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T18:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "rotating timetables: a timetable's rotation and labels, a lesson's week"

PARAMS = {
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
    columns = (
        ("Timetable", "timetables", "rotation", Varchar, {"length": 10, "default": "weekly", "null": False}),
        ("Timetable", "timetables", "rotation_labels", JSON, {"default": "[]", "null": False}),
        ("Timeblock", "timeblocks", "week", Varchar, {"length": 20, "default": None, "null": True}),
    )
    for class_name, table, column, column_class, params in columns:
        manager.add_column(
            table_class_name=class_name,
            tablename=table,
            column_name=column,
            db_column_name=column,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={**PARAMS, **params},
            schema=None,
        )
    return manager
