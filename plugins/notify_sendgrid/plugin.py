"""Built-in plugin: email through SendGrid ("sendgrid").

Configure with TIMETABLER_SENDGRID_API_KEY and TIMETABLER_SENDGRID_FROM (a verified sender);
TIMETABLER_SENDGRID_FROM_NAME, TIMETABLER_EMAIL_RATE_LIMIT (emails per person per hour, default 10)
and TIMETABLER_SENDGRID_HOST (a local fake in tests). Without a key it is not set up and every
email is skipped with that reason.
"""

from __future__ import annotations

from core.plugin_api import hookimpl
from plugins.notify_sendgrid.engine import SendgridNotifier


@hookimpl
def register_notifiers() -> list[SendgridNotifier]:
    return [SendgridNotifier()]
