"""Which schools a console user administers: their own, their district's, or (platform) all."""

from __future__ import annotations

from core.auth import CurrentUser
from core.db.tables import District, Tenant
from core.schools.roles import DISTRICT_ADMIN, PLATFORM_ADMIN, SCHOOL_ADMIN


async def administered_schools(user: CurrentUser) -> list[Tenant]:
    # Tenant rows are the schools themselves (no tenant_id column): filtering here is the scoping.
    query = Tenant.objects().order_by(Tenant.name)
    if user.role == PLATFORM_ADMIN:
        return await query
    if user.role == DISTRICT_ADMIN and user.district_id is not None:
        return await query.where(Tenant.district_id == user.district_id)
    if user.role == SCHOOL_ADMIN and user.tenant_id is not None:
        return await query.where(Tenant.id == user.tenant_id)
    return []


async def administered_districts(user: CurrentUser) -> list[District]:
    query = District.objects().order_by(District.name)
    if user.role == PLATFORM_ADMIN:
        return await query
    if user.role == DISTRICT_ADMIN and user.district_id is not None:
        return await query.where(District.id == user.district_id)
    return []


async def own_school(user: CurrentUser) -> Tenant | None:
    """The school whose brand a signed-in user's pages wear when no school page is open."""
    if user.tenant_id is None:
        return None
    return await Tenant.objects().where(Tenant.id == user.tenant_id).first()
