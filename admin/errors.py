"""Console errors as pages: no session -> the sign-in form; refusals and 404s -> a plain page."""

from __future__ import annotations

import logging
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException

from admin.render import page, see_other
from core.errors import DomainError

log = logging.getLogger(__name__)

_HEADINGS = {
    400: "Check the form",
    401: "Sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Already done",
    410: "Expired",
}


def safe_next(target: str | None) -> str:
    """Where to go after signing in: console pages only, never another site."""
    if not target or not target.startswith("/admin") or target.startswith("//") or "\\" in target:
        return "/admin/"
    return target


def to_sign_in(request: Request, exc: HTTPException) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = "/admin/"
    return see_other(f"/admin/login?next={quote(safe_next(target), safe='/')}")


def http_error_page(request: Request, exc: HTTPException | DomainError) -> Response:
    status = exc.status_code
    return page(
        request,
        "message.html",
        status_code=status,
        heading=_HEADINGS.get(status, "Something went wrong"),
        message=exc.detail or "The request could not be completed.",
        is_error=True,
        link="/admin/",
        link_text="Back to your schools",
    )


def internal_error_page(request: Request, exc: Exception) -> Response:
    log.exception("console error on %s %s", request.method, request.url.path, exc_info=exc)
    return page(
        request,
        "message.html",
        status_code=500,
        heading="Something went wrong",
        message="Something went wrong on our side. Nothing was saved; try again.",
        is_error=True,
        link="/admin/",
        link_text="Back to your schools",
    )
