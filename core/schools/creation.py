"""Making districts and schools (platform admins; district admins add schools to their own district).

Used by the API (tenants/api.py) and the console's forms, so both check and record the same things.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from core.auth import CurrentUser
from core.db.tables import District, Tenant
from core.errors import DomainError, not_found
from core.schools import audit
from core.schools.roles import DISTRICT_ADMIN, PLATFORM_ADMIN

NAME_LIMIT = 200


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100]


async def unique_slug(table: Any, name: str) -> str:
    base = slugify(name)
    if not base:
        raise DomainError(400, "missing_field", "Give it a name with letters or digits.")
    slug, n = base, 1
    while await table.exists().where(table.slug == slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _name(name: str, what: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError(400, "missing_field", f"Give the {what} a name.")
    if len(name) > NAME_LIMIT:
        raise DomainError(400, "name_too_long", f"Keep the {what}'s name under {NAME_LIMIT} characters.")
    return name


async def create_district(actor: CurrentUser, name: str) -> District:
    if actor.role != PLATFORM_ADMIN:
        raise DomainError(403, "forbidden", "Only a platform admin can create districts.")
    name = _name(name, "district")
    district = District(name=name, slug=await unique_slug(District, name))
    await district.save()
    await audit.record(actor, "create_district", district_id=district.id, after={"name": district.name})
    return district


async def create_school(actor: CurrentUser, name: str, district_id: UUID | None = None) -> Tenant:
    """A platform admin puts the school in any district or none; a district admin's school goes
    into their own district, whatever was asked."""
    if actor.role == DISTRICT_ADMIN:
        district_id = actor.district_id
    elif actor.role != PLATFORM_ADMIN:
        raise DomainError(403, "forbidden", "Only a platform or district admin can create schools.")
    elif district_id is not None and not await District.exists().where(District.id == district_id):
        raise not_found("District")
    name = _name(name, "school")
    school = Tenant(name=name, slug=await unique_slug(Tenant, name), district_id=district_id)
    await school.save()
    await audit.record(
        actor, "create_school", tenant_id=school.id, district_id=district_id, after={"name": school.name}
    )
    return school
