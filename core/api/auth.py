"""Accounts: register, login, refresh, logout, me."""

from __future__ import annotations

import datetime as dt
import functools
import uuid

from litestar import Controller, Request, Response, delete, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from core.accounts import reset, throttle
from core.accounts.identity import EMAIL
from core.accounts.passwords import LOGIN_PASSWORD_LIMIT, require_good_password
from core.accounts.schemas import (
    ErrorOut,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    PasswordResetOut,
    SessionOut,
)
from core.accounts.tables import SessionFamily
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
from core.db.tables import RefreshToken, Tenant, User
from core.ratelimit.address import client_ip
from core.schools import audit
from core.schools.creation import slugify
from core.schools.invites import join_by_invite
from core.schools.roles import EVERYONE, SCHOOL_ADMIN, allow
from core.schools.service import school_name
from core.settings import Settings


async def _user_out(user: User) -> UserOut:
    tenant = await Tenant.objects().where(Tenant.id == user.tenant_id).first() if user.tenant_id else None
    return UserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        tenant_id=user.tenant_id,
        district_id=user.district_id,
        school=await school_name(tenant) if tenant else "",
    )


@functools.cache
def _dummy_hash() -> str:
    return hash_password(uuid.uuid4().hex)


async def _issue(
    settings: Settings, user: User, request: Request | None = None, family_id: uuid.UUID | None = None
) -> TokensOut:
    """A token pair in the session family_id, or in a new session (a sign-in) when there is none."""
    now = dt.datetime.now(dt.UTC)
    expires = now + dt.timedelta(days=settings.refresh_token_days)
    sessions = unscoped_query_across_all_tenants(SessionFamily)  # the user's own; some have no school
    if family_id is None:
        family = SessionFamily(
            tenant_id=user.tenant_id,
            user_id=user.id,
            user_agent=(request.headers.get("user-agent", "") if request else "")[:300],
            ip=client_ip(request, settings) if request else "",
            created_at=now,
            last_used_at=now,
            expires_at=expires,
        )
        await family.save()
        family_id = family.id
    else:
        await sessions.update({sessions.last_used_at: now, sessions.expires_at: expires}).where(
            sessions.id == family_id
        )
    pair = issue_tokens(
        settings, user_id=user.id, tenant_id=user.tenant_id, role=user.role, family_id=family_id
    )
    await RefreshToken(
        id=pair.refresh_jti, tenant_id=user.tenant_id, user_id=user.id, expires_at=pair.refresh_expires_at
    ).save()
    return TokensOut(access_token=pair.access_token, refresh_token=pair.refresh_token)


RESET_SENT = (
    "If an account uses this email, a link to choose a new password is on its way. It works once, "
    "for 30 minutes. No email? Check the address and your spam folder, then ask again."
)

THROTTLED_RESPONSE = {
    429: ResponseSpec(
        data_container=ErrorOut,
        description="Too many failed sign-ins: wait the Retry-After seconds, as the message says.",
    )
}


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotAuthorizedException("The token is not valid. Sign in again.") from exc


async def _throttled(settings: Settings, account: str, ip: str) -> None:
    try:
        await throttle.check(settings, account, ip)
    except throttle.Throttled as exc:
        raise ApiError(429, "too_many_attempts", str(exc), retry_after=exc.retry_after) from exc


async def _end_refresh_tokens(user_id: uuid.UUID, *, token_id: uuid.UUID | None = None) -> None:
    sessions = unscoped_query_across_all_tenants(RefreshToken)  # the user's own refresh tokens
    query = sessions.update({sessions.revoked_at: dt.datetime.now(dt.UTC)}).where(
        sessions.user_id == user_id, sessions.revoked_at.is_null()
    )
    await (query.where(sessions.id == token_id) if token_id else query)


async def end_sessions(
    user_id: uuid.UUID, family_id: uuid.UUID | None, *, keep: uuid.UUID | None = None
) -> None:
    """Sign out one session (family_id) or all of the user's sessions but keep. Refresh tokens carry
    no family column, so ending all of them ends them all; ending one family marks the family, which
    refresh and every request check."""
    families = unscoped_query_across_all_tenants(SessionFamily)  # the user's own sessions
    query = families.update({families.revoked_at: dt.datetime.now(dt.UTC)}).where(
        families.user_id == user_id, families.revoked_at.is_null()
    )
    if family_id is not None:
        await query.where(families.id == family_id)
        return
    await (query.where(families.id != keep) if keep else query)
    if keep is None:
        await _end_refresh_tokens(user_id)


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/register", operation_id="register", status_code=201, opt={"exclude_from_auth": True})
    async def register(self, request: Request, data: JSONBody[RegisterIn], state: State) -> RegisterOut:
        settings: Settings = state.settings
        email = data.email.strip().lower()
        if not EMAIL.match(email):
            raise ApiError(400, "invalid_email", "Enter a valid email address, like name@school.org.")
        require_good_password(data.password, email)
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
        tokens = await _issue(settings, user, request)
        return RegisterOut(
            user=await _user_out(user), access_token=tokens.access_token, refresh_token=tokens.refresh_token
        )

    @post("/accept-invite", operation_id="acceptInvite", status_code=201, opt={"exclude_from_auth": True})
    async def accept_invite(
        self, request: Request, data: JSONBody[AcceptInviteIn], state: State
    ) -> RegisterOut:
        """Join a school through the link an admin sent: the invite names the email and the role."""
        user = await join_by_invite(data.token, data.name, data.password)
        tokens = await _issue(state.settings, user, request)
        return RegisterOut(
            user=await _user_out(user), access_token=tokens.access_token, refresh_token=tokens.refresh_token
        )

    @post(
        "/login",
        operation_id="login",
        status_code=200,
        opt={"exclude_from_auth": True},
        responses=THROTTLED_RESPONSE,
    )
    async def login(self, request: Request, data: JSONBody[LoginIn], state: State) -> TokensOut:
        """Sign in. After too many failures an account (or an address) waits: 429 with Retry-After."""
        settings: Settings = state.settings
        email = data.email.strip().lower()
        account, ip = throttle.account_key(email), client_ip(request, settings)
        await _throttled(settings, account, ip)
        users = unscoped_query_across_all_tenants(User)  # login finds the school from the email
        user = await users.objects().where(users.email == email).first()
        # An unknown email costs the same hashing as a known one, so timing does not tell them apart;
        # a megabyte "password" is refused without hashing it.
        password = data.password if len(data.password) <= LOGIN_PASSWORD_LIMIT else ""
        known = user is not None and user.is_active
        matches = verify_password(user.password_hash if known else _dummy_hash(), password) and bool(password)
        if not known or not matches:
            await throttle.record_failure(settings, account, ip)
            if known:  # a failed password against a real account is worth an admin's eye
                await audit.sign_in(user, ok=False, reason="wrong password")
            raise ApiError(401, "invalid_credentials", "The email or password is wrong. Try again.")
        await throttle.clear(account)
        await audit.sign_in(user, ok=True)
        return await _issue(settings, user, request)

    @post(
        "/password-reset",
        operation_id="requestPasswordReset",
        status_code=202,
        opt={"exclude_from_auth": True},
        responses=THROTTLED_RESPONSE,
    )
    async def request_password_reset(
        self, request: Request, data: JSONBody[PasswordResetIn], state: State
    ) -> Response[PasswordResetOut]:
        """Email a single-use link (valid 30 minutes) when the account exists. The answer is the same
        either way, and comes before any lookup, so neither it nor its timing tells who has an account."""
        settings: Settings = state.settings
        email = data.email.strip().lower()[:320]
        # Its own counters (not sign-in's): asking for links must not lock an account's sign-in.
        account = throttle.account_key(f"reset:{email}")
        ip = f"reset:{client_ip(request, settings)}"[:64]
        await _throttled(settings, account, ip)
        await throttle.record_failure(settings, account, ip)  # every request counts toward the limit
        return Response(
            PasswordResetOut(message=RESET_SENT),
            status_code=202,
            background=BackgroundTask(reset.send_reset_link, state.runtime, settings, email),
        )

    @post(
        "/password-reset/confirm",
        operation_id="confirmPasswordReset",
        status_code=204,
        opt={"exclude_from_auth": True},
        responses=THROTTLED_RESPONSE,
    )
    async def confirm_password_reset(
        self, request: Request, data: JSONBody[PasswordResetConfirmIn], state: State
    ) -> None:
        """Set a new password with the link's token (the policy applies); the link is spent and every
        session of the account ends. Bad links count toward the address's limit."""
        settings: Settings = state.settings
        # Bad links count toward the address (the reset-request limit); each link has its own count too.
        account = throttle.account_key(f"reset-link:{data.token[:100]}")
        ip = f"reset:{client_ip(request, settings)}"[:64]
        await _throttled(settings, account, ip)
        try:
            user = await reset.use_token(
                data.token, lambda found: require_good_password(data.password, found.email)
            )
        except reset.ResetRefused as exc:
            await throttle.record_failure(settings, account, ip)
            raise ApiError(400 if exc.code == "reset_invalid" else 410, exc.code, str(exc)) from exc
        users = unscoped_query_across_all_tenants(User)  # the link's own account
        await users.update({users.password_hash: hash_password(data.password)}).where(users.id == user.id)
        await end_sessions(user.id, None)
        await throttle.clear(throttle.account_key(user.email))  # the owner may sign in at once
        await audit.record(
            CurrentUser(
                id=user.id, tenant_id=user.tenant_id, email=user.email, name=user.name, role=user.role
            ),
            "password_reset",
            tenant_id=user.tenant_id,
            district_id=user.district_id,
        )

    @post("/refresh", operation_id="refreshToken", status_code=200, opt={"exclude_from_auth": True})
    async def refresh(self, data: JSONBody[RefreshIn], state: State) -> TokensOut:
        claims = decode_token(state.settings, data.refresh_token, expected_type="refresh")
        # Sessions belong to users, some of whom have no school: found by their unguessable id.
        sessions = unscoped_query_across_all_tenants(RefreshToken)
        families = unscoped_query_across_all_tenants(SessionFamily)
        now = dt.datetime.now(dt.UTC)
        stored = await sessions.objects().where(sessions.id == _uuid(claims["jti"])).first()
        if stored is None or str(stored.user_id) != claims["sub"] or stored.expires_at < now:
            raise NotAuthorizedException("This session has ended. Sign in again.")
        if stored.revoked_at is not None:
            # A used refresh token came back: someone may hold a copy, so end every session.
            await sessions.update({sessions.revoked_at: now}).where(
                sessions.user_id == stored.user_id, sessions.revoked_at.is_null()
            )
            await families.update({families.revoked_at: now}).where(
                families.user_id == stored.user_id, families.revoked_at.is_null()
            )
            raise NotAuthorizedException("This session has ended. Sign in again.")
        family_id = _uuid(claims["fam"]) if claims.get("fam") else None
        if family_id is not None:
            family = await families.select(families.revoked_at).where(families.id == family_id).first()
            if family is None or family["revoked_at"] is not None:
                raise NotAuthorizedException("This session was signed out. Sign in again.")
        users = unscoped_query_across_all_tenants(User)
        user = await users.objects().where(users.id == stored.user_id).first()
        if user is None or not user.is_active:
            raise NotAuthorizedException("This account no longer exists or is disabled.")
        await sessions.update({sessions.revoked_at: now}).where(sessions.id == stored.id)
        return await _issue(state.settings, user, family_id=family_id)

    @post("/logout", operation_id="logout", status_code=204, opt=allow(*EVERYONE))
    async def logout(
        self, request: Request[CurrentUser, dict, State], data: JSONBody[LogoutIn | None] = None
    ) -> None:
        """End the session of the refresh token sent (its whole family), or every session without one."""
        family_id = None
        if data and data.refresh_token:
            claims = decode_token(request.app.state.settings, data.refresh_token, expected_type="refresh")
            if claims["sub"] != str(request.user.id):
                raise ApiError(400, "not_your_session", "That refresh token is not yours. Send your own.")
            if not claims.get("fam"):  # a token from before sessions had families: end just it
                await _end_refresh_tokens(request.user.id, token_id=_uuid(claims["jti"]))
                return
            family_id = _uuid(claims["fam"])
        await end_sessions(request.user.id, family_id)

    @get("/sessions", operation_id="listSessions", opt=allow(*EVERYONE))
    async def list_sessions(self, request: Request[CurrentUser, dict, State]) -> list[SessionOut]:
        """The signed-in user's open sessions (one per sign-in), newest first."""
        families = unscoped_query_across_all_tenants(SessionFamily)  # the user's own sessions
        rows = await (
            families.select()
            .where(
                families.user_id == request.user.id,
                families.revoked_at.is_null(),
                families.expires_at > dt.datetime.now(dt.UTC),
            )
            .order_by(families.last_used_at, ascending=False)
        )
        current = (request.auth or {}).get("fam")
        return [
            SessionOut(
                id=row["id"],
                created_at=row["created_at"],
                last_used_at=row["last_used_at"],
                expires_at=row["expires_at"],
                user_agent=row["user_agent"],
                ip=row["ip"],
                current=str(row["id"]) == current,
            )
            for row in rows
        ]

    @delete("/sessions/{session_id:uuid}", operation_id="endSession", status_code=204, opt=allow(*EVERYONE))
    async def end_session(
        self, request: Request[CurrentUser, dict, State], session_id: FromPath[uuid.UUID]
    ) -> None:
        """Sign one session out: its refresh token stops working and its access token too."""
        families = unscoped_query_across_all_tenants(SessionFamily)  # only the user's own, below
        found = await families.exists().where(
            families.id == session_id, families.user_id == request.user.id, families.revoked_at.is_null()
        )
        if not found:
            raise ApiError(
                404, "not_found", "Session was not found. List your sessions to see which are open."
            )
        await end_sessions(request.user.id, session_id)

    @post("/password", operation_id="changePassword", status_code=204, opt=allow(*EVERYONE))
    async def change_password(
        self, request: Request[CurrentUser, dict, State], data: JSONBody[PasswordChangeIn]
    ) -> None:
        """A new password (checked by the policy); every other session is signed out."""
        settings: Settings = request.app.state.settings
        account, ip = throttle.account_key(request.user.email), client_ip(request, settings)
        await _throttled(settings, account, ip)
        users = unscoped_query_across_all_tenants(User)  # the signed-in user's own row
        user = await users.objects().where(users.id == request.user.id).first()
        if user is None or not verify_password(user.password_hash, data.current_password):
            await throttle.record_failure(settings, account, ip)
            raise ApiError(400, "wrong_password", "Your current password is not right. Type it again.")
        require_good_password(data.new_password, user.email)
        await users.update({users.password_hash: hash_password(data.new_password)}).where(users.id == user.id)
        keep = (request.auth or {}).get("fam")
        await end_sessions(user.id, None, keep=_uuid(keep) if keep else None)

    @get("/me", operation_id="me", opt=allow(*EVERYONE))
    async def me(self, request: Request[CurrentUser, dict, State]) -> UserOut:
        users = unscoped_query_across_all_tenants(User)  # the signed-in user's own row
        user = await users.objects().where(users.id == request.user.id).first()
        if user is None:
            raise NotAuthorizedException("This account no longer exists.")
        return await _user_out(user)
