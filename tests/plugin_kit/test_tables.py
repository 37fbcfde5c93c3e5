"""A plugin's own tables: `timetabler migrate` runs its Piccolo app's migrations after ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.plugin_kit.install import env_with, install, timetabler

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
