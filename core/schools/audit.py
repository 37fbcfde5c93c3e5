"""The audit log: every settings change (who, when, old -> new) and the refusals that matter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from core.db.tables import AuditEntry

if TYPE_CHECKING:  # a type only: the worker writes audit entries without the web framework
    from core.auth import CurrentUser


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


# Sensitive actions in the log, by name: who did what is in actor_email, to whom in before/after.
ACTIONS = {
    "sign_in": "a sign-in (outcome ok) or a failed one against a known account (refused)",
    "console_sign_in": "a refused console sign-in (a role without console pages)",
    "password_reset": "a password set through an emailed reset link (every session then ended)",
    "set_role": "a person's role changed (or a refused attempt)",
    "school_settings": "a school's settings changed (before and after)",
    "district_settings": "a district's defaults changed (before and after)",
    "school_credentials": "a school's engine keys set or removed (names only, never values)",
    "invite": "an invite sent",
    "delete_user": "a person erased (with nothing that names them)",
    "delete_school": "a school erased (a fingerprint of its id only)",
    "export_data": "a person exported their data",
    "calendar_feed_created": "a calendar feed address made (or rotated)",
    "calendar_feed_revoked": "a calendar feed address turned off",
}


async def sign_in(user: Any, *, ok: bool, via: str = "api", reason: str | None = None) -> None:
    """Record a sign-in to a known account (``user`` is its users row), or a failed one.

    Failures for unknown emails are not recorded: they name nobody, and would fill the log with
    whatever strangers type. The throttle counts them instead.
    """
    await AuditEntry(
        tenant_id=user.tenant_id,
        district_id=user.district_id,
        actor_id=user.id,
        actor_email=user.email,
        action="sign_in",
        outcome="ok" if ok else "refused",
        after={"via": via},
        reason=reason if not ok else None,
    ).save()


async def calendar_feed(actor: CurrentUser, *, created: bool) -> None:
    """A calendar feed address made or turned off (the address itself is never recorded)."""
    action = "calendar_feed_created" if created else "calendar_feed_revoked"
    await record(actor, action, tenant_id=actor.tenant_id)
