"""What the fan-out hands a channel notifier: one notification for one person, with what a message
needs (who they are, the school's branding, a link) already loaded from the database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

import msgspec

from core.engines import Notification

if TYPE_CHECKING:  # a type only: notifier plugins load this module without the database
    from core.db.scoping import TenantScope

# A notifier's channel is its name; the preference that switches it off is the channel's.
CHANNELS = {"sendgrid": "email", "webpush": "push", "websocket": "inApp"}

TITLES = {
    "processing_complete": "Your timetable is ready",
    "processing_failed": "Your timetable could not be read",
    "hitl_required": "A timetable waits for review",
    "hitl_completed": "Your reviewed timetable is ready",
}


class Recipient(msgspec.Struct, frozen=True):
    id: str
    email: str
    name: str
    role: str


class Branding(msgspec.Struct, frozen=True):
    school_name: str
    primary_color: str
    logo_url: str | None = None
    slug: str | None = None  # the school's own app address: /t/{slug}/app/


class Delivery(msgspec.Struct, frozen=True):
    notification: Notification  # its user_id is the recipient's
    recipient: Recipient
    branding: Branding
    title: str
    url: str  # where the message's link (or a push's click) leads
    document_name: str


class Outcome(msgspec.Struct, frozen=True):
    status: str  # sent | skipped | failed | rate_limited
    detail: str = ""


@runtime_checkable
class ChannelNotifier(Protocol):
    """A Notifier that takes the fan-out's ready-made Delivery instead of a bare Notification.

    ``deliver`` runs on the app's or worker's event loop; blocking calls go to a thread. It never
    raises for a failed send: it answers an Outcome that the sent log keeps.
    """

    name: str

    async def deliver(self, delivery: Delivery, scope: TenantScope) -> Outcome: ...
