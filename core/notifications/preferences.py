"""Per-user channel preferences: email, push and in-app, each on unless the user turned it off."""

from __future__ import annotations

import datetime as dt

import msgspec

from core.db.scoping import TenantScope
from core.notifications.tables import NotificationPreference


class Preferences(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    email: bool = True
    push: bool = True
    in_app: bool = True

    def allows(self, channel: str) -> bool:
        return {"email": self.email, "push": self.push, "inApp": self.in_app}.get(channel, True)


async def for_users(scope: TenantScope, user_ids: list[str]) -> dict[str, Preferences]:
    rows = await scope.select(NotificationPreference).where(NotificationPreference.user_id.is_in(user_ids))
    chosen = {
        str(r["user_id"]): Preferences(email=r["email"], push=r["push"], in_app=r["in_app"]) for r in rows
    }
    return {user_id: chosen.get(user_id, Preferences()) for user_id in user_ids}


async def read(scope: TenantScope, user_id: str) -> Preferences:
    return (await for_users(scope, [user_id]))[user_id]


async def save(scope: TenantScope, user_id: str, prefs: Preferences) -> Preferences:
    values = {
        NotificationPreference.email: prefs.email,
        NotificationPreference.push: prefs.push,
        NotificationPreference.in_app: prefs.in_app,
        NotificationPreference.updated_at: dt.datetime.now(dt.UTC),
    }
    updated = (
        await scope.update(NotificationPreference, values)
        .where(NotificationPreference.user_id == user_id)
        .returning(NotificationPreference.id)
    )
    if not updated:
        row = scope.insert(
            NotificationPreference, user_id=user_id, email=prefs.email, push=prefs.push, in_app=prefs.in_app
        )
        await row.save()
    return prefs
