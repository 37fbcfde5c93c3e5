"""The SendGrid notifier's settings, declared as its schema: the deployment's, from the variables
below, read at send time (not import time), so a key set after start-up, or by a test, is picked up.
Email is the platform's own (a sender verified in its SendGrid account): no school sets any of it."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.plugin_api import setting

PREFIX = "TIMETABLER_SENDGRID"
DEFAULT_HOST = "https://api.sendgrid.com"


class SendgridSettings(msgspec.Struct, rename="camel", kw_only=True, frozen=True):
    api_key: Annotated[str | None, setting("SendGrid's API key; unset: no email is sent", secret=True)] = None
    from_email: Annotated[
        str | None, setting("the sender, an address verified in SendGrid", env="TIMETABLER_SENDGRID_FROM")
    ] = None
    from_name: Annotated[str, setting("the sender's name")] = "Timetabler"
    host: Annotated[str, setting("SendGrid's address, a local fake's in tests", pattern=r"^https?://")] = (
        DEFAULT_HOST
    )
    per_user_per_hour: Annotated[
        int, setting("emails one person may get in an hour", env="TIMETABLER_EMAIL_RATE_LIMIT", ge=1)
    ] = 10
    attempts: Annotated[int, setting("tries per email, retrying on 429 and 5xx", ge=1)] = 4
    backoff_s: Annotated[
        float,
        setting(
            "first wait between tries in seconds, doubled after each", env="TIMETABLER_SENDGRID_BACKOFF", ge=0
        ),
    ] = 1.0
    timeout_s: Annotated[
        float, setting("seconds one call may take", env="TIMETABLER_SENDGRID_TIMEOUT", gt=0)
    ] = 15.0

    def __repr__(self) -> str:  # the key never in a log line or traceback
        return (
            f"SendgridSettings(api_key={'hidden' if self.api_key else None}, from_email={self.from_email!r})"
        )

    def missing(self) -> str | None:
        """Why email is not set up, or None when it is."""
        if not self.api_key:
            return "SendGrid is not set up: set TIMETABLER_SENDGRID_API_KEY (and TIMETABLER_SENDGRID_FROM)."
        if not self.from_email:
            return "SendGrid has no sender: set TIMETABLER_SENDGRID_FROM to an address verified in SendGrid."
        return None
