"""The console's routes as one Router: the cookie guard and HTML error pages apply to all of them.

| route | roles |
| --- | --- |
| GET/POST /admin/login, /t/{slug}/admin/login | anyone (admins and reviewers get in) |
| POST /admin/logout | reviewer, school, district, platform admin |
| GET /admin/ , /admin/usage, /admin/plugins, /admin/audit | school, district, platform admin |
| GET/POST /admin/schools/{id}, /admin/schools/{id}/simulate | admins of that school |
| GET/POST /admin/schools/{id}/staff (+ /invite, /{u}/role, /{u}/remove, /invites/{i}/cancel) | its admins |
| GET /admin/schools/{id}/billing, POST …/billing/checkout, …/billing/portal | admins of that school |
| GET /admin/billing (where Stripe returns) | school, district, platform admin |
| POST /admin/districts | platform admin |
| POST /admin/schools | platform admin (any district), district admin (their own) |
| GET/POST /admin/districts/{id}, /admin/districts/{id}/simulate | district admin of it, platform admin |
| GET /admin/reviews, /admin/reviews/{rid} | reviewer, any admin (to their school's queue, or a list) |
| GET /admin/schools/{id}/reviews | reviewers of that school, admins of it |
| GET/POST /admin/schools/{id}/reviews/{rid} (+ /original, /page.png) | reviewers of it, admins of it |
| GET/POST /invite/{token} | anyone holding the link |
| GET /admin/dead-letters, POST /admin/dead-letters/requeue | platform admin |
| /admin/plugins/{plugin}/... | what each plugin's page names (``register_admin_routes``) |
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Router
from litestar.exceptions import HTTPException

from admin import (
    auth_pages,
    billing_pages,
    dead_letters,
    invite_pages,
    report_pages,
    review_pages,
    school_pages,
    simulator_pages,
    staff_pages,
)
from admin.errors import http_error_page, internal_error_page, to_sign_in
from admin.plugin_settings import declared_settings, settings_page
from admin.session import NotSignedIn, console_guard
from core.errors import DomainError

log = logging.getLogger(__name__)
EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotSignedIn: to_sign_in,
    DomainError: http_error_page,
    HTTPException: http_error_page,
    Exception: internal_error_page,
}

admin_router = Router(
    path="/",
    route_handlers=[
        auth_pages.login_form,
        auth_pages.login,
        auth_pages.logout,
        school_pages.dashboard,
        school_pages.create_district_form,
        school_pages.create_school_form,
        school_pages.school_page,
        school_pages.save_school,
        school_pages.district_page,
        school_pages.save_district,
        staff_pages.staff_page,
        staff_pages.invite,
        staff_pages.set_role,
        staff_pages.confirm_remove,
        staff_pages.remove,
        staff_pages.cancel_invite,
        billing_pages.billing_page,
        billing_pages.billing_return,
        billing_pages.checkout,
        billing_pages.portal,
        simulator_pages.simulate_school,
        simulator_pages.save_school_thresholds,
        simulator_pages.simulate_district,
        simulator_pages.save_district_thresholds,
        review_pages.my_reviews,
        review_pages.my_review,
        review_pages.review_queue,
        review_pages.review_screen,
        review_pages.complete_review_form,
        review_pages.review_original,
        review_pages.review_page_image,
        report_pages.usage_page,
        report_pages.plugins_page,
        report_pages.audit_page,
        dead_letters.dead_letters_page,
        dead_letters.requeue,
        report_pages.not_found_page,
        invite_pages.invite_page,
        invite_pages.accept_invite_page,
    ],
    guards=[console_guard],
    exception_handlers=EXCEPTION_HANDLERS,
    include_in_schema=False,
)


def plugin_page_routers(pm: Any) -> list[Router]:
    """Each plugin's own admin pages under /admin/plugins/<plugin>/, behind the console's guard,
    and /admin/plugins/<plugin>/settings for a plugin whose engines declare settings.

    A plugin whose hook fails is left out (and listed as broken) rather than stopping the app."""
    settings = declared_settings(pm)
    pages: dict[str, list[Any]] = {name: [settings_page(name, engines)] for name, engines in settings.items()}
    for impl in pm.hook.register_admin_routes.get_hookimpls():
        try:
            pages.setdefault(impl.plugin_name, []).extend(impl.function() or [])
        except Exception as exc:
            log.error("plugin %s: its admin pages cannot be mounted: %s", impl.plugin_name, exc)
            pm.broken[impl.plugin_name] = f"register_admin_routes: {type(exc).__name__}: {exc}"
    routers = []
    for name, handlers in pages.items():
        try:
            routers.append(
                Router(
                    path=f"/admin/plugins/{name}",
                    route_handlers=handlers,
                    guards=[console_guard],
                    exception_handlers=EXCEPTION_HANDLERS,
                    include_in_schema=False,
                )
            )
        except Exception as exc:  # e.g. a handler that is no route handler
            log.error("plugin %s: its admin pages cannot be mounted: %s", name, exc)
            pm.broken[name] = f"register_admin_routes: {type(exc).__name__}: {exc}"
    return routers
