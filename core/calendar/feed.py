"""Per-user secret calendar links: made, rotated and revoked by the user; looked up by the open route.

The token is 32 random bytes; only its SHA-256 is stored, so a copy of the database opens no
calendar. The open route finds the link across schools (the token says nothing of its school),
then works inside the owner's school only.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import uuid
from dataclasses import dataclass

from core.accounts.identity import hash_token
from core.calendar.tables import CalendarFeed
from core.db.row_security import use_tenant
from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.db.tables import User

TOKEN_BYTES = 32


@dataclass(frozen=True)
class FeedOwner:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    name: str


async def create_or_rotate(scope: TenantScope, user_id: uuid.UUID) -> tuple[str, dt.datetime]:
    """A new link for the user; an older one stops working at once. Returns the token and its date."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    created = dt.datetime.now(dt.UTC)
    async with CalendarFeed._meta.db.transaction():
        await scope.delete(CalendarFeed).where(CalendarFeed.user_id == user_id)
        await scope.insert(
            CalendarFeed, user_id=user_id, token_hash=hash_token(token), created_at=created
        ).save()
    return token, created


async def current(scope: TenantScope, user_id: uuid.UUID) -> dt.datetime | None:
    row = (
        await scope.select(CalendarFeed, CalendarFeed.created_at)
        .where(CalendarFeed.user_id == user_id)
        .first()
    )
    return row["created_at"] if row else None


async def revoke(scope: TenantScope, user_id: uuid.UUID) -> None:
    await scope.delete(CalendarFeed).where(CalendarFeed.user_id == user_id)


async def owner_of(token: str) -> FeedOwner | None:
    """Who a link belongs to, if it is live and its owner is still an active member of that school."""
    if not 20 <= len(token) <= 100:
        return None
    digest = hash_token(token)
    # Knowingly across schools: a link carries no school. Only this lookup; scoped again below.
    feeds = unscoped_query_across_all_tenants(CalendarFeed)
    row = (
        await feeds.select(feeds.tenant_id, feeds.user_id, feeds.token_hash)
        .where(feeds.token_hash == digest)
        .first()
    )
    if row is None or not hmac.compare_digest(row["token_hash"], digest):
        return None
    tenant_id = row["tenant_id"]
    use_tenant(tenant_id)  # from here on, this request sees the owner's school only
    user = (
        await TenantScope(tenant_id)
        .select(User, User.name, User.is_active)
        .where(User.id == row["user_id"])
        .first()
    )
    # A person who left the school (or was disabled) no longer publishes its timetables.
    if user is None or not user["is_active"]:
        return None
    return FeedOwner(user_id=row["user_id"], tenant_id=tenant_id, name=user["name"])
