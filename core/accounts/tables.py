"""Tables for sign-in throttling, sessions and password resets (listed in core.piccolo_app; migration
timetabler_2026_11_29_security)."""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.db.tables import Tenant, User


class LoginAttempt(Table, tablename="login_attempts"):
    """One failed sign-in, counted per account and per address. Not tenant-owned: it is written
    before anyone is known, and names the account only by a hash of its email."""

    id = UUID(primary_key=True)
    account = Varchar(length=64, index=True)  # sha256 of the lowercased email
    ip = Varchar(length=64, index=True)
    succeeded = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class SessionFamily(Table, tablename="session_families"):
    """A sign-in and every refresh token rotated from it: what the user sees as one session."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=True, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    user_agent = Varchar(length=300, default="")
    ip = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class PasswordReset(Table, tablename="password_resets"):
    """A password-reset link sent by email: single use, short-lived. Only a hash of its token is kept,
    so a copy of the database opens no account. Tenant-owned (null for admins above a school)."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(Tenant, null=True, on_delete=OnDelete.cascade, index=True)
    user_id = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)  # sha256 of the token in the link
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


SECURITY_TABLES: list[type[Table]] = [LoginAttempt, SessionFamily, PasswordReset]
