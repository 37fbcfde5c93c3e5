"""The notification routes: the push key, the signed-in user's push subscriptions and their
channel preferences. Everything under /me is the caller's own, inside their own school."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.datastructures import State
from litestar.params import JSONBody

from core.api.errors import ApiError
from core.auth import CurrentUser
from core.engines import EngineUnavailable
from core.notifications import preferences
from core.notifications.preferences import Preferences
from core.notifications.tables import PushSubscription
from core.schools.roles import SCHOOL_MEMBERS, allow

AuthRequest = Request[CurrentUser, dict, State]
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Schema(msgspec.Struct, rename="camel", kw_only=True):
    pass


class PublicKeyOut(Schema):
    public_key: str


class SubscriptionKeys(Schema):
    p256dh: str
    auth: str


class SubscriptionIn(Schema):
    """A browser's ``PushSubscription.toJSON()``."""

    endpoint: str
    keys: SubscriptionKeys
    expiration_time: int | None = None


class SubscriptionOut(Schema):
    endpoint: str


class UnsubscribeIn(Schema):
    endpoint: str


def _key_bytes(value: str, what: str, size: int) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        raise ApiError(
            400,
            "invalid_subscription",
            f"keys.{what} must be the browser's base64url key ({size} bytes); send "
            "PushSubscription.toJSON() unchanged.",
        )
    return raw


def check_subscription(data: SubscriptionIn) -> None:
    parts = urlsplit(data.endpoint)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if not secure or not parts.hostname or len(data.endpoint) > 2000:
        raise ApiError(
            400,
            "invalid_subscription",
            "endpoint must be the https:// address the browser's push service gave.",
        )
    if _key_bytes(data.keys.p256dh, "p256dh", 65)[0] != 4:
        raise ApiError(400, "invalid_subscription", "keys.p256dh must be an uncompressed P-256 public key.")
    _key_bytes(data.keys.auth, "auth", 16)


class PushKeyController(Controller):
    path = "/push"
    tags = ["notifications"]

    # The application server key is public by design: the page needs it before subscribing.
    @get("/public-key", operation_id="getPushPublicKey", opt={"exclude_from_auth": True})
    async def public_key(self, state: State) -> PublicKeyOut:
        notifier = state["runtime"].engines.notifiers.get("webpush")
        try:
            key = notifier.public_key() if notifier is not None else None
        except EngineUnavailable as exc:  # a refused setting, named (never a secret's value)
            raise ApiError(503, "push_unavailable", str(exc)) from exc
        if not key:
            raise ApiError(404, "push_unavailable", "Push notifications are not set up on this server.")
        return PublicKeyOut(public_key=key)


class MyNotificationsController(Controller):
    path = "/me"
    tags = ["notifications"]
    opt = allow(*SCHOOL_MEMBERS)  # people of a school; their subscriptions live in it

    @post("/push-subscriptions", operation_id="addPushSubscription", status_code=201)
    async def subscribe(self, request: AuthRequest, data: JSONBody[SubscriptionIn]) -> SubscriptionOut:
        check_subscription(data)
        user, scope = request.user, request.user.scope
        values = {
            PushSubscription.user_id: user.id,
            PushSubscription.p256dh: data.keys.p256dh,
            PushSubscription.auth: data.keys.auth,
        }
        # One row per browser: the same endpoint again (new keys, or a new person on a shared
        # device) replaces the row rather than adding one.
        updated = (
            await scope.update(PushSubscription, values)
            .where(PushSubscription.endpoint == data.endpoint)
            .returning(PushSubscription.id)
        )
        if not updated:
            row = scope.insert(
                PushSubscription,
                user_id=user.id,
                endpoint=data.endpoint,
                p256dh=data.keys.p256dh,
                auth=data.keys.auth,
            )
            await row.save()
        return SubscriptionOut(endpoint=data.endpoint)

    @delete("/push-subscriptions", operation_id="removePushSubscription", status_code=204)
    async def unsubscribe(self, request: AuthRequest, data: JSONBody[UnsubscribeIn]) -> None:
        # Only the caller's own: removing an endpoint that is not theirs (or gone) changes nothing.
        await request.user.scope.delete(PushSubscription).where(
            PushSubscription.endpoint == data.endpoint, PushSubscription.user_id == request.user.id
        )

    @get("/notification-preferences", operation_id="getNotificationPreferences")
    async def get_preferences(self, request: AuthRequest) -> Preferences:
        return await preferences.read(request.user.scope, str(request.user.id))

    @put("/notification-preferences", operation_id="setNotificationPreferences")
    async def set_preferences(self, request: AuthRequest, data: JSONBody[Preferences]) -> Preferences:
        return await preferences.save(request.user.scope, str(request.user.id), data)
