"""Built-in plugin: Web Push to the installed app ("webpush").

VAPID keys from TIMETABLER_VAPID_PRIVATE_KEY, or generated once into the data folder;
TIMETABLER_VAPID_SUBJECT is the contact the push services see (a mailto: or https: address).
"""

from __future__ import annotations

from core.plugin_api import hookimpl
from plugins.notify_webpush.engine import WebPushNotifier


@hookimpl
def register_notifiers() -> list[WebPushNotifier]:
    return [WebPushNotifier()]
