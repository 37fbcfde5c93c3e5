"""Server-rendered pages: one Jinja2 environment (autoescaped), the school's brand, the page frame."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response

from admin.session import CSRF_FIELD, csrf_token, with_pre_session
from core.db.tables import Tenant
from core.schools.service import school_settings
from core.schools.settings import DEFAULTS

TEMPLATES = Path(__file__).parent / "templates"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a missing value is a bug, not an empty string on the page
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Brand:
    name: str = "Timetabler"
    logo_url: str | None = None
    primary_color: str = DEFAULTS.primary_color
    accent_color: str = DEFAULTS.accent_color


def _colour(value: str, fallback: str) -> str:
    # Colours land inside a <style> block: anything but #rrggbb is dropped, whatever was stored.
    return value if _COLOR.match(value or "") else fallback


async def brand_for(school: Tenant | None) -> Brand:
    if school is None:
        return Brand()
    values, _ = await school_settings(school)
    logo = values.logo_url if values.logo_url and values.logo_url.startswith(("https://", "/")) else None
    return Brand(
        name=values.display_name or school.name,
        logo_url=logo,
        primary_color=_colour(values.primary_color, DEFAULTS.primary_color),
        accent_color=_colour(values.accent_color, DEFAULTS.accent_color),
    )


def page(
    request: Request,
    template: str,
    *,
    brand: Brand | None = None,
    status_code: int = 200,
    form_action: str = "'self'",
    **context: Any,
) -> Response:
    user = request.scope.get("user")
    context.setdefault("notice", None)
    context.setdefault("error", None)
    html = _env.get_template(template).render(
        request=request,
        user=user,
        brand=brand or Brand(),
        csrf_field=CSRF_FIELD,
        csrf_token=csrf_token(request),
        **context,
    )
    response = Response(
        html,
        status_code=status_code,
        media_type="text/html",
        headers={
            "Cache-Control": "no-store",
            # No scripts anywhere: the console works without JavaScript and runs none.
            "Content-Security-Policy": "default-src 'self'; script-src 'none'; style-src 'self' "
            "'unsafe-inline'; img-src 'self' https: data:; frame-ancestors 'none'; "
            f"form-action {form_action}",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
        },
    )
    return with_pre_session(request, response)


def see_other(location: str) -> Response:
    """After a form: send the browser to a page with GET (post/redirect/get)."""
    return Response(b"", status_code=303, headers={"Location": location}, media_type="text/plain")
