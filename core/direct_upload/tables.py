"""A direct upload between the URL being handed out and the object being checked (or expiring)."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.db.tables import Tenant, User


class DirectUpload(Table, tablename="direct_uploads"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade)
    filename = Varchar(length=255)
    size = BigInt()  # as declared when the URL was asked for; the object must match it
    storage_key = Varchar(length=400)  # random, under the school's prefix
    multipart_id = Varchar(length=400, null=True, default=None)  # S3's UploadId, for big files
    status = Varchar(length=20, default="pending")  # pending | checking (being completed) | completed
    document_id = UUID(null=True, default=None)
    job_id = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(default=TimestamptzNow())


DIRECT_UPLOAD_TABLES: list[type[Table]] = [DirectUpload]
