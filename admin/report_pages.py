"""Usage and cost, installed plugins, and the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.exceptions import NotFoundException

from admin.plugin_settings import declared_settings
from admin.render import brand_for, page
from admin.scope import administered_schools, own_school
from admin.session import ConsoleRequest, console
from admin.usage import Bar, bar_chart, school_usage
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import AuditEntry, District
from core.plugins import list_plugins
from core.schools.roles import ADMINS, DISTRICT_ADMIN, PLATFORM_ADMIN, SCHOOL_ADMIN
from core.schools.service import as_dict

AUDIT_LIMIT = 200


@dataclass(frozen=True)
class Charts:
    documents: list[Bar]
    cost: list[Bar]


@get("/admin/usage", operation_id="consoleUsage", opt=console(*ADMINS))
async def usage_page(request: ConsoleRequest) -> Response:
    usages = [await school_usage(school) for school in await administered_schools(request.user)]
    charts = {
        u.school.id: Charts(
            documents=bar_chart([(m.month, m.counts["document"]) for m in u.months]),
            cost=bar_chart([(m.month, m.cost_usd) for m in u.months], fmt="${:.2f}"),
        )
        for u in usages
    }
    brand = await brand_for(await own_school(request.user))
    return page(request, "usage.html", brand=brand, usages=usages, charts=charts)


@get("/admin/plugins", operation_id="consolePlugins", opt=console(*ADMINS))
async def plugins_page(request: ConsoleRequest) -> Response:
    runtime = request.app.state.runtime
    engines = runtime.engines
    kinds = [
        ("readers", sorted(engines.readers)),
        ("preprocessors", sorted(engines.preprocessors)),
        ("OCR engines", sorted(engines.ocr)),
        ("LLM engines", sorted(engines.llm)),
        ("notifiers", sorted(engines.notifiers)),
    ]
    brand = await brand_for(await own_school(request.user))
    plugins = list_plugins(runtime.plugins, engines)
    skipped = sorted(runtime.plugins.skipped.items())
    # Settings pages show the platform's environment: linked for platform admins alone.
    with_settings = set(declared_settings(runtime.plugins)) if request.user.role == PLATFORM_ADMIN else None
    return page(
        request,
        "plugins.html",
        brand=brand,
        plugins=plugins,
        engines=kinds,
        skipped=skipped,
        with_settings=with_settings,
    )


@dataclass(frozen=True)
class AuditRow:
    when: str
    who: str
    where: str
    action: str
    outcome: str
    reason: str | None
    changes: list[tuple[str, str, str]]


def _text(value: Any) -> str:
    return "—" if value is None else json.dumps(value) if isinstance(value, dict | list) else str(value)


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each key whose value differs, old -> new (for a refusal: what was attempted)."""
    keys = sorted(set(before) | set(after))
    return [(k, _text(before.get(k)), _text(after.get(k))) for k in keys if before.get(k) != after.get(k)]


@get("/admin/audit", operation_id="consoleAudit", opt=console(*ADMINS))
async def audit_page(request: ConsoleRequest) -> Response:
    user = request.user
    schools = await administered_schools(user)
    names = {s.id: s.name for s in schools}
    districts: dict = {}
    if user.role == SCHOOL_ADMIN and user.tenant_id is not None:
        query = TenantScope(user.tenant_id).objects(AuditEntry)  # one school: scoped as usual
    elif user.role == PLATFORM_ADMIN or (user.role == DISTRICT_ADMIN and user.district_id is not None):
        # District-wide entries have no school, so this view spans tenants through the escape
        # hatch and narrows itself to the district (a platform admin sees everything).
        log = unscoped_query_across_all_tenants(AuditEntry)
        query = log.objects()
        if user.role == PLATFORM_ADMIN:
            districts = {d.id: d.name for d in await District.objects()}
        else:
            districts = {
                d.id: d.name for d in await District.objects().where(District.id == user.district_id)
            }
            in_district = log.district_id == user.district_id
            query = query.where((log.tenant_id.is_in(list(names)) | in_district) if names else in_district)
    else:
        query = None
    rows = (
        await query.order_by(AuditEntry.created_at, ascending=False).limit(AUDIT_LIMIT)
        if query is not None
        else []
    )
    entries = [
        AuditRow(
            when=row.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            who=row.actor_email or "system",
            where=names.get(row.tenant_id) or districts.get(row.district_id) or "platform",
            action=row.action,
            outcome=row.outcome,
            reason=row.reason,
            changes=changes(as_dict(row.before), as_dict(row.after)),
        )
        for row in rows
    ]
    brand = await brand_for(await own_school(user))
    return page(
        request,
        "audit.html",
        brand=brand,
        entries=entries,
        limit=AUDIT_LIMIT,
        limited=len(entries) >= AUDIT_LIMIT,
    )


@get("/admin/{rest:path}", operation_id="consoleNotFound", opt=console(*ADMINS))
async def not_found_page(request: ConsoleRequest) -> Response:
    """Any other console address: a page, not the API's JSON (and only after signing in)."""
    raise NotFoundException(detail="There is no such page in the admin console.")
