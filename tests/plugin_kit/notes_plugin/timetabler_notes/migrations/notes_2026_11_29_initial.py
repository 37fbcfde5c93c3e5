from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-29T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the notes table"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="notes", description=DESCRIPTION)
    manager.add_table(class_name="Note", tablename="plugin_notes_note", schema=None, columns=None)
    manager.add_column(
        table_class_name="Note",
        tablename="plugin_notes_note",
        column_name="text",
        db_column_name="text",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 200,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
