"""Where the SendGrid notifier gets its configuration: the platform's environment, read at send
time (not import time), so a key set after start-up, or by a test, is picked up."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_HOST = "https://api.sendgrid.com"


def _number(name: str, default: float) -> float:
    """A positive number; anything else (a typo) keeps the default rather than stopping email."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class SendgridSettings:
    api_key: str | None = None  # TIMETABLER_SENDGRID_API_KEY; None: email is not set up
    from_email: str | None = None  # TIMETABLER_SENDGRID_FROM: a sender verified in SendGrid
    from_name: str = "Timetabler"  # TIMETABLER_SENDGRID_FROM_NAME
    host: str = DEFAULT_HOST  # TIMETABLER_SENDGRID_HOST: a local fake in tests
    per_user_per_hour: int = 10  # TIMETABLER_EMAIL_RATE_LIMIT
    attempts: int = 4  # one try and three retries on 429 and 5xx
    backoff_s: float = 1.0  # TIMETABLER_SENDGRID_BACKOFF: first wait, doubled after each retry
    timeout_s: float = 15.0

    @classmethod
    def from_env(cls) -> SendgridSettings:
        env = os.environ
        return cls(
            api_key=env.get("TIMETABLER_SENDGRID_API_KEY", "").strip() or None,
            from_email=env.get("TIMETABLER_SENDGRID_FROM", "").strip() or None,
            from_name=env.get("TIMETABLER_SENDGRID_FROM_NAME", "").strip() or "Timetabler",
            host=env.get("TIMETABLER_SENDGRID_HOST", "").strip().rstrip("/") or DEFAULT_HOST,
            per_user_per_hour=int(_number("TIMETABLER_EMAIL_RATE_LIMIT", 10)),
            backoff_s=_number("TIMETABLER_SENDGRID_BACKOFF", 1.0),
        )

    def missing(self) -> str | None:
        """Why email is not set up, or None when it is."""
        if not self.api_key:
            return "SendGrid is not set up: set TIMETABLER_SENDGRID_API_KEY (and TIMETABLER_SENDGRID_FROM)."
        if not self.from_email:
            return "SendGrid has no sender: set TIMETABLER_SENDGRID_FROM to an address verified in SendGrid."
        return None
