"""Direct upload steps that touch S3: hand out URLs, check a finished object, expire stale ones."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import secrets
import uuid
from pathlib import Path

from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.direct_upload.tables import DirectUpload
from core.errors import DomainError
from core.runtime import Runtime
from core.settings import Settings
from core.storage import S3Storage
from core.uploads.inspect import Inspected, inspect_or_refuse

log = logging.getLogger(__name__)
MB = 1024 * 1024


def s3_storage(runtime: Runtime) -> S3Storage:
    """The S3 store, or a 409 telling the client to stream the file to the API instead."""
    if not isinstance(runtime.storage, S3Storage):
        raise DomainError(409, "direct_upload_unavailable", "use POST /api/v1/documents/upload")
    return runtime.storage


def pending_key(tenant_id: uuid.UUID, upload_id: uuid.UUID) -> str:
    # Random beyond the id, so a key cannot be guessed from an id seen in a log.
    return f"tenants/{tenant_id}/direct-uploads/{upload_id}/{secrets.token_urlsafe(16)}"


def check_declared_size(settings: Settings, size: int, filename: str) -> None:
    limit = int(settings.direct_upload_max_mb * MB)
    if size <= 0:
        raise DomainError(
            400, "invalid_size", f"Send the size of '{filename}' in bytes (more than 0), not {size}."
        )
    if size > limit:
        raise DomainError(
            413,
            "file_too_large",
            f"The file is larger than {settings.direct_upload_max_mb:g} MB. Upload a smaller file "
            "(a photo at a lower resolution, or just the timetable pages of the PDF).",
        )


def part_plan(settings: Settings, size: int) -> tuple[int, int] | None:
    """(part size, part count) for a multipart upload, or None when one PUT will do."""
    if size <= settings.direct_upload_multipart_mb * MB:
        return None
    part_size = max(5 * MB, int(settings.direct_upload_part_mb * MB))  # S3's smallest part
    return part_size, math.ceil(size / part_size)


class Checked:
    def __init__(self, inspected: Inspected, sha256: str) -> None:
        self.inspected, self.sha256 = inspected, sha256


def inspect_object(runtime: Runtime, storage: S3Storage, upload: DirectUpload) -> Checked:
    """The same checks as a streamed upload, on the stored object (read whole: a Word file's zip
    directory sits at its end and the PDF limits count every object). Raises DomainError."""
    with storage.local_path(upload.storage_key) as path:
        digest = hashlib.sha256()
        with Path(path).open("rb") as handle:
            while chunk := handle.read(MB):
                digest.update(chunk)
        inspected = inspect_or_refuse(runtime.plugins, Path(path), upload.filename)
    return Checked(inspected, digest.hexdigest())


def discard(storage: S3Storage, upload: DirectUpload) -> None:
    """Delete what an upload left in S3: the object, or the parts of an unfinished multipart."""
    if upload.multipart_id:
        try:
            storage.abort_multipart(upload.storage_key, upload.multipart_id)
        except Exception:  # already completed or aborted: then the object is what is left
            log.debug("multipart %s not aborted", upload.multipart_id, exc_info=True)
    storage.delete(upload.storage_key)


async def expire_pending(runtime: Runtime, tenant_id: uuid.UUID | None = None) -> int:
    """Delete pending uploads past their expiry, and their bytes: one school's, or (for a periodic
    sweep such as the reaper's) every school's. Returns how many went."""
    if not isinstance(runtime.storage, S3Storage):
        return 0
    now = dt.datetime.now(dt.UTC)
    if tenant_id is None:
        table = unscoped_query_across_all_tenants(DirectUpload)  # platform sweep across schools
        query, delete = table.objects(), table.delete
    else:
        scope = TenantScope(tenant_id)
        query, delete = scope.objects(DirectUpload), lambda: scope.delete(DirectUpload)
    stale = await query.where(
        DirectUpload.status.is_in(["pending", "checking"]), DirectUpload.expires_at < now
    )
    for upload in stale:
        try:
            discard(runtime.storage, upload)
        except Exception:
            log.warning("could not delete expired upload %s", upload.id, exc_info=True)
            continue
        await delete().where(DirectUpload.id == upload.id)
    return len(stale)
