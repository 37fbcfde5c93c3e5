"""A school's staff page in the console: invite a colleague (the link is shown, since many schools
have no email set up), people and their roles, pending invites, change a role, remove a person.

The work is done by core/staff/service.py, exactly as for the API; these pages only read forms and show
what happened."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from litestar import Response, get, post
from litestar.params import FromPath

from admin.render import brand_for, page
from admin.session import ConsoleRequest, checked_form, console
from core.db.tables import Tenant, User
from core.errors import DomainError
from core.links import public_root
from core.schools.roles import ADMINS, SCHOOL_GRANTABLE
from core.schools.service import administered_school
from core.staff import service as staff
from core.staff.service import invite_link

Uuid = FromPath[UUID]
ROLE_CHOICES = [(role, staff.ROLE_WORDS[role]) for role in SCHOOL_GRANTABLE]


def _path(school: Tenant) -> str:
    return f"/admin/schools/{school.id}/staff"


async def _staff_page(
    request: ConsoleRequest,
    school: Tenant,
    *,
    error: str | None = None,
    notice: str | None = None,
    made: staff.NewInvite | None = None,
    email: str = "",
    role: str = "teacher",
    confirm: object = None,
) -> Response:
    if notice is None and request.query_params.get("created"):
        notice = f"{school.name} was created. Invite its school admin below: they run it from then on."
    return page(
        request,
        "staff.html",
        brand=await brand_for(school),
        status_code=400 if error and confirm is None else 200,
        school=school,
        people=await staff.school_people(school),
        invites=await staff.pending_invites(school),
        roles=ROLE_CHOICES,
        role_words=staff.ROLE_WORDS,
        made=made,
        email=email,
        role=role,
        confirm=confirm,
        error=error,
        notice=notice,
        path=_path(school),
        now=dt.datetime.now(dt.UTC),
    )


@get("/admin/schools/{school_id:uuid}/staff", operation_id="consoleStaff", opt=console(*ADMINS))
async def staff_page(request: ConsoleRequest, school_id: Uuid) -> Response:
    return await _staff_page(request, await administered_school(request.user, school_id))


@post("/admin/schools/{school_id:uuid}/staff/invite", operation_id="consoleInvite", opt=console(*ADMINS))
async def invite(request: ConsoleRequest, school_id: Uuid) -> Response:
    school = await administered_school(request.user, school_id)
    form = await checked_form(request)
    email, role = form.get("email", ""), form.get("role", "teacher")
    root = public_root(request.app.state.settings, request)  # as the API's invite link
    try:
        made = await staff.invite_colleague(
            request.app.state.runtime,
            request.user,
            school,
            email=email,
            role=role,
            link_for=lambda r, token: invite_link(root, school.slug, r, token),
        )
    except DomainError as exc:
        return await _staff_page(request, school, error=exc.detail, email=email, role=role)
    return await _staff_page(request, school, made=made)


@post(
    "/admin/schools/{school_id:uuid}/staff/{user_id:uuid}/role",
    operation_id="consoleSetRole",
    opt=console(*ADMINS),
)
async def set_role(request: ConsoleRequest, school_id: Uuid, user_id: Uuid) -> Response:
    school = await administered_school(request.user, school_id)
    form = await checked_form(request)
    try:
        person = await staff.change_role(request.user, school, user_id, form.get("role", ""))
    except DomainError as exc:
        return await _staff_page(request, school, error=exc.detail)
    return await _staff_page(request, school, notice=f"{person.name} is now {staff.ROLE_WORDS[person.role]}.")


async def _person(school: Tenant, user_id: UUID) -> User | None:
    """One of the school's people by id, or None when they are no longer there."""
    return next((p for p in await staff.school_people(school) if p.id == user_id), None)


@get(
    "/admin/schools/{school_id:uuid}/staff/{user_id:uuid}/remove",
    operation_id="consoleConfirmRemove",
    opt=console(*ADMINS),
)
async def confirm_remove(request: ConsoleRequest, school_id: Uuid, user_id: Uuid) -> Response:
    """Removing a person deletes their account and timetables: the page asks first."""
    school = await administered_school(request.user, school_id)
    person = await _person(school, user_id)
    if person is None:
        return await _staff_page(request, school, error="That person is no longer at this school.")
    return await _staff_page(request, school, confirm=person)


@post(
    "/admin/schools/{school_id:uuid}/staff/{user_id:uuid}/remove",
    operation_id="consoleRemove",
    opt=console(*ADMINS),
)
async def remove(request: ConsoleRequest, school_id: Uuid, user_id: Uuid) -> Response:
    school = await administered_school(request.user, school_id)
    await checked_form(request)
    person = await _person(school, user_id)
    try:
        await staff.remove_person(request.app.state.runtime, request.user, school, user_id)
    except DomainError as exc:
        return await _staff_page(request, school, error=exc.detail)
    name = person.name if person else "The person"
    return await _staff_page(request, school, notice=f"{name} was removed from {school.name}.")


@post(
    "/admin/schools/{school_id:uuid}/staff/invites/{invite_id:uuid}/cancel",
    operation_id="consoleCancelInvite",
    opt=console(*ADMINS),
)
async def cancel_invite(request: ConsoleRequest, school_id: Uuid, invite_id: Uuid) -> Response:
    school = await administered_school(request.user, school_id)
    await checked_form(request)
    try:
        await staff.cancel_invite(request.user, school, invite_id)
    except DomainError as exc:
        return await _staff_page(request, school, error=exc.detail)
    return await _staff_page(request, school, notice="The invite was cancelled: its link no longer works.")
