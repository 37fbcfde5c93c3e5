"""Sends one email through SendGrid's v3 mail send API with the official SDK, retrying what may
pass a moment later (429 and 5xx, a dropped connection) with a doubling wait."""

from __future__ import annotations

import logging
import time
import urllib.error
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plugins.notify_sendgrid.settings import SendgridSettings

if TYPE_CHECKING:
    from python_http_client.exceptions import HTTPError

log = logging.getLogger(__name__)
MAX_RETRY_AFTER_S = 30.0  # SendGrid's Retry-After is honoured up to this


@dataclass(frozen=True)
class Email:
    to_email: str
    to_name: str
    subject: str
    html: str
    text: str


class SendFailed(Exception):
    """SendGrid refused the message or stayed unreachable; the message says which."""


def _retry_after(error: HTTPError) -> float | None:
    headers = getattr(error, "headers", None)
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return min(float(value), MAX_RETRY_AFTER_S) if value is not None else None
    except ValueError:
        return None


def send(settings: SendgridSettings, email: Email) -> int:
    """Send, retrying 429/5xx; returns SendGrid's status (202). Raises SendFailed."""
    # The SDK loads with the first email, not with the plugin (every CLI run and worker loads it).
    from python_http_client.exceptions import HTTPError
    from sendgrid import SendGridAPIClient
    from sendgrid.helpers.mail import From, Mail, To

    mail = Mail(
        from_email=From(settings.from_email, settings.from_name),
        to_emails=To(email.to_email, email.to_name),
        subject=email.subject,
        plain_text_content=email.text,
        html_content=email.html,
    )
    client = SendGridAPIClient(api_key=settings.api_key, host=settings.host.rstrip("/"))
    wait = settings.backoff_s
    for attempt in range(1, settings.attempts + 1):
        pause = wait
        try:
            response = client.client.mail.send.post(request_body=mail.get(), timeout=settings.timeout_s)
            return response.status_code
        except HTTPError as error:
            status = error.status_code
            if status != 429 and status < 500:  # our request is wrong: retrying will not help
                raise SendFailed(f"SendGrid refused the email ({status}): {error.body!r}"[:500]) from error
            reason = f"SendGrid answered {status}"
            pause = _retry_after(error) or wait
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = f"SendGrid could not be reached: {error}"
        if attempt == settings.attempts:
            raise SendFailed(f"{reason}, {attempt} tries.")
        log.info("%s; trying again in %.1fs", reason, pause)
        time.sleep(pause)
        wait *= 2
    raise SendFailed("no attempt was made")  # attempts < 1
