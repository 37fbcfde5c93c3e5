"""Email bodies from Jinja2 templates (HTML and plain text) in the school's branding."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.plugin_api import Branding, Delivery
from plugins.notify_sendgrid.mailer import Email

TEMPLATES = Path(__file__).parent / "templates"
if TYPE_CHECKING:
    from jinja2 import Environment

KINDS = ("processing_complete", "processing_failed", "hitl_required", "hitl_completed")


@cache
def environment() -> Environment:
    # Jinja2 loads with the first email, not with the plugin (every CLI run and worker registers it).
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a missing value is a bug to see, not a blank in an email
        keep_trailing_newline=True,
    )


def branding_values(branding: Branding, public_url: str) -> dict[str, Any]:
    logo = branding.logo_url
    if logo and logo.startswith("/"):  # an email is read far from the app: make the address whole
        logo = public_url.rstrip("/") + logo
    return {"school": branding.school_name, "color": branding.primary_color, "logo_url": logo}


def render(template: str, subject: str, to_email: str, to_name: str, values: dict[str, Any]) -> Email:
    env = environment()
    context = {"subject": subject, "name": to_name, **values}
    return Email(
        to_email=to_email,
        to_name=to_name,
        subject=subject,
        html=env.get_template(f"{template}.html").render(context),
        text=env.get_template(f"{template}.txt").render(context),
    )


def notification_email(delivery: Delivery, public_url: str) -> Email:
    n, person = delivery.notification, delivery.recipient
    if n.kind not in KINDS:
        raise ValueError(f"no email template for {n.kind!r}")
    values = {
        **branding_values(delivery.branding, public_url),
        "document": delivery.document_name,
        "message": n.message,
        "url": delivery.url,
        # The fan-out sends the school's reviewers (not the uploader) to the review queue.
        "reviewer": n.kind == "hitl_required" and delivery.url.endswith("/admin/reviews"),
    }
    subject = f"{delivery.title}: {delivery.document_name}"
    return render(n.kind, subject, person.email, person.name, values)
