"""A plugin's own tables: `timetabler migrate` runs its Piccolo app's migrations after ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.plugin_kit.install import env_with, install, timetabler
from tests.support.shared import SharedServers
from tests.support.stacks import postgres_env

NOTES = Path(__file__).parent / "notes_plugin"


def tables(data_dir: Path) -> set[str]:
    with sqlite3.connect(data_dir / "timetabler.sqlite3") as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_migrate_creates_a_plugins_tables_unless_the_plugin_is_denied(tmp_path: Path) -> None:
    site = install([NOTES], tmp_path / "site")
    migrated = timetabler(["migrate", "--data-dir", str(tmp_path / "on")], env_with(site))
    assert migrated.returncode == 0, migrated.stderr
    assert {"plugin_notes_note", "tenants", "jobs"} <= tables(tmp_path / "on")
    again = timetabler(["migrate", "--data-dir", str(tmp_path / "on")], env_with(site))
    assert again.returncode == 0, again.stderr  # up to date: nothing runs twice

    denied = env_with(site, TIMETABLER_PLUGINS_DENY="notes")
    assert timetabler(["migrate", "--data-dir", str(tmp_path / "off")], denied).returncode == 0
    assert "plugin_notes_note" not in tables(tmp_path / "off") and "tenants" in tables(tmp_path / "off")


def test_on_postgresql_the_plugins_table_is_migrated_by_the_owner_and_granted_to_the_app(
    tmp_path: Path, shared: SharedServers
) -> None:
    site = install([NOTES], tmp_path / "site")
    pg = shared.database(migrated=False)
    env = env_with(site, **postgres_env(pg))
    migrated = timetabler(["migrate", "--data-dir", str(tmp_path / "data")], env)
    assert migrated.returncode == 0, migrated.stderr
    assert pg.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'plugin_notes_note'") == pg.user
    # The app's role (which owns nothing) may use the plugin's table as it uses ours.
    granted = "SELECT has_table_privilege('timetabler_app', 'plugin_notes_note', 'INSERT')"
    assert pg.execute(granted) == "t"
