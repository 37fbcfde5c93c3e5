"""The Piccolo app that owns Timetabler's tables and migrations: every feature's tables, put together
here (above the features) for core/piccolo_conf.py; the migrations live in core/db/migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.accounts.tables import SECURITY_TABLES
from core.calendar.tables import CALENDAR_TABLES
from core.db.tables import TABLES
from core.direct_upload.tables import DIRECT_UPLOAD_TABLES
from core.notifications.tables import NOTIFICATION_TABLES
from core.privacy.tables import PRIVACY_TABLES
from core.schools.tables import SCHOOL_TABLES

APP_CONFIG = AppConfig(
    app_name="timetabler",
    migrations_folder_path=str(Path(__file__).parent / "db" / "migrations"),
    table_classes=TABLES
    + NOTIFICATION_TABLES
    + CALENDAR_TABLES
    + SECURITY_TABLES
    + SCHOOL_TABLES
    + PRIVACY_TABLES
    + DIRECT_UPLOAD_TABLES,
    migration_dependencies=[],
    commands=[],
)
