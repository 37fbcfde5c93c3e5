"""Accounts: register, login, refresh, logout, me."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException

from core.api.errors import ApiError
from core.api.schemas import LoginIn, LogoutIn, RefreshIn, RegisterIn, RegisterOut, TokensOut, UserOut
from core.auth import CurrentUser, decode_token, hash_password, issue_tokens, verify_password
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import RefreshToken, Tenant, User
from core.settings import Settings

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ADMIN_ROLES = ("school_admin", "district_admin", "platform_admin")


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100]


async def _user_out(user: User) -> UserOut:
    tenant = await Tenant.objects().where(Tenant.id == user.tenant_id).first()
    return UserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        tenant_id=user.tenant_id,
        school=tenant.name if tenant else "",
    )


async def _issue(settings: Settings, user: User) -> TokensOut:
    pair = issue_tokens(settings, user_id=user.id, tenant_id=user.tenant_id, role=user.role)
    await RefreshToken(
        id=pair.refresh_jti, tenant_id=user.tenant_id, user_id=user.id, expires_at=pair.refresh_expires_at
    ).save()
    return TokensOut(access_token=pair.access_token, refresh_token=pair.refresh_token)


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
        slug = slugify(data.school)
        tenant = await Tenant.objects().where(Tenant.slug == slug).first()
        role = "teacher"
        if tenant is None:
            if not settings.self_signup:
                raise ApiError(403, "signup_closed", "Sign-up is by invitation. Ask your school admin.")
            tenant = Tenant(name=data.school.strip()[:200], slug=slug)
            await tenant.save()
            role = "school_admin"  # whoever creates a school administers it
        user = TenantScope(tenant.id).insert(
            User,
            email=email,
            name=data.name.strip()[:200],
            password_hash=hash_password(data.password),
            role=role,
        )
        await user.save()
        tokens = await _issue(settings, user)
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
        scope = TenantScope(claims["tid"])
        stored = await scope.get(RefreshToken, claims["jti"])
        if stored is None or stored.expires_at < dt.datetime.now(dt.UTC):
            raise NotAuthorizedException("This session has ended. Sign in again.")
        if stored.revoked_at is not None:
            # A used refresh token came back: someone may hold a copy, so end every session.
            await scope.update(RefreshToken, {RefreshToken.revoked_at: dt.datetime.now(dt.UTC)}).where(
                RefreshToken.user_id == stored.user_id, RefreshToken.revoked_at.is_null()
            )
            raise NotAuthorizedException("This session has ended. Sign in again.")
        user = await scope.get(User, claims["sub"])
        if user is None or not user.is_active:
            raise NotAuthorizedException("This account no longer exists or is disabled.")
        await scope.update(RefreshToken, {RefreshToken.revoked_at: dt.datetime.now(dt.UTC)}).where(
            RefreshToken.id == stored.id
        )
        return await _issue(state.settings, user)

    @post("/logout", operation_id="logout", status_code=204)
    async def logout(self, request: Request[CurrentUser, dict, State], data: LogoutIn | None = None) -> None:
        user = request.user
        query = user.scope.update(RefreshToken, {RefreshToken.revoked_at: dt.datetime.now(dt.UTC)}).where(
            RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_null()
        )
        if data and data.refresh_token:
            claims = decode_token(request.app.state.settings, data.refresh_token, expected_type="refresh")
            query = query.where(RefreshToken.id == uuid.UUID(claims["jti"]))
        await query

    @get("/me", operation_id="me")
    async def me(self, request: Request[CurrentUser, dict, State]) -> UserOut:
        user = await request.user.scope.get(User, request.user.id)
        if user is None:
            raise NotAuthorizedException("This account no longer exists.")
        return await _user_out(user)
