"""Builds the database engine from the settings and runs the migrations."""

from __future__ import annotations

from urllib.parse import unquote, urlparse

from piccolo.engine.base import Engine

from core.db.row_security import TenantAwarePostgresEngine
from core.db.sqlite import PooledSQLiteEngine
from core.db.tables import Tenant
from core.settings import Settings


def postgres_config(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"TIMETABLER_DATABASE_URL must be a postgresql:// URL, not {parsed.scheme}://")
    config: dict[str, object] = {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 5432,
        "database": parsed.path.lstrip("/") or "timetabler",
        "user": unquote(parsed.username or "postgres"),
    }
    if parsed.password:
        config["password"] = unquote(parsed.password)
    return config


def make_engine(settings: Settings) -> Engine:
    if settings.database_url:
        return TenantAwarePostgresEngine(config=postgres_config(settings.database_url), log_queries=False)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # A generous busy timeout: the web app and the in-process worker write to the same file.
    return PooledSQLiteEngine(path=str(settings.sqlite_path), timeout=30)


async def grant_app_role(app_url: str) -> None:
    """Let the app's role (which owns nothing, so row-level security binds it) read and write."""
    role = postgres_config(app_url)["user"]
    quoted = '"' + str(role).replace('"', '""') + '"'
    for statement in (
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
    ):
        await Tenant._meta.db.run_ddl(statement)


async def migrate() -> list[str]:
    """Apply every pending migration; returns what ran (empty when up to date)."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="all", migration_id="all")
    if not result.success:
        raise SystemExit(f"Migration failed: {result.message}")
    return [line for line in (result.message or "").splitlines() if line.strip()]
