"""Accounts: register, login, refresh, logout, me."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException

from core.api.errors import ApiError
from core.api.schemas import (
    AcceptInviteIn,
    LoginIn,
    LogoutIn,
    RefreshIn,
    RegisterIn,
    RegisterOut,
    TokensOut,
    UserOut,
)
from core.auth import CurrentUser, decode_token, hash_password, issue_tokens, verify_password
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import Invite, RefreshToken, Tenant, User
from core.settings import Settings
from tenants.roles import EVERYONE, SCHOOL_ADMIN, allow

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100]


async def _user_out(user: User) -> UserOut:
    tenant = await Tenant.objects().where(Tenant.id == user.tenant_id).first() if user.tenant_id else None
    return UserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        tenant_id=user.tenant_id,
        district_id=user.district_id,
        school=tenant.name if tenant else "",
    )


async def _issue(settings: Settings, user: User) -> TokensOut:
    pair = issue_tokens(settings, user_id=user.id, tenant_id=user.tenant_id, role=user.role)
    await RefreshToken(
        id=pair.refresh_jti, tenant_id=user.tenant_id, user_id=user.id, expires_at=pair.refresh_expires_at
    ).save()
    return TokensOut(access_token=pair.access_token, refresh_token=pair.refresh_token)


async def usable_invite(token: str) -> Invite:
    """The invite behind a link, if it can still be used; otherwise an ApiError that says why."""
    invites = unscoped_query_across_all_tenants(Invite)  # found by the secret in the link alone
    invite = await invites.objects().where(invites.token_hash == hash_token(token)).first()
    if invite is None:
        raise ApiError(
            404, "invite_not_found", "This invite link is not valid. Ask your school admin for a new one."
        )
    if invite.accepted_at is not None:
        raise ApiError(409, "invite_used", "This invite was used already. Sign in instead.")
    if invite.expires_at < dt.datetime.now(dt.UTC):
        raise ApiError(410, "invite_expired", "This invite has expired. Ask your school admin for a new one.")
    return invite


async def join_by_invite(token: str, name: str, password: str) -> User:
    """Make the invited person's account in the invite's school and role; the invite is then spent.
    Used by the API and by the invite web page."""
    invite = await usable_invite(token)
    if len(password) < 8:
        raise ApiError(400, "weak_password", "Choose a password of at least 8 characters.")
    users = unscoped_query_across_all_tenants(User)
    if await users.exists().where(users.email == invite.email):
        raise ApiError(409, "email_taken", "An account with this email exists. Sign in instead.")
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


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/register", operation_id="register", status_code=201, opt={"exclude_from_auth": True})
    async def register(self, data: RegisterIn, state: State) -> RegisterOut:
        settings: Settings = state.settings
        email = data.email.strip().lower()
        if not _EMAIL.match(email):
            raise ApiError(400, "invalid_email", "Enter a valid email address, like name@school.org.")
        if len(data.password) < 8:
            raise ApiError(400, "weak_password", "Choose a password of at least 8 characters.")
        if not data.name.strip() or not data.school.strip() or not slugify(data.school):
            raise ApiError(400, "missing_field", "Enter your name and your school's name.")
        users = unscoped_query_across_all_tenants(User)  # emails are unique across schools
        if await users.exists().where(users.email == email):
            raise ApiError(409, "email_taken", "An account with this email exists. Sign in instead.")
        if not settings.self_signup:
            raise ApiError(
                403, "signup_closed", "Sign-up is by invitation. Ask your school admin for an invite."
            )
        slug = slugify(data.school)
        if await Tenant.exists().where(Tenant.slug == slug):
            raise ApiError(
                409,
                "school_exists",
                f"'{data.school.strip()}' already uses Timetabler. Ask its school admin for an invite link.",
            )
        tenant = Tenant(name=data.school.strip()[:200], slug=slug)
        await tenant.save()
        # Whoever creates a school administers it.
        user = TenantScope(tenant.id).insert(
            User,
            email=email,
            name=data.name.strip()[:200],
            password_hash=hash_password(data.password),
            role=SCHOOL_ADMIN,
        )
        await user.save()
        tokens = await _issue(settings, user)
        return RegisterOut(
            user=await _user_out(user), access_token=tokens.access_token, refresh_token=tokens.refresh_token
        )

    @post("/accept-invite", operation_id="acceptInvite", status_code=201, opt={"exclude_from_auth": True})
    async def accept_invite(self, data: AcceptInviteIn, state: State) -> RegisterOut:
        """Join a school through the link an admin sent: the invite names the email and the role."""
        user = await join_by_invite(data.token, data.name, data.password)
        tokens = await _issue(state.settings, user)
        return RegisterOut(
            user=await _user_out(user), access_token=tokens.access_token, refresh_token=tokens.refresh_token
        )

    @post("/login", operation_id="login", status_code=200, opt={"exclude_from_auth": True})
    async def login(self, data: LoginIn, state: State) -> TokensOut:
        users = unscoped_query_across_all_tenants(User)  # login finds the school from the email
        user = await users.objects().where(users.email == data.email.strip().lower()).first()
        if user is None or not user.is_active or not verify_password(user.password_hash, data.password):
            raise ApiError(401, "invalid_credentials", "The email or password is wrong. Try again.")
        return await _issue(state.settings, user)

    @post("/refresh", operation_id="refreshToken", status_code=200, opt={"exclude_from_auth": True})
    async def refresh(self, data: RefreshIn, state: State) -> TokensOut:
        claims = decode_token(state.settings, data.refresh_token, expected_type="refresh")
        # Sessions belong to users, some of whom have no school: found by their unguessable id.
        sessions = unscoped_query_across_all_tenants(RefreshToken)
        now = dt.datetime.now(dt.UTC)
        stored = await sessions.objects().where(sessions.id == uuid.UUID(claims["jti"])).first()
        if stored is None or str(stored.user_id) != claims["sub"] or stored.expires_at < now:
            raise NotAuthorizedException("This session has ended. Sign in again.")
        if stored.revoked_at is not None:
            # A used refresh token came back: someone may hold a copy, so end every session.
            await sessions.update({sessions.revoked_at: now}).where(
                sessions.user_id == stored.user_id, sessions.revoked_at.is_null()
            )
            raise NotAuthorizedException("This session has ended. Sign in again.")
        users = unscoped_query_across_all_tenants(User)
        user = await users.objects().where(users.id == stored.user_id).first()
        if user is None or not user.is_active:
            raise NotAuthorizedException("This account no longer exists or is disabled.")
        await sessions.update({sessions.revoked_at: now}).where(sessions.id == stored.id)
        return await _issue(state.settings, user)

    @post("/logout", operation_id="logout", status_code=204, opt=allow(*EVERYONE))
    async def logout(self, request: Request[CurrentUser, dict, State], data: LogoutIn | None = None) -> None:
        sessions = unscoped_query_across_all_tenants(RefreshToken)  # the user's own sessions
        query = sessions.update({sessions.revoked_at: dt.datetime.now(dt.UTC)}).where(
            sessions.user_id == request.user.id, sessions.revoked_at.is_null()
        )
        if data and data.refresh_token:
            claims = decode_token(request.app.state.settings, data.refresh_token, expected_type="refresh")
            query = query.where(sessions.id == uuid.UUID(claims["jti"]))
        await query

    @get("/me", operation_id="me", opt=allow(*EVERYONE))
    async def me(self, request: Request[CurrentUser, dict, State]) -> UserOut:
        users = unscoped_query_across_all_tenants(User)  # the signed-in user's own row
        user = await users.objects().where(users.id == request.user.id).first()
        if user is None:
            raise NotAuthorizedException("This account no longer exists.")
        return await _user_out(user)
