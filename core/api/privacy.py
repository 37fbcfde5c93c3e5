"""Routes for erasing a person or a school and for exporting a person's own data."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from litestar import Controller, Request, delete, get
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from core.api.errors import ApiError, not_found
from core.api.schemas import Schema
from core.auth import CurrentUser
from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import Tenant, User
from core.links import public_root
from core.privacy.erase import erase_school, erase_user
from core.privacy.export import export_user
from core.privacy.last_admin import refuse_last_admin
from core.schools import audit
from core.schools.roles import ADMINS, DISTRICT_ADMIN, EVERYONE, PLATFORM_ADMIN, SCHOOL_MEMBERS, allow
from core.schools.service import administered_school, can_administer, find_school
from core.staff import service as staff

AuthRequest = Request[CurrentUser, dict, State]
Uuid = FromPath[uuid.UUID]


class DeleteSchoolIn(Schema):
    confirm: str  # the school's slug, typed again: deleting a school cannot be undone


def _fingerprint(value: uuid.UUID) -> str:
    """Says which deletion an audit entry is about without keeping the id itself."""
    return hashlib.sha256(str(value).encode()).hexdigest()[:16]


class MyDataController(Controller):
    path = "/me"
    tags = ["privacy"]

    @get("/export", operation_id="exportMyData", opt=allow(*EVERYONE))
    async def export(self, request: AuthRequest) -> dict[str, Any]:
        user = request.user
        school = await find_school(user.tenant_id) if user.tenant_id else None
        api_url = public_root(request.app.state.settings, request) + "/api/v1"
        data = await export_user(user, api_url=api_url, school_name=school.name if school else None)
        await audit.record(user, "export_data", tenant_id=user.tenant_id, district_id=user.district_id)
        return data

    @delete("/", operation_id="deleteMyAccount", status_code=204, opt=allow(*SCHOOL_MEMBERS))
    async def delete_me(self, request: AuthRequest) -> None:
        user = request.user
        await refuse_last_admin(user.id)
        await erase_user(request.app.state.runtime, user.id)
        # Recorded without the person: nothing of them may stay.
        await audit.record(
            None, "delete_user", tenant_id=user.tenant_id, after={"role": user.role, "self": True}
        )


class UserDeletionController(Controller):
    path = "/users"
    tags = ["privacy"]

    @delete("/{user_id:uuid}", operation_id="deleteUser", status_code=204, opt=allow(*ADMINS))
    async def delete_user(self, request: AuthRequest, user_id: Uuid) -> None:
        users = unscoped_query_across_all_tenants(User)  # access is checked just below
        target = await users.select(users.tenant_id, users.role).where(users.id == user_id).first()
        school = await find_school(target["tenant_id"]) if target and target["tenant_id"] else None
        if school is None or not can_administer(request.user, school):
            raise not_found("User")  # a person of another school is as unknown as a missing one
        await staff.remove_person(request.app.state.runtime, request.user, school, user_id)


class SchoolDeletionController(Controller):
    path = "/schools"
    tags = ["privacy"]

    @delete(
        "/{school_id:uuid}",
        operation_id="deleteSchool",
        status_code=204,
        opt=allow(PLATFORM_ADMIN, DISTRICT_ADMIN),
    )
    async def delete_school(
        self, request: AuthRequest, school_id: Uuid, data: JSONBody[DeleteSchoolIn]
    ) -> None:
        school: Tenant = await administered_school(request.user, school_id)
        if data.confirm.strip() != school.slug:
            raise ApiError(
                400,
                "confirmation_mismatch",
                f"Deleting a school cannot be undone: send its slug '{school.slug}' as confirm.",
            )
        await erase_school(request.app.state.runtime, school.id)
        await audit.record(
            request.user,
            "delete_school",
            district_id=school.district_id,
            after={"school": _fingerprint(school.id)},
        )
