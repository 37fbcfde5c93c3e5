"""The SendGrid notifier ("sendgrid", the email channel)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING

from core.plugin_api import (
    Branding,
    Delivery,
    EngineUnavailable,
    Notification,
    Outcome,
    PluginSettingsError,
    engine_settings,
    get_settings,
    public_root,
)
from plugins.notify_sendgrid import mailer, render
from plugins.notify_sendgrid.settings import PREFIX, SendgridSettings

if TYPE_CHECKING:
    from core.plugin_api import TenantScope

HOUR = dt.timedelta(hours=1)


class SendgridNotifier:
    name = "sendgrid"
    settings_schema = SendgridSettings  # shown at /admin/plugins/notify_sendgrid/settings
    settings_prefix = PREFIX

    def settings(self) -> tuple[SendgridSettings | None, str | None]:
        """The settings now, or None and why email cannot be sent (not set up, or a refused value)."""
        try:
            settings: SendgridSettings = engine_settings(self)
        except PluginSettingsError as exc:
            return None, str(exc)
        missing = settings.missing()
        return (None, missing) if missing else (settings, None)

    def notify(self, notification: Notification) -> None:
        # Email needs the person's address and the school's branding, which the fan-out loads.
        raise EngineUnavailable("The sendgrid notifier sends through core.notifications (deliver).")

    async def deliver(self, delivery: Delivery, scope: TenantScope) -> Outcome:
        settings, missing = self.settings()
        if settings is None:
            return Outcome("skipped", str(missing))
        # Counted in the database, so the limit holds across processes and without Redis. The
        # excess is not emailed (the app and push still show it); the log keeps it as rate_limited.
        from core.plugin_api import sent_since  # the database layer loads with the first delivery

        person = delivery.recipient
        if await sent_since(scope, person.id, "email", HOUR) >= settings.per_user_per_hour:
            limit = settings.per_user_per_hour
            return Outcome("rate_limited", f"{person.email} was sent {limit} emails in the last hour.")
        email = render.notification_email(delivery, public_root(get_settings()))
        try:
            status = await asyncio.to_thread(mailer.send, settings, email)
        except mailer.SendFailed as exc:
            return Outcome("failed", str(exc))
        return Outcome("sent", f"SendGrid accepted it ({status}).")

    def send_invite(
        self, *, to_email: str, branding: Branding, invite_url: str, role: str, inviter: str, expires: str
    ) -> str:
        """Email an invite link (blocking; call from a thread). Returns what happened, in words."""
        settings, missing = self.settings()
        if settings is None:
            return str(missing)
        values = {
            **render.branding_values(branding, public_root(get_settings())),
            "url": invite_url,
            "role": role.replace("_", " "),
            "inviter": inviter,
            "expires": expires,
        }
        subject = f"Join {branding.school_name} on Timetabler"
        email = render.render("invite", subject, to_email, to_email, values)
        try:
            mailer.send(settings, email)
        except mailer.SendFailed as exc:
            return str(exc)
        return "sent"

    def send_password_reset(self, *, to_email: str, to_name: str, branding: Branding, reset_url: str) -> str:
        """Email a password-reset link (blocking; call from a thread). Returns what happened, in words."""
        settings, missing = self.settings()
        if settings is None:
            return str(missing)
        values = {**render.branding_values(branding, public_root(get_settings())), "url": reset_url}
        email = render.render("password_reset", "Reset your Timetabler password", to_email, to_name, values)
        try:
            mailer.send(settings, email)
        except mailer.SendFailed as exc:
            return str(exc)
        return "sent"
