"""What a teacher does to their timetables, apart from HTTP: rename, delete and restore, choose the
current one, and notice an upload they made before.

The current timetable is worked out when asked, not stored: of the owner's timetables that are not
deleted and whose upload finished (or that were made by hand), the one with the latest of "when its
upload finished" and "when the owner chose it". So a new upload becomes current by itself, choosing
an older one wins until the next upload, and deleting the current one hands over to the one before.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from core.auth import CurrentUser
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import Document, Job, Timetable
from core.errors import DomainError, not_found
from core.schools.roles import visible
from core.timetables.rotating import ROTATION_FIELDS, change_rotation

# How long a deleted timetable can be brought back before the maintenance run removes it.
RESTORE_DAYS = 30
NAME_LIMIT = 200


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime | None) -> dt.datetime:
    """SQLite hands back naive times (stored as UTC); PostgreSQL aware ones."""
    if value is None:
        return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def live(query: Any) -> Any:
    """Only timetables that are not deleted."""
    return query.where(Timetable.deleted_at.is_null())


async def load(user: CurrentUser, timetable_id: uuid.UUID, *, deleted: bool = False) -> Timetable:
    """A timetable this user may see; a deleted one only when asked for (to restore it)."""
    query = visible(user.scope.objects(Timetable), Timetable, user).where(Timetable.id == timetable_id)
    if not deleted:
        query = live(query)
    row = await query.first()
    if row is None:
        raise not_found("Timetable")
    return row


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())[:NAME_LIMIT]
    if not cleaned:
        raise DomainError(
            400, "invalid_name", "Give the timetable a name, for example 'Week A' or 'Autumn term'."
        )
    return cleaned


async def update(user: CurrentUser, timetable_id: uuid.UUID, changes: dict[str, Any]) -> Timetable:
    """Rename and edit the details of a timetable (a name cannot be blank), or change how it
    repeats (its lessons move with it: core/timetables/rotating.py)."""
    row = await load(user, timetable_id)
    if "name" in changes:
        changes["name"] = clean_name(changes["name"] or "")
    rotation = {k: changes.pop(k) for k in ROTATION_FIELDS if k in changes}
    if rotation:
        await change_rotation(user, row, rotation)
    if changes:
        values = {getattr(Timetable, k): v for k, v in changes.items()}
        values[Timetable.updated_at] = now()
        await user.scope.update(Timetable, values).where(Timetable.id == row.id)
    return await load(user, timetable_id)


async def delete(user: CurrentUser, timetable_id: uuid.UUID) -> dt.datetime:
    """Hide the timetable (and its lessons) from everything; returns until when it can be restored."""
    row = await load(user, timetable_id)
    deleted = now()
    await user.scope.update(Timetable, {Timetable.deleted_at: deleted}).where(Timetable.id == row.id)
    return deleted + dt.timedelta(days=RESTORE_DAYS)


async def restore(user: CurrentUser, timetable_id: uuid.UUID) -> Timetable:
    """Undo a delete: the timetable is back as it was (current again if it was, unless a newer
    upload has finished since)."""
    row = await load(user, timetable_id, deleted=True)
    if row.deleted_at is not None:
        await user.scope.update(Timetable, {Timetable.deleted_at: None}).where(Timetable.id == row.id)
    return await load(user, timetable_id)


async def _finished(scope: TenantScope, document_ids: list[uuid.UUID]) -> dict[uuid.UUID, dt.datetime | None]:
    """Each document whose latest job completed, with when it finished (None: not completed)."""
    if not document_ids:
        return {}
    rows = (
        await scope.select(Job, Job.document_id, Job.status, Job.finished_at, Job.updated_at)
        .where(Job.document_id.is_in(document_ids))
        .order_by(Job.created_at, ascending=False)
    )
    latest: dict[uuid.UUID, dt.datetime | None] = {}
    for row in rows:
        if row["document_id"] in latest:
            continue
        if row["status"] != "completed":
            latest[row["document_id"]] = None
            continue
        # A checked document completes when its check is saved, which moves updated_at, not finished_at.
        latest[row["document_id"]] = max(aware(row["finished_at"]), aware(row["updated_at"]))
    return latest


async def current_id(scope: TenantScope, user_id: uuid.UUID) -> uuid.UUID | None:
    """The owner's current timetable (see the module's docstring), or None when they have none."""
    rows = await live(
        scope.select(
            Timetable, Timetable.id, Timetable.document_id, Timetable.created_at, Timetable.chosen_at
        ).where(Timetable.user_id == user_id)
    )
    finished = await _finished(scope, [r["document_id"] for r in rows if r["document_id"]])
    best: tuple[dt.datetime, dt.datetime, uuid.UUID] | None = None
    for row in rows:
        if row["document_id"] is None:
            ready: dt.datetime | None = aware(row["created_at"])  # made by hand (or its file deleted)
        else:
            ready = finished.get(row["document_id"])
        if ready is None:
            continue  # still being read or checked, or failed: not a timetable to live by yet
        chosen = aware(row["chosen_at"]) if row["chosen_at"] else ready
        key = (max(ready, chosen), aware(row["created_at"]), row["id"])
        if best is None or key > best:
            best = key
    return best[2] if best else None


async def current(user: CurrentUser) -> Timetable:
    """The signed-in person's own current timetable, whatever their role."""
    timetable_id = await current_id(user.scope, user.id)
    if timetable_id is None:
        raise DomainError(
            404, "no_timetable", "You have no timetable yet. Upload a photo or file of your timetable."
        )
    return await load(user, timetable_id)


async def choose(user: CurrentUser, timetable_id: uuid.UUID) -> Timetable:
    """The owner picks which of their timetables is current (until their next upload finishes)."""
    row = await load(user, timetable_id)
    if row.user_id != user.id:
        raise DomainError(
            403, "not_yours", "Only the teacher who uploaded a timetable can make it their current one."
        )
    if (
        row.document_id is not None
        and (await _finished(user.scope, [row.document_id])).get(row.document_id) is None
    ):
        raise DomainError(
            409,
            "not_ready",
            "This timetable is not finished yet (it is still being read or checked). "
            "Choose it once it is ready.",
        )
    await user.scope.update(Timetable, {Timetable.chosen_at: now()}).where(Timetable.id == row.id)
    return await load(user, timetable_id)


@dataclass(frozen=True)
class EarlierUpload:
    document_id: uuid.UUID
    filename: str
    uploaded_at: dt.datetime
    timetable_id: uuid.UUID | None

    @property
    def message(self) -> str:
        day = f"{self.uploaded_at.day} {self.uploaded_at:%b %Y}"
        return f"You uploaded this file on {day} ('{self.filename}'). It is read again as a new copy."


async def earlier_upload(user: CurrentUser, content_hash: str) -> EarlierUpload | None:
    """The newest document this person uploaded before with exactly these bytes, if any."""
    row = (
        await user.scope.select(Document, Document.id, Document.filename, Document.created_at)
        .where(Document.user_id == user.id, Document.content_hash == content_hash)
        .order_by(Document.created_at, ascending=False)
        .first()
    )
    if row is None:
        return None
    timetable = await live(
        user.scope.select(Timetable, Timetable.id).where(Timetable.document_id == row["id"])
    ).first()
    return EarlierUpload(
        document_id=row["id"],
        filename=row["filename"],
        uploaded_at=aware(row["created_at"]),
        timetable_id=timetable["id"] if timetable else None,
    )


async def purge_deleted(older_than_days: int = RESTORE_DAYS) -> int:
    """Remove for good the timetables deleted more than the restore window ago (every school:
    called from the maintenance run, which works across schools)."""
    table = unscoped_query_across_all_tenants(Timetable)
    cutoff = now() - dt.timedelta(days=older_than_days)
    gone = await table.select(table.id).where(table.deleted_at.is_not_null(), table.deleted_at < cutoff)
    if gone:
        await table.delete().where(table.id.is_in([r["id"] for r in gone]))
    return len(gone)
