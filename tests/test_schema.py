"""The migrations and the table classes tell the same story.

A fresh database migrated forwards by `timetabler migrate`, on SQLite and on PostgreSQL, has exactly
the tables and columns of the Piccolo table classes of every app (types, nullability, primary keys,
single-column unique keys and indexes), and Piccolo's own record of the migrations matches the
classes too: `piccolo migrations new --auto` has nothing to write.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.apps.migrations.tables import Migration
from piccolo.columns import Column, ForeignKey
from piccolo.conf.apps import AppConfig, Finder
from piccolo.table import Table

import core.db  # noqa: F401 - sets PICCOLO_CONF, so Piccolo finds our apps
from tests.support.servers import PostgresServer, postgres_server

ROOT = Path(__file__).resolve().parent.parent
PICCOLO_TABLES = {Migration._meta.tablename}  # Piccolo's own bookkeeping, no app's table
RECORD_ID = "2026-12-07T12:00:00:000000"  # timetabler_2026_12_07_record_hand_written_tables


class ColumnShape(NamedTuple):
    type: str
    not_null: bool
    primary_key: bool
    unique: bool  # a unique key on this column alone
    indexed: bool  # a plain (non-unique) index on this column alone

    def __str__(self) -> str:
        flags = [
            self.type,
            "NOT NULL" if self.not_null else "NULL",
            *(["PRIMARY KEY"] if self.primary_key else []),
            *(["UNIQUE"] if self.unique else []),
            *(["INDEXED"] if self.indexed else []),
        ]
        return " ".join(flags)


Schema = dict[str, dict[str, ColumnShape]]  # table -> column -> shape


def app_configs() -> list[AppConfig]:
    return list(Finder().get_app_registry().app_configs.values())


def table_classes() -> list[type[Table]]:
    return [table for app in app_configs() for table in app.table_classes]


# --------------------------------------------------------------------------- what the classes say

# PostgreSQL stores a plain FLOAT as DOUBLE PRECISION.
POSTGRES_SYNONYMS = {"FLOAT": "DOUBLE PRECISION"}


def column_type(column: Column, engine_type: str) -> str:
    """The SQL type Piccolo declares for this column on the given engine."""
    if isinstance(column, ForeignKey):
        column = column._foreign_key_meta.resolved_target_column
    # A few types (BigInt, SmallInt) are spelled per engine; the rest are the same everywhere.
    per_engine = getattr(column, "_get_column_type", None)
    declared = (per_engine(engine_type=engine_type) if per_engine else column.column_type).upper()
    return POSTGRES_SYNONYMS.get(declared, declared) if engine_type == "postgres" else declared


def schema_of_classes(engine_type: str) -> Schema:
    return {
        table._meta.tablename: {
            column._meta.db_column_name: ColumnShape(
                type=column_type(column, engine_type),
                not_null=column._meta.primary_key or not column._meta.null,
                primary_key=column._meta.primary_key,
                unique=column._meta.unique and not column._meta.primary_key,
                indexed=column._meta.index,
            )
            for column in table._meta.columns
        }
        for table in table_classes()
    }


# --------------------------------------------------------------------------- what the database says


def schema_of_sqlite(path: Path) -> Schema:
    schema: Schema = {}
    with sqlite3.connect(path) as db:
        names = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        for (table,) in names.fetchall():
            unique, indexed = set(), set()
            for _seq, index, is_unique, origin, _partial in db.execute(f'PRAGMA index_list("{table}")'):
                columns = [row[2] for row in db.execute(f'PRAGMA index_info("{index}")')]
                if len(columns) == 1 and origin != "pk":
                    (unique if is_unique else indexed).add(columns[0])
            schema[table] = {
                name: ColumnShape(
                    type=declared.upper(),
                    # SQLite lets a non-integer primary key hold NULL; Piccolo never writes one.
                    not_null=bool(notnull or pk),
                    primary_key=bool(pk),
                    unique=name in unique,
                    indexed=name in indexed,
                )
                for _cid, name, declared, notnull, _default, pk in db.execute(f'PRAGMA table_info("{table}")')
            }
    return schema


# PostgreSQL's names for the types Piccolo declares (format_type spells them out).
PG_TYPES = {
    "uuid": "UUID",
    "text": "TEXT",
    "boolean": "BOOLEAN",
    "smallint": "SMALLINT",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "real": "REAL",
    "double precision": "DOUBLE PRECISION",
    "json": "JSON",
    "jsonb": "JSONB",
    "date": "DATE",
    "timestamp without time zone": "TIMESTAMP",
    "timestamp with time zone": "TIMESTAMPTZ",
    "character varying": "VARCHAR",
}


def piccolo_type(pg_type: str) -> str:
    base, _, rest = pg_type.partition("(")
    return PG_TYPES.get(base, base.upper()) + (f"({rest}" if rest else "")


def rows(pg: PostgresServer, database: str, sql: str) -> list[list[str]]:
    return [line.split("|") for line in pg.execute(sql, database=database).splitlines() if line]


def schema_of_postgres(pg: PostgresServer, database: str) -> Schema:
    columns = rows(
        pg,
        database,
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped",
    )
    single_column_indexes = rows(
        pg,
        database,
        "SELECT t.relname, a.attname, i.indisunique, i.indisprimary "
        "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0] "
        "WHERE n.nspname = 'public' AND i.indnatts = 1",
    )
    indexes = {
        (table, column, unique == "t", primary == "t")
        for table, column, unique, primary in single_column_indexes
    }
    schema: Schema = {}
    for table, column, pg_type, not_null in columns:
        schema.setdefault(table, {})[column] = ColumnShape(
            type=piccolo_type(pg_type),
            not_null=not_null == "t",
            primary_key=(table, column, True, True) in indexes,
            unique=(table, column, True, False) in indexes,
            indexed=(table, column, False, False) in indexes,
        )
    return schema


# --------------------------------------------------------------------------- comparing


def differences(database: Schema, classes: Schema) -> list[str]:
    found = []
    database = {name: columns for name, columns in database.items() if name not in PICCOLO_TABLES}
    for table in sorted(database.keys() - classes.keys()):
        found.append(f"table {table}: in the migrated database, in no table class")
    for table in sorted(classes.keys() - database.keys()):
        found.append(f"table {table}: in the table classes, not made by the migrations")
    for table in sorted(database.keys() & classes.keys()):
        migrated, declared = database[table], classes[table]
        for column in sorted(migrated.keys() - declared.keys()):
            found.append(f"{table}.{column}: in the migrated database ({migrated[column]}), not in the class")
        for column in sorted(declared.keys() - migrated.keys()):
            found.append(f"{table}.{column}: in the class ({declared[column]}), not in the migrated database")
        for column in sorted(migrated.keys() & declared.keys()):
            if migrated[column] != declared[column]:
                found.append(f"{table}.{column}: migrated {migrated[column]}, class says {declared[column]}")
    return found


def run(args: list[str], **env: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def migrate(data_dir: Path, **env: str) -> None:
    run(["core.cli", "migrate", "--data-dir", str(data_dir)], **env)


# --------------------------------------------------------------------------- the tests


def test_piccolos_record_of_the_migrations_matches_the_table_classes() -> None:
    """What `piccolo migrations new <app> --auto` would write, for every app: nothing."""

    async def statements(app: AppConfig) -> list[str]:
        alter = await AutoMigrationManager(auto_input="n").get_alter_statements(app_config=app)
        return [statement for group in alter for statement in group.statements]

    unrecorded = [f"{app.app_name}: {line}" for app in app_configs() for line in asyncio.run(statements(app))]
    assert not unrecorded, "a migration would be written:\n" + "\n".join(unrecorded)


def test_a_fresh_sqlite_database_migrated_forwards_has_the_table_classes_schema(tmp_path: Path) -> None:
    database = tmp_path / "timetabler.sqlite3"
    migrate(tmp_path)
    assert differences(schema_of_sqlite(database), schema_of_classes("sqlite")) == []

    # The record of the hand-written migrations' tables runs no DDL either way: undone, it leaves
    # the tables to the migrations that made them; redone, it creates nothing twice.
    undo = ["piccolo.main", "migrations", "backwards", "timetabler", RECORD_ID, "--auto_agree"]
    run(undo, PICCOLO_CONF="core.piccolo_conf", TIMETABLER_DATA_DIR=str(tmp_path))
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM migration WHERE name = ?", (RECORD_ID,)).fetchone() == (0,)
    migrate(tmp_path)
    found = differences(schema_of_sqlite(database), schema_of_classes("sqlite"))
    assert not found, "\n".join(found)


def test_a_fresh_postgresql_database_migrated_forwards_has_the_table_classes_schema(tmp_path: Path) -> None:
    with postgres_server() as pg:
        migrate(tmp_path, TIMETABLER_DATABASE_URL=pg.url)
        migrate(tmp_path, TIMETABLER_DATABASE_URL=pg.url)  # up to date: nothing runs twice
        found = differences(schema_of_postgres(pg, pg.database), schema_of_classes("postgres"))
    assert not found, "\n".join(found)
