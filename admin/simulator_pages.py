"""The what-if simulator pages for a school and for a district, and their "save" buttons."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Response, get, post
from litestar.params import FromPath

from admin.forms import THRESHOLDS, settings_body
from admin.render import brand_for, page, see_other
from admin.session import ConsoleRequest, checked_form, console
from admin.simulate import (
    LABELS,
    Installed,
    documents_last_30_days,
    missing_steps,
    parse_sample_size,
    project,
    recorded_jobs,
)
from core.db.tables import District, Tenant
from core.errors import DomainError
from core.plugin_kit.costs import declared_costs
from core.plugins import EngineRegistry
from core.policy import ROUTES
from core.schools.roles import ADMINS, DISTRICT_ADMIN, PLATFORM_ADMIN
from core.schools.service import (
    administered_district,
    administered_school,
    as_dict,
    district_overrides,
    update_district_settings,
    update_school_settings,
)
from core.schools.settings import SchoolSettings, SettingsError, effective, merge, validate

Uuid = FromPath[UUID]
THRESHOLDS_SAVED = "Saved. The next documents route by these thresholds."


def _proposed(values: dict[str, str], current: SchoolSettings) -> dict[str, str]:
    """The proposed thresholds as the form shows them: what was sent, else what applies now."""
    now = msgspec.to_builtins(current)
    return {key: (values.get(key) or "").strip() or str(now[key]) for key in THRESHOLDS}


def _installed(engines: EngineRegistry) -> dict[str, Any]:
    return {
        "ocr_engines": set(engines.ocr),
        "llm_engines": set(engines.llm),
        "configurable": engines.configurable(),
    }


def _per_month(raw: str | None) -> float | None:
    try:
        value = float(raw) if raw else None
    except ValueError:
        return None
    return value if value is not None and value >= 0 else None


NEXT_WITHOUT = {
    ("a second OCR engine", "an LLM"): "documents below the accept threshold go straight to human review",
    ("a second OCR engine",): "documents for a second reading go on to the LLM",
    ("an LLM",): "documents for the LLM go to human review",
}


def _engines_note(
    schools: list[Tenant], settings: dict[UUID, SchoolSettings], installed: Installed
) -> str | None:
    """Which escalation steps the schools have not set up, so the routes below make sense."""
    lines = []
    for school in schools:
        missing = tuple(missing_steps(settings[school.id], installed))
        if missing:
            lines.append(
                f"{school.name} has no {' and no '.join(m.split(' ', 1)[1] for m in missing)} "
                f"set up: {NEXT_WITHOUT[missing]}."
            )
    return " ".join(lines) or None


async def _render(
    request: ConsoleRequest,
    *,
    subject: str,
    scope_note: str,
    schools: list[Tenant],
    upper_now: dict[UUID, dict[str, Any]],
    upper_then: dict[UUID, dict[str, Any]] | None,
    proposed: dict[str, str],
    action: str,
    back: str,
    brand: Any,
    error: str | None,
    status_code: int = 200,
) -> Response:
    """``upper_now``/``upper_then``: per school, the district overrides now and as proposed; a
    school's own overrides sit on top (for a school page ``upper_then`` is None: the proposal is the
    school's own)."""
    engines: EngineRegistry = request.app.state.runtime.engines
    body = settings_body(proposed, THRESHOLDS)
    now_settings, then_settings = {}, {}
    for school in schools:
        own = as_dict(school.settings)
        now_settings[school.id] = effective(upper_now[school.id], own)
        if upper_then is None:
            then_own, then_upper = merge(own, body), upper_now[school.id]
        else:
            then_own, then_upper = own, upper_then[school.id]
        if error is None:
            try:
                if any(isinstance(body[key], str) for key in THRESHOLDS):
                    raise SettingsError("thresholds are numbers between 0 and 1, like 0.95.")
                then_settings[school.id] = effective(then_upper, then_own)
                validate(then_settings[school.id], **_installed(engines), where=school.name)
            except (SettingsError, msgspec.ValidationError) as exc:
                error, status_code = str(exc), 400
    size = parse_sample_size(request.query_params.get("n"))
    samples = await recorded_jobs([s.id for s in schools], size)
    per_month_raw = request.query_params.get("per_month", "")
    per_month = _per_month(per_month_raw)
    if per_month is None:
        per_month = float(await documents_last_30_days([s.id for s in schools]) or len(samples))
    runtime = request.app.state.runtime
    pm, declared = runtime.plugins, declared_costs(runtime.engines)
    # The engines each school really has: a step it has not set up is passed over, as in the pipeline.
    installed = Installed(ocr=frozenset(engines.ocr), llm=frozenset(engines.llm))
    now = project(pm, samples, now_settings, per_month, declared, installed) if samples else None
    then = (
        project(pm, samples, then_settings, per_month, declared, installed)
        if samples and error is None
        else None
    )
    return page(
        request,
        "simulate.html",
        brand=brand,
        status_code=status_code,
        subject=subject,
        scope_note=scope_note,
        sample_size=size,
        samples=len(samples),
        per_month=per_month,
        per_month_field=per_month_raw,
        proposed=proposed,
        routes=ROUTES,
        route_labels=LABELS,
        engines_note=_engines_note(schools, now_settings, installed),
        now=now,
        then=then,
        action=action,
        back=back,
        error=error,
        can_save=error is None,
    )


async def _school_sim(
    request: ConsoleRequest, school: Tenant, values: dict[str, str], error: str | None = None
) -> Response:
    upper = await district_overrides(school)
    current = effective(upper, as_dict(school.settings))
    return await _render(
        request,
        subject=school.name,
        scope_note="of this school",
        schools=[school],
        upper_now={school.id: upper},
        upper_then=None,
        proposed=_proposed(values, current),
        action=f"/admin/schools/{school.id}/simulate",
        back=f"/admin/schools/{school.id}",
        brand=await brand_for(school),
        error=error,
        status_code=400 if error else 200,
    )


@get("/admin/schools/{school_id:uuid}/simulate", operation_id="consoleSimulateSchool", opt=console(*ADMINS))
async def simulate_school(request: ConsoleRequest, school_id: Uuid) -> Response:
    school = await administered_school(request.user, school_id)
    return await _school_sim(request, school, dict(request.query_params))


@post(
    "/admin/schools/{school_id:uuid}/simulate",
    operation_id="consoleSaveSchoolThresholds",
    opt=console(*ADMINS),
)
async def save_school_thresholds(request: ConsoleRequest, school_id: Uuid) -> Response:
    school = await administered_school(request.user, school_id)
    form = await checked_form(request)
    try:
        await update_school_settings(
            request.user, school, settings_body(form, THRESHOLDS), request.app.state.runtime.engines
        )
    except DomainError as exc:
        return await _school_sim(request, school, form, error=exc.detail)
    return see_other(f"/admin/schools/{school.id}?saved=1")


async def _district_sim(
    request: ConsoleRequest, district: District, values: dict[str, str], error: str | None = None
) -> Response:
    schools = await Tenant.objects().where(Tenant.district_id == district.id).order_by(Tenant.name)
    now_upper = as_dict(district.settings)
    proposed = _proposed(values, effective(now_upper, {}))
    then_upper = merge(now_upper, settings_body(proposed, THRESHOLDS))
    return await _render(
        request,
        subject=district.name,
        scope_note=(
            f"across the district's {len(schools)} schools (a school that sets its own thresholds keeps them)"
        ),
        schools=schools,
        upper_now=dict.fromkeys((s.id for s in schools), now_upper),
        upper_then=dict.fromkeys((s.id for s in schools), then_upper),
        proposed=proposed,
        action=f"/admin/districts/{district.id}/simulate",
        back=f"/admin/districts/{district.id}",
        brand=None,
        error=error,
        status_code=400 if error else 200,
    )


DISTRICT_ROLES = (DISTRICT_ADMIN, PLATFORM_ADMIN)


@get(
    "/admin/districts/{district_id:uuid}/simulate",
    operation_id="consoleSimulateDistrict",
    opt=console(*DISTRICT_ROLES),
)
async def simulate_district(request: ConsoleRequest, district_id: Uuid) -> Response:
    district = await administered_district(request.user, district_id)
    return await _district_sim(request, district, dict(request.query_params))


@post(
    "/admin/districts/{district_id:uuid}/simulate",
    operation_id="consoleSaveDistrictThresholds",
    opt=console(*DISTRICT_ROLES),
)
async def save_district_thresholds(request: ConsoleRequest, district_id: Uuid) -> Response:
    district = await administered_district(request.user, district_id)
    form = await checked_form(request)
    try:
        await update_district_settings(
            request.user, district, settings_body(form, THRESHOLDS), request.app.state.runtime.engines
        )
    except DomainError as exc:
        return await _district_sim(request, district, form, error=exc.detail)
    return see_other(f"/admin/districts/{district.id}?saved=1")
