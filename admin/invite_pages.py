"""The page an invite link opens: join the school with a name and a password, no app needed."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from admin.render import brand_for, page
from admin.session import PUBLIC, checked_form
from core.db.tables import Invite, Tenant
from core.errors import DomainError
from core.schools.invites import join_by_invite, usable_invite

_HEADINGS = {404: "Invite not found", 409: "Invite already used", 410: "Invite expired"}


def _problem(request: Request, exc: DomainError, brand: object = None) -> Response:
    return page(
        request,
        "message.html",
        brand=brand,
        status_code=exc.status_code,
        heading=_HEADINGS.get(exc.status_code, "This invite cannot be used"),
        message=exc.detail,
        is_error=True,
        link=None,
        link_text="",
    )


async def _form(
    request: Request, invite: Invite, *, error: str | None = None, name: str = "", status_code: int = 200
) -> Response:
    school = await Tenant.objects().where(Tenant.id == invite.tenant_id).first()
    brand = await brand_for(school)
    return page(
        request,
        "invite.html",
        brand=brand,
        status_code=status_code,
        school_name=brand.name,
        email=invite.email,
        role=invite.role,
        name=name,
        action=request.url.path,
        error=error,
    )


@get("/invite/{token:str}", operation_id="invitePage", opt=PUBLIC)
async def invite_page(request: Request, token: FromPath[str]) -> Response:
    try:
        invite = await usable_invite(token)
    except DomainError as exc:
        return _problem(request, exc)
    return await _form(request, invite)


@post("/invite/{token:str}", operation_id="acceptInvitePage", opt=PUBLIC)
async def accept_invite_page(request: Request, token: FromPath[str]) -> Response:
    form = await checked_form(request)
    try:
        invite = await usable_invite(token)
    except DomainError as exc:
        return _problem(request, exc)
    name = form.get("name", "").strip()
    try:
        user = await join_by_invite(token, name, form.get("password", ""))
    except DomainError as exc:
        if exc.code == "weak_password":
            return await _form(request, invite, error=exc.detail, name=name, status_code=400)
        return _problem(request, exc)
    school = await Tenant.objects().where(Tenant.id == invite.tenant_id).first()
    brand = await brand_for(school)
    return page(
        request,
        "message.html",
        brand=brand,
        heading=f"Welcome to {brand.name}",
        message=(
            f"Your account is ready. Open the Timetabler app and sign in with {user.email} "
            "and the password you just chose."
        ),
        is_error=False,
        link=None,
        link_text="",
    )
