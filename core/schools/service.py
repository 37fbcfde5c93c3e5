"""Schools, districts and their settings: who may administer what, and the effective settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from core.db.tables import District, Tenant
from core.db.tables import json_dict as as_dict
from core.errors import DomainError, not_found
from core.plugins import EngineRegistry

if TYPE_CHECKING:  # a type only: the worker loads this module, and core.auth brings the web framework
    from core.auth import CurrentUser
from core.schools import audit
from core.schools.roles import DISTRICT_ADMIN, PLATFORM_ADMIN, SCHOOL_ADMIN
from core.schools.settings import (
    SchoolSettings,
    SettingsError,
    effective,
    merge,
    parse_overrides,
    sources,
    validate,
)


async def find_school(school_id: UUID) -> Tenant | None:
    return await Tenant.objects().where(Tenant.id == school_id).first()


def can_administer(user: CurrentUser, school: Tenant) -> bool:
    return (
        user.role == PLATFORM_ADMIN
        or (
            user.role == DISTRICT_ADMIN
            and user.district_id is not None
            and school.district_id == user.district_id
        )
        or (user.role == SCHOOL_ADMIN and school.id == user.tenant_id)
    )


async def administered_school(user: CurrentUser, school_id: UUID) -> Tenant:
    """The school, if this user administers it; otherwise 404, so no other school is revealed."""
    school = await find_school(school_id)
    if school is None or not can_administer(user, school):
        raise not_found("School")
    return school


async def administered_district(user: CurrentUser, district_id: UUID) -> District:
    district = await District.objects().where(District.id == district_id).first()
    allowed = user.role == PLATFORM_ADMIN or (user.role == DISTRICT_ADMIN and user.district_id == district_id)
    if district is None or not allowed:
        raise not_found("District")
    return district


async def district_overrides(school: Tenant) -> dict[str, Any]:
    if school.district_id is None:
        return {}
    row = await District.select(District.settings).where(District.id == school.district_id).first()
    return as_dict(row["settings"]) if row else {}


async def school_settings(school: Tenant) -> tuple[SchoolSettings, dict[str, str]]:
    district, own = await district_overrides(school), as_dict(school.settings)
    return effective(district, own), sources(district, own)


def shown_name(school: Tenant, values: SchoolSettings) -> str:
    """The school's name as its people see it: the display name its admin chose, else its name."""
    return values.display_name or school.name


async def school_name(school: Tenant) -> str:
    """The school's shown name, for the signed-in app (where the address names no school)."""
    return shown_name(school, (await school_settings(school))[0])


async def effective_settings(tenant_id: UUID) -> SchoolSettings:
    """What the pipeline uses for a school's documents."""
    school = await find_school(tenant_id)
    if school is None:
        return SchoolSettings()
    return (await school_settings(school))[0]


def _installed(registry: EngineRegistry) -> dict[str, Any]:
    return {
        "ocr_engines": set(registry.ocr),
        "llm_engines": set(registry.llm),
        "unusable_ocr": registry.unusable_names("ocr"),
        "unusable_llm": registry.unusable_names("llm"),
        "configurable": registry.configurable(),
    }


async def update_school_settings(
    user: CurrentUser, school: Tenant, body: Any, registry: EngineRegistry
) -> tuple[SchoolSettings, dict[str, str]]:
    before = as_dict(school.settings)
    try:
        changes = parse_overrides(body)
        after = merge(before, changes)
        district = await district_overrides(school)
        validate(effective(district, after), **_installed(registry))
    except SettingsError as exc:
        await audit.refused(
            user, "school_settings", str(exc), attempted=body, tenant_id=school.id, before=before
        )
        raise DomainError(400, "invalid_settings", str(exc)) from exc
    await Tenant.update({Tenant.settings: after}).where(Tenant.id == school.id)
    await audit.record(user, "school_settings", tenant_id=school.id, before=before, after=after)
    return effective(district, after), sources(district, after)


async def update_district_settings(
    user: CurrentUser, district: District, body: Any, registry: EngineRegistry
) -> dict[str, Any]:
    before = as_dict(district.settings)
    try:
        after = merge(before, parse_overrides(body))
        validate(effective(after, {}), **_installed(registry), where="the district defaults")
        # A new default must not leave any school of the district with settings that make no sense.
        for school in await Tenant.objects().where(Tenant.district_id == district.id):
            validate(effective(after, as_dict(school.settings)), **_installed(registry), where=school.name)
    except SettingsError as exc:
        await audit.refused(
            user, "district_settings", str(exc), attempted=body, district_id=district.id, before=before
        )
        raise DomainError(400, "invalid_settings", str(exc)) from exc
    await District.update({District.settings: after}).where(District.id == district.id)
    await audit.record(user, "district_settings", district_id=district.id, before=before, after=after)
    return after
