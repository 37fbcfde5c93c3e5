"""A school's people: invite a colleague, list staff and pending invites, change a role, remove someone.

Used by the API (tenants/api.py, core/api/privacy.py) and by the console's staff page, so both
refuse the same things with the same words and record the same audit entries. The caller has
checked that the actor administers ``school`` (``administered_school``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from core.accounts.identity import EMAIL, hash_token
from core.accounts.passwords import require_good_password
from core.auth import CurrentUser, hash_password
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import Invite, Tenant, User
from core.errors import DomainError, not_found
from core.notifications.invites import email_invite
from core.privacy.erase import erase_user
from core.privacy.last_admin import refuse_last_admin
from core.runtime import Runtime
from core.schools import audit
from core.schools.roles import SCHOOL_ADMIN, SCHOOL_GRANTABLE

# Role names as a school admin reads them.
ROLE_WORDS = {"teacher": "Teacher", "reviewer": "Reviewer", "school_admin": "School admin"}


@dataclass(frozen=True)
class NewInvite:
    invite: Invite
    url: str  # the join link: shown to the admin once, whatever happened to the email
    email_status: str  # "sent", or in words why no email went


def _check_role(role: str) -> None:
    if role not in SCHOOL_GRANTABLE:
        words = ", ".join(ROLE_WORDS[r].lower() for r in SCHOOL_GRANTABLE)
        raise DomainError(400, "invalid_role", f"Choose one of these roles: {words}.")


async def invite_colleague(
    runtime: Runtime,
    actor: CurrentUser,
    school: Tenant,
    *,
    email: str,
    role: str,
    link_for: Callable[[str, str], str],
) -> NewInvite:
    """Make an invite, email it through the notifier (when email is set up) and return its link.
    ``link_for(role, token)`` builds the link; how links are built is the caller's business."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise DomainError(400, "invalid_email", "Enter a valid email address, like name@school.org.")
    _check_role(role)
    users = unscoped_query_across_all_tenants(User)  # emails are unique across schools
    if await users.exists().where(users.email == email):
        raise DomainError(409, "email_taken", "This person already has an account.")
    token = secrets.token_urlsafe(32)
    invite = TenantScope(school.id).insert(
        Invite,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor.id,
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=runtime.settings.invite_days),
    )
    await invite.save()
    await audit.record(actor, "invite", tenant_id=school.id, after={"email": email, "role": role})
    url = link_for(role, token)
    status = await email_invite(
        runtime,
        school.id,
        to_email=email,
        role=role,
        url=url,
        inviter=actor.name,
        expires=invite.expires_at,
    )
    return NewInvite(invite=invite, url=url, email_status=status)


async def school_people(school: Tenant) -> list[User]:
    return await TenantScope(school.id).objects(User).order_by(User.email)


async def pending_invites(school: Tenant) -> list[Invite]:
    """Invites nobody has used yet, newest first (expired ones too: the admin may send a new one)."""
    return await (
        TenantScope(school.id)
        .objects(Invite)
        .where(Invite.accepted_at.is_null())
        .order_by(Invite.created_at, ascending=False)
    )


async def cancel_invite(actor: CurrentUser, school: Tenant, invite_id: UUID) -> None:
    """The link stops working at once."""
    invite = await TenantScope(school.id).get(Invite, invite_id)
    if invite is None or invite.accepted_at is not None:
        raise not_found("Invite")
    await TenantScope(school.id).delete(Invite).where(Invite.id == invite.id)
    await audit.record(
        actor, "cancel_invite", tenant_id=school.id, before={"email": invite.email, "role": invite.role}
    )


async def _person(school: Tenant, user_id: UUID) -> User:
    person = await TenantScope(school.id).get(User, user_id)
    if person is None:
        raise not_found("User")
    return person


async def change_role(actor: CurrentUser, school: Tenant, user_id: UUID, role: str) -> User:
    """Give a person of the school another role. The school's last school admin keeps theirs
    (409 last_admin), or nobody could invite, change settings or hand the school on."""
    person = await _person(school, user_id)
    wanted = {"user": str(user_id), "role": role}
    try:
        _check_role(role)
    except DomainError:
        await audit.refused(actor, "set_role", "not a school role", attempted=wanted, tenant_id=school.id)
        raise
    if person.role == SCHOOL_ADMIN and role != SCHOOL_ADMIN:
        try:
            await refuse_last_admin(person.id)
        except DomainError as exc:
            await audit.refused(actor, "set_role", "last school admin", attempted=wanted, tenant_id=school.id)
            raise DomainError(
                409,
                "last_admin",
                f"{person.name} is the school's only school admin, so the school would have nobody to "
                "run it: make someone else school admin first.",
            ) from exc
    before = {"user": str(user_id), "role": person.role}
    await TenantScope(school.id).update(User, {User.role: role}).where(User.id == person.id)
    await audit.record(actor, "set_role", tenant_id=school.id, before=before, after={**before, "role": role})
    person.role = role
    return person


async def remove_person(runtime: Runtime, actor: CurrentUser, school: Tenant, user_id: UUID) -> None:
    """Remove a person from the school: their account and everything of theirs is erased."""
    person = await _person(school, user_id)
    await refuse_last_admin(person.id)
    await erase_user(runtime, person.id)
    await audit.record(actor, "delete_user", tenant_id=school.id, after={"role": person.role})


def invite_link(public_url: str, slug: str, role: str, token: str) -> str:
    """Teachers and reviewers join in the school's app, where they work; a school admin joins
    in the console, where settings, invites and the review queue are."""
    root = public_url.rstrip("/")
    if role == SCHOOL_ADMIN:
        return f"{root}/invite/{token}"
    return f"{root}/t/{slug}/app/#/join/{token}"


async def create_staff(email: str, name: str, password: str, *, role: str, district_id: UUID | None) -> User:
    """A district or platform admin: a person who belongs to no school."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise DomainError(400, "invalid_email", "Enter a valid email address, like name@school.org.")
    require_good_password(password, email)  # the same policy as everyone's
    users = unscoped_query_across_all_tenants(User)  # staff accounts have no school to scope by
    if await users.exists().where(users.email == email):
        raise DomainError(409, "email_taken", "An account with this email exists.")
    user = User(
        email=email,
        name=name.strip()[:200] or email,
        password_hash=hash_password(password),
        role=role,
        tenant_id=None,
        district_id=district_id,
    )
    await user.save()
    return user
