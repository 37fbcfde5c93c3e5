"""Districts, schools, their settings, invitations and roles (the API side of tenancy)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.datastructures import State
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath, FromQuery, JSONBody

from core.api.errors import ApiError, not_found
from core.api.schemas import Schema, UserOut
from core.auth import CurrentUser
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import AuditEntry, Invite, Tenant, User
from core.links import public_root
from core.schools import audit, creation, credentials
from core.schools.roles import (
    ADMINS,
    DISTRICT_ADMIN,
    EVERYONE,
    PLATFORM_ADMIN,
    allow,
)
from core.schools.service import (
    administered_district,
    administered_school,
    as_dict,
    can_administer,
    find_school,
    school_settings,
    update_district_settings,
    update_school_settings,
)
from core.schools.settings import DEFAULTS, SchoolSettings, upgrade
from core.staff import service as staff
from core.staff.service import create_staff, invite_link

AuthRequest = Request[CurrentUser, dict, State]
Uuid = FromPath[uuid.UUID]


class SchoolIn(Schema):
    name: str
    district_id: uuid.UUID | None = None


class SchoolOut(Schema):
    id: uuid.UUID
    name: str
    slug: str
    district_id: uuid.UUID | None
    plan: str


class DistrictIn(Schema):
    name: str


class DistrictOut(Schema):
    id: uuid.UUID
    name: str
    slug: str
    schools: list[SchoolOut]


class EffectiveSettingsOut(Schema):
    settings: SchoolSettings  # every setting in force; `checkedBy` says who checks an unsure document
    sources: dict[str, str]  # each value's origin: default | district | school
    overrides: dict[str, Any]  # what this school set itself


class DistrictSettingsOut(Schema):
    defaults: dict[str, Any]  # the platform's defaults
    overrides: dict[str, Any]  # what the district set for its schools


class InviteIn(Schema):
    email: str
    role: str = "teacher"


class InviteOut(Schema):
    id: uuid.UUID
    email: str
    role: str
    expires_at: dt.datetime
    accepted_at: dt.datetime | None = None
    invite_url: str | None = None  # shown once, when the invite is made
    email_status: str | None = None  # when made: "sent", or in words why no email went


class RoleIn(Schema):
    role: str


class AdminIn(Schema):
    email: str
    name: str
    password: str


class AuditOut(Schema):
    id: uuid.UUID
    action: str
    outcome: str
    actor_email: str | None
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str | None
    created_at: dt.datetime


def invite_out(
    invite: Invite, *, invite_url: str | None = None, email_status: str | None = None
) -> InviteOut:
    return InviteOut(
        id=invite.id,
        email=invite.email,
        role=invite.role,
        expires_at=invite.expires_at,
        accepted_at=invite.accepted_at,
        invite_url=invite_url,
        email_status=email_status,
    )


def user_out(user: User, school: Tenant) -> UserOut:
    return UserOut(
        id=user.id, email=user.email, name=user.name, role=user.role, tenant_id=school.id, school=school.name
    )


def school_out(school: Tenant) -> SchoolOut:
    return SchoolOut(
        id=school.id, name=school.name, slug=school.slug, district_id=school.district_id, plan=school.plan
    )


async def settings_out(school: Tenant) -> EffectiveSettingsOut:
    values, origin = await school_settings(school)
    return EffectiveSettingsOut(settings=values, sources=origin, overrides=upgrade(as_dict(school.settings)))


class SchoolController(Controller):
    path = "/schools"
    tags = ["schools"]

    @post("/", operation_id="createSchool", status_code=201, opt=allow(PLATFORM_ADMIN, DISTRICT_ADMIN))
    async def create_school(self, request: AuthRequest, data: JSONBody[SchoolIn]) -> SchoolOut:
        """A district admin's school goes into their own district."""
        return school_out(await creation.create_school(request.user, data.name, data.district_id))

    @get("/{school_id:uuid}", operation_id="getSchool", opt=allow(*ADMINS))
    async def get_school(self, request: AuthRequest, school_id: Uuid) -> SchoolOut:
        return school_out(await administered_school(request.user, school_id))

    @get("/{school_id:uuid}/settings", operation_id="getSchoolSettings", opt=allow(*ADMINS))
    async def get_settings(self, request: AuthRequest, school_id: Uuid) -> EffectiveSettingsOut:
        return await settings_out(await administered_school(request.user, school_id))

    @put("/{school_id:uuid}/settings", operation_id="updateSchoolSettings", opt=allow(*ADMINS))
    async def put_settings(
        self,
        request: AuthRequest,
        school_id: Uuid,
        data: Annotated[
            Any,
            Body(
                description="Only the settings to change, by their names in `settings` (null inherits). "
                '`checkedBy` ("uploader", the default; "reviewers"; "both") says who checks a document '
                "that was not read surely enough; the old `teachersReviewOwn` is still understood "
                "(true: both, false: reviewers).",
                examples=[Example(value={"acceptThreshold": 0.95, "checkedBy": "uploader"})],
            ),
        ],
    ) -> EffectiveSettingsOut:
        school = await administered_school(request.user, school_id)
        await update_school_settings(request.user, school, data, request.app.state.runtime.engines)
        return await settings_out(await administered_school(request.user, school_id))

    @get("/{school_id:uuid}/credentials", operation_id="getSchoolCredentials", opt=allow(*ADMINS))
    async def get_credentials(self, request: AuthRequest, school_id: Uuid) -> dict[str, Any]:
        """The school's own engine keys: only whether each is set and its last four characters."""
        school = await administered_school(request.user, school_id)
        return await credentials.list_credentials(school.id)

    @put("/{school_id:uuid}/credentials", operation_id="updateSchoolCredentials", opt=allow(*ADMINS))
    async def put_credentials(
        self, request: AuthRequest, school_id: Uuid, data: Annotated[Any, Body()]
    ) -> dict[str, Any]:
        school = await administered_school(request.user, school_id)
        names = await credentials.save_credentials(request.app.state.settings, school.id, data)
        # The audit says which keys changed, never their values.
        await audit.record(request.user, "school_credentials", tenant_id=school.id, after={"changed": names})
        return await credentials.list_credentials(school.id)

    @post("/{school_id:uuid}/invites", operation_id="createInvite", status_code=201, opt=allow(*ADMINS))
    async def invite(self, request: AuthRequest, school_id: Uuid, data: JSONBody[InviteIn]) -> InviteOut:
        school = await administered_school(request.user, school_id)
        root = public_root(request.app.state.settings, request)  # the address the admin reached
        made = await staff.invite_colleague(
            request.app.state.runtime,
            request.user,
            school,
            email=data.email,
            role=data.role,
            link_for=lambda role, token: invite_link(root, school.slug, role, token),
        )
        return invite_out(made.invite, invite_url=made.url, email_status=made.email_status)

    @get("/{school_id:uuid}/invites", operation_id="listInvites", opt=allow(*ADMINS))
    async def invites(
        self, request: AuthRequest, school_id: Uuid, pending: FromQuery[bool] = False
    ) -> list[InviteOut]:
        """Every invite, newest first; ``?pending=true``: only those nobody has used yet."""
        school = await administered_school(request.user, school_id)
        if pending:
            return [invite_out(i) for i in await staff.pending_invites(school)]
        rows = await TenantScope(school.id).objects(Invite).order_by(Invite.created_at, ascending=False)
        return [invite_out(i) for i in rows]

    @delete(
        "/{school_id:uuid}/invites/{invite_id:uuid}",
        operation_id="cancelInvite",
        status_code=204,
        opt=allow(*ADMINS),
    )
    async def cancel_invite(self, request: AuthRequest, school_id: Uuid, invite_id: Uuid) -> None:
        """The invite's link stops working (an invite already used is 404)."""
        school = await administered_school(request.user, school_id)
        await staff.cancel_invite(request.user, school, invite_id)

    @get("/{school_id:uuid}/users", operation_id="listSchoolUsers", opt=allow(*ADMINS))
    async def users(self, request: AuthRequest, school_id: Uuid) -> list[UserOut]:
        school = await administered_school(request.user, school_id)
        return [user_out(u, school) for u in await staff.school_people(school)]

    # Open to every role on purpose: a refused attempt to change a role is recorded.
    @put("/{school_id:uuid}/users/{user_id:uuid}/role", operation_id="setUserRole", opt=allow(*EVERYONE))
    async def set_role(
        self, request: AuthRequest, school_id: Uuid, user_id: Uuid, data: JSONBody[RoleIn]
    ) -> UserOut:
        """409 last_admin when it would leave the school with no school admin."""
        actor = request.user
        school = await find_school(school_id)
        if school is None or not can_administer(actor, school):
            if school is not None and actor.tenant_id == school.id:
                wanted = {"user": str(user_id), "role": data.role}
                await audit.refused(
                    actor, "set_role", "only an admin may change roles", attempted=wanted, tenant_id=school.id
                )
                raise ApiError(403, "forbidden", "Only your school admin can change roles.")
            raise not_found("School")
        return user_out(await staff.change_role(actor, school, user_id, data.role), school)

    @get("/{school_id:uuid}/audit", operation_id="schoolAuditLog", opt=allow(*ADMINS))
    async def audit_log(
        self, request: AuthRequest, school_id: Uuid, limit: FromQuery[int] = 100
    ) -> list[AuditOut]:
        school = await administered_school(request.user, school_id)
        rows = (
            await AuditEntry.objects()
            .where(AuditEntry.tenant_id == school.id)
            .order_by(AuditEntry.created_at, ascending=False)
            .limit(min(max(limit, 1), 500))
        )
        return [audit_out(r) for r in rows]


def audit_out(row: AuditEntry) -> AuditOut:
    return AuditOut(
        id=row.id,
        action=row.action,
        outcome=row.outcome,
        actor_email=row.actor_email,
        before=as_dict(row.before),
        after=as_dict(row.after),
        reason=row.reason,
        created_at=row.created_at,
    )


class DistrictController(Controller):
    path = "/districts"
    tags = ["districts"]

    @post("/", operation_id="createDistrict", status_code=201, opt=allow(PLATFORM_ADMIN))
    async def create_district(self, request: AuthRequest, data: JSONBody[DistrictIn]) -> DistrictOut:
        district = await creation.create_district(request.user, data.name)
        return DistrictOut(id=district.id, name=district.name, slug=district.slug, schools=[])

    @get("/{district_id:uuid}", operation_id="getDistrict", opt=allow(PLATFORM_ADMIN, DISTRICT_ADMIN))
    async def get_district(self, request: AuthRequest, district_id: Uuid) -> DistrictOut:
        district = await administered_district(request.user, district_id)
        schools = await Tenant.objects().where(Tenant.district_id == district.id).order_by(Tenant.name)
        return DistrictOut(
            id=district.id, name=district.name, slug=district.slug, schools=[school_out(s) for s in schools]
        )

    @get(
        "/{district_id:uuid}/settings",
        operation_id="getDistrictSettings",
        opt=allow(PLATFORM_ADMIN, DISTRICT_ADMIN),
    )
    async def get_settings(self, request: AuthRequest, district_id: Uuid) -> DistrictSettingsOut:
        district = await administered_district(request.user, district_id)
        return DistrictSettingsOut(
            defaults=msgspec.to_builtins(DEFAULTS), overrides=upgrade(as_dict(district.settings))
        )

    @put(
        "/{district_id:uuid}/settings",
        operation_id="updateDistrictSettings",
        opt=allow(PLATFORM_ADMIN, DISTRICT_ADMIN),
    )
    async def put_settings(
        self, request: AuthRequest, district_id: Uuid, data: Annotated[Any, Body()]
    ) -> DistrictSettingsOut:
        district = await administered_district(request.user, district_id)
        after = await update_district_settings(
            request.user, district, data, request.app.state.runtime.engines
        )
        return DistrictSettingsOut(defaults=msgspec.to_builtins(DEFAULTS), overrides=after)

    @get(
        "/{district_id:uuid}/audit",
        operation_id="districtAuditLog",
        opt=allow(PLATFORM_ADMIN, DISTRICT_ADMIN),
    )
    async def audit_log(
        self, request: AuthRequest, district_id: Uuid, limit: FromQuery[int] = 100
    ) -> list[AuditOut]:
        """The district's own entries and those of each of its schools, newest first."""
        district = await administered_district(request.user, district_id)
        schools = [s["id"] for s in await Tenant.select(Tenant.id).where(Tenant.district_id == district.id)]
        log = unscoped_query_across_all_tenants(AuditEntry)  # narrowed to this district just below
        mine = log.district_id == district.id
        rows = (
            await log.objects()
            .where((log.tenant_id.is_in(schools) | mine) if schools else mine)
            .order_by(log.created_at, ascending=False)
            .limit(min(max(limit, 1), 500))
        )
        return [audit_out(r) for r in rows]

    @post(
        "/{district_id:uuid}/admins",
        operation_id="createDistrictAdmin",
        status_code=201,
        opt=allow(PLATFORM_ADMIN),
    )
    async def create_admin(self, request: AuthRequest, district_id: Uuid, data: JSONBody[AdminIn]) -> UserOut:
        district = await administered_district(request.user, district_id)
        user = await create_staff(
            data.email, data.name, data.password, role=DISTRICT_ADMIN, district_id=district.id
        )
        await audit.record(
            request.user, "create_district_admin", district_id=district.id, after={"email": user.email}
        )
        return UserOut(
            id=user.id,
            email=user.email,
            name=user.name,
            role=user.role,
            tenant_id=None,
            district_id=district.id,
            school="",
        )
