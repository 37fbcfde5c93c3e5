"""Passwords (argon2id), JWT access and refresh tokens, and the signed-in user they name.

No HTTP here: a token or session that lets nobody in raises ``NotAuthenticated`` (a DomainError,
401); the API's bearer middleware (core/api/bearer.py), the console's guard (admin/session.py) and
the WebSocket (core/api/realtime.py) each answer it their own way."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import cache
from typing import Any

import jwt
import msgspec
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from core.accounts.tables import SessionFamily
from core.db.fresh import FreshCache, request_version
from core.db.row_security import bypass_row_security, use_tenant
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import User
from core.errors import DomainError
from core.settings import Settings, get_settings

ALGORITHM = "HS256"  # pinned: tokens naming any other algorithm are refused


@cache
def password_hasher(profile: str) -> PasswordHasher:
    """argon2id with the parameters of ``profile`` (settings.password_hash_profile)."""
    return PasswordHasher.from_parameters(getattr(profiles, profile.upper()))


class NotAuthenticated(DomainError):
    """The token or session lets nobody in (expired, forged, signed out, account disabled); the
    message says what to do. The API answers 401 ``unauthorized``."""

    def __init__(self, message: str) -> None:
        super().__init__(401, "unauthorized", message)


def hash_password(password: str) -> str:
    return password_hasher(get_settings().password_hash_profile).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Checked with the parameters stored in the hash, whichever profile made it."""
    try:
        return password_hasher(get_settings().password_hash_profile).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class CurrentUser(msgspec.Struct, frozen=True):
    id: uuid.UUID
    tenant_id: uuid.UUID | None  # None for district and platform admins
    email: str
    name: str
    role: str
    district_id: uuid.UUID | None = None

    @property
    def scope(self) -> TenantScope:
        """The user's own school; raises for users who belong to none (fails closed)."""
        return TenantScope(self.tenant_id)


class TokenPair(msgspec.Struct, frozen=True):
    access_token: str
    refresh_token: str
    refresh_jti: uuid.UUID
    refresh_expires_at: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def issue_tokens(
    settings: Settings,
    *,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID | None,
    role: str,
    family_id: uuid.UUID | None = None,
) -> TokenPair:
    """An access and a refresh token; both name the session (``fam``) so ending it ends both."""
    now = _now()
    secret = settings.jwt_secret()
    family = {"fam": str(family_id)} if family_id else {}
    access = jwt.encode(
        {
            "sub": str(user_id),
            "tid": str(tenant_id) if tenant_id else None,
            "role": role,
            "typ": "access",
            "iat": now,
            "exp": now + dt.timedelta(minutes=settings.access_token_minutes),
            "jti": uuid.uuid4().hex,
            **family,
        },
        secret,
        algorithm=ALGORITHM,
    )
    refresh_jti = uuid.uuid4()
    refresh_expires = now + dt.timedelta(days=settings.refresh_token_days)
    refresh = jwt.encode(
        {
            "sub": str(user_id),
            "tid": str(tenant_id) if tenant_id else None,
            "typ": "refresh",
            "iat": now,
            "exp": refresh_expires,
            "jti": str(refresh_jti),
            **family,
        },
        secret,
        algorithm=ALGORITHM,
    )
    return TokenPair(access, refresh, refresh_jti, refresh_expires)


# Tokens already checked, by (secret, token): a client sends the same access token with every
# request for its half hour, and checking the signature and the encoding again (about a millisecond
# of pure Python in PyJWT) is then the largest cost of a read. Only the expiry can change.
_checked: dict[tuple[str, str, str], dict[str, Any]] = {}
CHECKED_TOKENS = 10_000


def decode_token(settings: Settings, token: str, *, expected_type: str) -> dict[str, Any]:
    key = (settings.jwt_secret(), token, expected_type)
    known = _checked.get(key)
    if known is not None:
        if known["exp"] <= _now().timestamp():
            _checked.pop(key, None)
            raise NotAuthenticated("The token has expired. Sign in again or refresh it.")
        return dict(known)
    claims = _decode(settings, token, expected_type=expected_type)
    if len(_checked) >= CHECKED_TOKENS:
        _checked.pop(next(iter(_checked)), None)  # the oldest
    _checked[key] = claims
    return dict(claims)


def _decode(settings: Settings, token: str, *, expected_type: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret(),
            algorithms=[ALGORITHM],
            # "tid" is not required: it is null for district and platform admins.
            options={"require": ["exp", "iat", "sub", "typ", "jti"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise NotAuthenticated("The token has expired. Sign in again or refresh it.") from exc
    except jwt.PyJWTError as exc:
        raise NotAuthenticated("The token is not valid. Sign in again.") from exc
    if claims.get("typ") != expected_type:
        raise NotAuthenticated(f"This is not an {expected_type} token.")
    return claims


async def session_is_live(family: str, user_id: uuid.UUID, tenant_id: uuid.UUID | None) -> bool:
    """Whether the session an access token belongs to is still open (signing out ends it at once)."""
    return await _session_ends(family, user_id, tenant_id) is not None


async def _session_ends(family: str, user_id: uuid.UUID, tenant_id: uuid.UUID | None) -> dt.datetime | None:
    """When the open session an access token belongs to expires; None when it is not open."""
    try:
        family_id = uuid.UUID(family)
    except ValueError:
        return None
    columns = (SessionFamily.revoked_at, SessionFamily.expires_at)
    if tenant_id is not None:
        query = TenantScope(tenant_id).select(SessionFamily, *columns)
    else:  # district and platform admins' sessions belong to no school
        sessions = unscoped_query_across_all_tenants(SessionFamily)
        query = sessions.select(*columns).where(sessions.tenant_id.is_null())
    row = await query.where(SessionFamily.id == family_id, SessionFamily.user_id == user_id).first()
    if row is None or row["revoked_at"] is not None or row["expires_at"] <= _now():
        return None
    return row["expires_at"]


# Who a token names, kept until the database changes (core/db/fresh.py): signing out, a new
# password, a disabled account or a changed role is a write, so the next request reads afresh.
_signed_in: FreshCache[tuple[CurrentUser, dt.datetime | None]] = FreshCache(max_entries=10_000)


async def load_user(claims: dict[str, Any]) -> CurrentUser:
    """The signed-in user, read fresh: a disabled account or a changed role takes effect at once."""
    try:
        user_id = uuid.UUID(claims["sub"])
        tenant_id = uuid.UUID(claims["tid"]) if claims.get("tid") else None
    except ValueError as exc:
        raise NotAuthenticated("The token is not valid. Sign in again.") from exc
    if tenant_id is not None:
        use_tenant(tenant_id)  # this request's queries see only this school's rows
    family = claims.get("fam")
    version = await request_version()  # before reading: a write meanwhile makes the answer stale
    known = _signed_in.get((user_id, tenant_id, family), version)
    if known is not None and (known[1] is None or known[1] > _now()):
        if tenant_id is None:
            bypass_row_security()  # as reading an admin (who belongs to no school) does
        return known[0]
    user, session_ends = await _read_user(user_id, tenant_id, family)
    _signed_in.put((user_id, tenant_id, family), version, (user, session_ends))
    return user


async def _read_user(
    user_id: uuid.UUID, tenant_id: uuid.UUID | None, family: str | None
) -> tuple[CurrentUser, dt.datetime | None]:
    columns = (User.tenant_id, User.district_id, User.email, User.name, User.role, User.is_active)
    if tenant_id is not None:
        query = TenantScope(tenant_id).select(User, *columns)
    else:  # district and platform admins belong to no school
        users = unscoped_query_across_all_tenants(User)
        query = users.select(*columns).where(users.tenant_id.is_null())
    user = await query.where(User.id == user_id).first()
    if user is None or not user["is_active"]:
        raise NotAuthenticated("This account no longer exists or is disabled.")
    session_ends = await _session_ends(family, user_id, tenant_id) if family else None
    if family and session_ends is None:
        raise NotAuthenticated("This session was signed out. Sign in again.")
    current = CurrentUser(
        id=user_id,
        tenant_id=user["tenant_id"],
        district_id=user["district_id"],
        email=user["email"],
        name=user["name"],
        role=user["role"],
    )
    return current, session_ends
