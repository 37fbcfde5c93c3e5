"""Who is told: the uploader of every outcome, and for a document waiting for review also the
school's reviewers and school admins where they check (the school's `checkedBy` is reviewers or
both; never anyone of another school: every query is scoped)."""

from __future__ import annotations

from core.db.scoping import TenantScope
from core.db.tables import User
from core.engines import Notification
from core.notifications.delivery import Recipient
from core.schools.service import effective_settings

REVIEW_STAFF = ("reviewer", "school_admin")


async def choose(scope: TenantScope, notification: Notification) -> list[Recipient]:
    columns = (User.id, User.email, User.name, User.role)
    rows = await scope.select(User, *columns).where(User.id == notification.user_id, User.is_active.eq(True))
    if (
        notification.kind == "hitl_required"
        and (await effective_settings(scope.tenant_id)).checked_by != "uploader"
    ):
        rows += await scope.select(User, *columns).where(
            User.role.is_in(list(REVIEW_STAFF)), User.is_active.eq(True)
        )
    chosen: dict[str, Recipient] = {}
    for row in rows:
        chosen.setdefault(str(row["id"]), Recipient(str(row["id"]), row["email"], row["name"], row["role"]))
    return list(chosen.values())
