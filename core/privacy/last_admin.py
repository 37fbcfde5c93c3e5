"""A school always keeps a school admin: the last one cannot be erased (by themselves or by a district
or platform admin), or nobody could invite, change settings or hand the school on."""

from __future__ import annotations

from uuid import UUID

from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import User
from core.errors import DomainError
from core.schools.roles import SCHOOL_ADMIN


async def refuse_last_admin(user_id: UUID) -> None:
    """Raise 409 last_admin when this person is their school's only active school admin."""
    users = unscoped_query_across_all_tenants(User)  # the caller has checked access to this person
    person = (
        await users.select(users.tenant_id, users.role, users.is_active).where(users.id == user_id).first()
    )
    if person is None or person["role"] != SCHOOL_ADMIN or person["tenant_id"] is None:
        return
    others = await users.count().where(
        users.tenant_id == person["tenant_id"],
        users.role == SCHOOL_ADMIN,
        users.is_active.eq(True),
        users.id != user_id,
    )
    if others == 0:
        raise DomainError(
            409,
            "last_admin",
            "This is the school's only school admin, so the school would have nobody to run it: "
            "make someone else school admin first.",
        )
