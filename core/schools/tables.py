"""The schools' own tables beside core/db/tables.py's Tenant (listed in core.piccolo_app; migration
timetabler_2026_11_29_privacy)."""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.db.tables import Tenant


class SchoolCredential(Table, tablename="school_credentials"):
    """A school's own key for a paid engine, encrypted with TIMETABLER_ENCRYPTION_KEY (Fernet).

    Only the ciphertext and the key's last four characters are stored; the API shows no more.
    """

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=60)  # e.g. gcvApiKey, anthropicApiKey
    ciphertext = Text()
    last4 = Varchar(length=4)
    updated_at = Timestamptz(default=TimestamptzNow())


SCHOOL_TABLES: list[type[Table]] = [SchoolCredential]
