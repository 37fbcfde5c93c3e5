"""The dashboard, a school's settings page and a district's defaults page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec
from litestar import Response, get, post
from litestar.params import FromPath

from admin.forms import LABELS, LLM_FIELDS, OCR_FIELDS, settings_body, shown
from admin.history import recent_jobs
from admin.render import brand_for, page, see_other
from admin.scope import administered_districts, administered_schools, own_school
from admin.session import ConsoleRequest, checked_form, console
from core.db.tables import District, Tenant
from core.errors import DomainError
from core.plugins import EngineRegistry
from core.schools.creation import create_district, create_school
from core.schools.roles import ADMINS, DISTRICT_ADMIN, PLATFORM_ADMIN
from core.schools.service import (
    administered_district,
    administered_school,
    as_dict,
    district_overrides,
    update_district_settings,
    update_school_settings,
)
from core.schools.settings import CHECKERS, FIELDS, effective, sources, upgrade

Uuid = FromPath[UUID]
SAVED = "Saved. New documents use these settings from now on."


@dataclass(frozen=True)
class FieldRow:
    key: str
    label: str
    effective: Any  # the value in force
    source: str  # default | district | school
    own: str  # what this level set itself, as the form shows it
    inherited: Any  # what applies when this level sets nothing


def engine_choices(engines: EngineRegistry) -> dict[str, list[str]]:
    ocr, llm = sorted(engines.ocr), sorted(engines.llm)
    # Not only engines: every setting with a fixed set of values is a choice, not a text box.
    return {**dict.fromkeys(OCR_FIELDS, ocr), **dict.fromkeys(LLM_FIELDS, llm), "checkedBy": list(CHECKERS)}


def field_rows(
    upper: dict[str, Any], own: dict[str, Any], *, level: str, submitted: dict[str, str] | None = None
) -> list[FieldRow]:
    """Rows for a settings page. ``upper`` is what this level inherits (district overrides for a
    school, nothing for a district); ``own`` what it set itself."""
    upper, own = upgrade(upper), upgrade(own)
    if level == "school":
        values, origin = effective(upper, own), sources(upper, own)
        inherited = msgspec.to_builtins(effective(upper, {}))
    else:  # a district's own values sit on the platform defaults
        values, origin = effective(own, {}), {k: "district" if k in own else "default" for k in FIELDS}
        inherited = msgspec.to_builtins(effective({}, {}))
    current = msgspec.to_builtins(values)
    return [
        FieldRow(
            key=key,
            label=LABELS.get(key, key),
            effective=current.get(key),
            source=origin[key],
            own=submitted.get(key, "") if submitted is not None else shown(own.get(key)),
            inherited=inherited.get(key),
        )
        for key in FIELDS
    ]


async def _dashboard(
    request: ConsoleRequest, *, error: str | None = None, submitted: dict[str, str] | None = None
) -> Response:
    user = request.user
    schools = await administered_schools(user)
    districts = await administered_districts(user)
    names = {d.id: d.name for d in districts}
    return page(
        request,
        "dashboard.html",
        brand=await brand_for(await own_school(user)),
        status_code=400 if error else 200,
        schools=schools,
        districts=districts,
        district_names=names,
        error=error,
        submitted=submitted or {},
        notice=None,
    )


@get("/admin/", operation_id="consoleDashboard", opt=console(*ADMINS))
async def dashboard(request: ConsoleRequest) -> Response:
    return await _dashboard(request)


@post("/admin/districts", operation_id="consoleCreateDistrict", opt=console(PLATFORM_ADMIN))
async def create_district_form(request: ConsoleRequest) -> Response:
    form = await checked_form(request)
    try:
        district = await create_district(request.user, form.get("name", ""))
    except DomainError as exc:
        return await _dashboard(request, error=exc.detail, submitted={"district_name": form.get("name", "")})
    return see_other(f"/admin/districts/{district.id}?created=1")


@post("/admin/schools", operation_id="consoleCreateSchool", opt=console(PLATFORM_ADMIN, DISTRICT_ADMIN))
async def create_school_form(request: ConsoleRequest) -> Response:
    """From the dashboard (a platform admin picks the district) or a district's page."""
    form = await checked_form(request)
    name, chosen = form.get("name", ""), form.get("district_id", "").strip()
    try:
        district_id = UUID(chosen) if chosen else None
    except ValueError:
        district_id = None
    try:
        school = await create_school(request.user, name, district_id)
    except DomainError as exc:
        if form.get("back") == "district" and district_id is not None:
            district = await administered_district(request.user, district_id)
            return await _district_page(request, district, error=exc.detail, school_name=name)
        return await _dashboard(
            request, error=exc.detail, submitted={"school_name": name, "district_id": chosen}
        )
    return see_other(f"/admin/schools/{school.id}/staff?created=1")


async def _school_page(
    request: ConsoleRequest,
    school: Tenant,
    *,
    error: str | None = None,
    submitted: dict[str, str] | None = None,
) -> Response:
    upper = await district_overrides(school)
    district = (
        await District.objects().where(District.id == school.district_id).first()
        if school.district_id
        else None
    )
    return page(
        request,
        "school.html",
        brand=await brand_for(school),
        status_code=400 if error else 200,
        school=school,
        district=district,
        fields=field_rows(upper, as_dict(school.settings), level="school", submitted=submitted),
        engine_choices=engine_choices(request.app.state.runtime.engines),
        action=f"/admin/schools/{school.id}",
        legend="This school's own values",
        inherit_from="the district's value or the platform default",
        error=error,
        notice=SAVED if request.query_params.get("saved") else None,
        jobs=await recent_jobs(school.id),
    )


@get("/admin/schools/{school_id:uuid}", operation_id="consoleSchool", opt=console(*ADMINS))
async def school_page(request: ConsoleRequest, school_id: Uuid) -> Response:
    return await _school_page(request, await administered_school(request.user, school_id))


@post("/admin/schools/{school_id:uuid}", operation_id="consoleSaveSchool", opt=console(*ADMINS))
async def save_school(request: ConsoleRequest, school_id: Uuid) -> Response:
    school = await administered_school(request.user, school_id)
    form = await checked_form(request)
    try:
        await update_school_settings(
            request.user, school, settings_body(form), request.app.state.runtime.engines
        )
    except DomainError as exc:  # refused and recorded by the service; nothing was saved
        return await _school_page(request, school, error=exc.detail, submitted=form)
    return see_other(f"/admin/schools/{school.id}?saved=1")


async def _district_page(
    request: ConsoleRequest,
    district: District,
    *,
    error: str | None = None,
    submitted: dict[str, str] | None = None,
    school_name: str = "",
) -> Response:
    schools = await Tenant.objects().where(Tenant.district_id == district.id).order_by(Tenant.name)
    return page(
        request,
        "district.html",
        status_code=400 if error else 200,
        district=district,
        schools=schools,
        fields=field_rows({}, as_dict(district.settings), level="district", submitted=submitted),
        engine_choices=engine_choices(request.app.state.runtime.engines),
        action=f"/admin/districts/{district.id}",
        legend="District defaults",
        inherit_from="the platform default",
        error=error,
        school_name=school_name,
        notice=_district_notice(request, district),
    )


def _district_notice(request: ConsoleRequest, district: District) -> str | None:
    if request.query_params.get("created"):
        return f"{district.name} was created. Add its schools below."
    return SAVED if request.query_params.get("saved") else None


DISTRICT_ROLES = (DISTRICT_ADMIN, PLATFORM_ADMIN)


@get("/admin/districts/{district_id:uuid}", operation_id="consoleDistrict", opt=console(*DISTRICT_ROLES))
async def district_page(request: ConsoleRequest, district_id: Uuid) -> Response:
    return await _district_page(request, await administered_district(request.user, district_id))


@post("/admin/districts/{district_id:uuid}", operation_id="consoleSaveDistrict", opt=console(*DISTRICT_ROLES))
async def save_district(request: ConsoleRequest, district_id: Uuid) -> Response:
    district = await administered_district(request.user, district_id)
    form = await checked_form(request)
    try:
        await update_district_settings(
            request.user, district, settings_body(form), request.app.state.runtime.engines
        )
    except DomainError as exc:
        return await _district_page(request, district, error=exc.detail, submitted=form)
    return see_other(f"/admin/districts/{district.id}?saved=1")
