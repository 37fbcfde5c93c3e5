"""Data retention: a school's documents (and their files) are deleted after its retention days.

The timetables made from them stay: they are the teacher's own work, not the uploaded original.
Run it daily (`timetabler purge-expired`, e.g. from cron or a scheduler).
"""

from __future__ import annotations

import datetime as dt
import logging
from uuid import UUID

import anyio

from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import Document, Tenant
from core.schools.service import school_settings
from core.storage import Storage

log = logging.getLogger(__name__)


async def purge_expired_documents(
    storage: Storage, now: dt.datetime | None = None, *, only_school: UUID | None = None
) -> int:
    now = now or dt.datetime.now(dt.UTC)
    removed = 0
    schools = unscoped_query_across_all_tenants(Tenant)  # platform work: every school in turn
    query = schools.objects() if only_school is None else schools.objects().where(schools.id == only_school)
    for school in await query:
        settings, _ = await school_settings(school)
        cutoff = now - dt.timedelta(days=settings.retention_days)
        scope = TenantScope(school.id)
        expired = await scope.select(Document, Document.id, Document.storage_key).where(
            Document.created_at < cutoff
        )
        for row in expired:
            await scope.delete(Document).where(Document.id == row["id"])
            await anyio.to_thread.run_sync(storage.delete, row["storage_key"])
            removed += 1
        if expired:
            log.info(
                "removed %d documents of %s older than %d days",
                len(expired),
                school.slug,
                settings.retention_days,
            )
    return removed
