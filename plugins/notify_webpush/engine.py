"""The Web Push notifier ("webpush", the push channel)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING

from core.plugin_api import (
    Delivery,
    EngineUnavailable,
    Notification,
    Outcome,
    PluginSettingsError,
    engine_settings,
)
from plugins.notify_webpush import keys
from plugins.notify_webpush.settings import PREFIX, WebPushSettings

if TYPE_CHECKING:
    from core.plugin_api import TenantScope

log = logging.getLogger(__name__)
GONE = (404, 410)  # the push service says this subscription ended: forget it
TTL_S = 24 * 3600  # a phone that is off for a day still gets it
TIMEOUT_S = 10


def payload(delivery: Delivery) -> str:
    """What the service worker receives (contract: title, body, url, kind, jobId)."""
    n = delivery.notification
    return json.dumps(
        {"title": delivery.title, "body": n.message, "url": delivery.url, "kind": n.kind, "jobId": n.job_id}
    )


def _push(settings: WebPushSettings, subscription: dict, data: str) -> int:
    """Encrypt (aes128gcm), sign (VAPID) and POST one push; returns the push service's status."""
    # pywebpush (and its HTTP stack) loads with the first push, not with the plugin.
    from pywebpush import WebPushException, webpush

    try:
        response = webpush(
            subscription_info=subscription,
            data=data,
            vapid_private_key=keys.vapid(settings),
            vapid_claims={"sub": keys.subject(settings)},  # a fresh dict: webpush adds aud and exp to it
            ttl=TTL_S,
            timeout=TIMEOUT_S,
        )
    except WebPushException as exc:
        if exc.response is None:
            raise
        return exc.response.status_code
    return response.status_code


class WebPushNotifier:
    name = "webpush"
    settings_schema = WebPushSettings  # shown at /admin/plugins/notify_webpush/settings
    settings_prefix = PREFIX

    def settings(self) -> WebPushSettings:
        """The settings now; a refused value is EngineUnavailable, naming it."""
        try:
            return engine_settings(self)
        except PluginSettingsError as exc:
            raise EngineUnavailable(str(exc)) from exc

    def public_key(self) -> str:
        return keys.application_server_key(self.settings())

    def notify(self, notification: Notification) -> None:
        raise EngineUnavailable("The webpush notifier sends through core.notifications (deliver).")

    async def deliver(self, delivery: Delivery, scope: TenantScope) -> Outcome:
        from core.plugin_api import PushSubscription  # the database layer loads with the first push

        rows = await scope.select(PushSubscription).where(PushSubscription.user_id == delivery.recipient.id)
        if not rows:
            return Outcome("skipped", "No browser of this person subscribed to push.")
        try:
            settings = self.settings()
        except EngineUnavailable as exc:
            return Outcome("skipped", str(exc))
        data = payload(delivery)
        sent, problems = 0, []
        for row in rows:
            subscription = {
                "endpoint": row["endpoint"],
                "keys": {"p256dh": row["p256dh"], "auth": row["auth"]},
            }
            try:
                status = await asyncio.to_thread(_push, settings, subscription, data)
            except Exception as exc:  # unreachable push service, bad keys: the others still go
                problems.append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            if status in GONE:
                await scope.delete(PushSubscription).where(PushSubscription.id == row["id"])
                problems.append(f"a subscription ended ({status}) and was removed")
            elif 200 <= status < 300:
                sent += 1
            else:
                problems.append(f"the push service answered {status}")
        detail = "; ".join([f"{sent} of {len(rows)} browsers", *problems])
        return Outcome("sent" if sent else "failed", detail)
