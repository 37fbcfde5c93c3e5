"""Joining a school by invite: whether a link can still be used, and the account it makes (invites
are made in core/staff/service.py). Used by the API (core/api/auth.py) and the console's invite page."""

from __future__ import annotations

import datetime as dt

from core.accounts.identity import hash_token
from core.accounts.passwords import require_good_password
from core.auth import hash_password
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import Invite, User
from core.errors import DomainError


async def usable_invite(token: str) -> Invite:
    """The invite behind a link, if it can still be used; otherwise a DomainError that says why."""
    invites = unscoped_query_across_all_tenants(Invite)  # found by the secret in the link alone
    invite = await invites.objects().where(invites.token_hash == hash_token(token)).first()
    if invite is None:
        raise DomainError(
            404, "invite_not_found", "This invite link is not valid. Ask your school admin for a new one."
        )
    if invite.accepted_at is not None:
        raise DomainError(409, "invite_used", "This invite was used already. Sign in instead.")
    if invite.expires_at < dt.datetime.now(dt.UTC):
        raise DomainError(
            410, "invite_expired", "This invite has expired. Ask your school admin for a new one."
        )
    return invite


async def join_by_invite(token: str, name: str, password: str) -> User:
    """Make the invited person's account in the invite's school and role; the invite is then spent."""
    invite = await usable_invite(token)
    require_good_password(password, invite.email)
    users = unscoped_query_across_all_tenants(User)
    if await users.exists().where(users.email == invite.email):
        raise DomainError(409, "email_taken", "An account with this email exists. Sign in instead.")
    scope = TenantScope(invite.tenant_id)
    user = scope.insert(
        User,
        email=invite.email,
        name=(name.strip() or invite.email)[:200],
        password_hash=hash_password(password),
        role=invite.role,
    )
    async with User._meta.db.transaction():
        await user.save()
        await scope.update(Invite, {Invite.accepted_at: dt.datetime.now(dt.UTC)}).where(
            Invite.id == invite.id
        )
    return user
