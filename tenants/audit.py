"""The audit log: every settings change (who, when, old -> new) and the refusals that matter."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from core.auth import CurrentUser
from core.db.tables import AuditEntry


async def record(
    actor: CurrentUser | None,
    action: str,
    *,
    tenant_id: UUID | None = None,
    district_id: UUID | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    outcome: str = "ok",
    reason: str | None = None,
) -> None:
    await AuditEntry(
        tenant_id=tenant_id,
        district_id=district_id,
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else None,
        action=action,
        outcome=outcome,
        before=before or {},
        after=after or {},
        reason=reason,
    ).save()


async def refused(
    actor: CurrentUser | None,
    action: str,
    reason: str,
    *,
    attempted: Any,
    tenant_id: UUID | None = None,
    district_id: UUID | None = None,
    before: dict[str, Any] | None = None,
) -> None:
    """Record an attempt that was refused: what was asked for, and why not."""
    await record(
        actor,
        action,
        tenant_id=tenant_id,
        district_id=district_id,
        before=before,
        after=attempted if isinstance(attempted, dict) else {},
        outcome="refused",
        reason=reason,
    )
