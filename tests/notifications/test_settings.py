"""The notifiers read their settings (the deployment's alone: email and push are the platform's)
through their schemas when they send; a refused value is named with what to do."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02

from core.plugin_api import EngineUnavailable
from plugins.notify_sendgrid.engine import SendgridNotifier
from plugins.notify_webpush import keys
from plugins.notify_webpush.engine import WebPushNotifier

SENDGRID = ("API_KEY", "FROM", "FROM_NAME", "HOST", "BACKOFF", "TIMEOUT")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(autouse=True)
def deployment_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*(f"TIMETABLER_SENDGRID_{n}" for n in SENDGRID), "TIMETABLER_EMAIL_RATE_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    for name in ("TIMETABLER_VAPID_PRIVATE_KEY", "TIMETABLER_VAPID_SUBJECT"):
        monkeypatch.delenv(name, raising=False)


def test_sendgrid_reads_its_variables_when_it_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    notifier = SendgridNotifier()
    assert notifier.settings() == (
        None,
        "SendGrid is not set up: set TIMETABLER_SENDGRID_API_KEY (and TIMETABLER_SENDGRID_FROM).",
    )
    monkeypatch.setenv("TIMETABLER_SENDGRID_API_KEY", "SG.key")
    monkeypatch.setenv("TIMETABLER_SENDGRID_FROM", "timetables@platform.test")
    monkeypatch.setenv("TIMETABLER_SENDGRID_FROM_NAME", "Oak Timetables")
    monkeypatch.setenv("TIMETABLER_EMAIL_RATE_LIMIT", "3")
    settings, missing = notifier.settings()
    assert missing is None and settings is not None
    assert (settings.from_email, settings.from_name, settings.per_user_per_hour) == (
        "timetables@platform.test",
        "Oak Timetables",
        3,
    )
    assert "SG.key" not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "TIMETABLER_EMAIL_RATE_LIMIT",
            "ten",
            "Expected `int`, got `str` (perUserPerHour: emails one person may get in an hour)",
        ),
        (
            "TIMETABLER_SENDGRID_HOST",
            "api.sendgrid.com",
            "Expected `str` matching regex '^https?://' (host: SendGrid's address, a local fake's in tests)",
        ),
    ],
)
def test_sendgrid_names_a_refused_value_instead_of_sending(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv("TIMETABLER_SENDGRID_API_KEY", "SG.key")
    monkeypatch.setenv("TIMETABLER_SENDGRID_FROM", "timetables@platform.test")
    monkeypatch.setenv(variable, value)
    settings, why = SendgridNotifier().settings()
    assert settings is None
    assert why == f"{variable}={value!r} is refused: {expected}. " + (
        "Correct the variable, or unset it for the default, "
        + ("10." if variable == "TIMETABLER_EMAIL_RATE_LIMIT" else "'https://api.sendgrid.com'.")
    )


def test_web_push_signs_with_the_key_and_subject_of_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    key = Vapid02()
    key.generate_keys()
    raw = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    notifier = WebPushNotifier()
    monkeypatch.setenv("TIMETABLER_VAPID_PRIVATE_KEY", b64url(raw))
    monkeypatch.setenv("TIMETABLER_VAPID_SUBJECT", "mailto:ops@platform.test")
    assert notifier.public_key() == b64url(public)
    assert keys.subject(notifier.settings()) == "mailto:ops@platform.test"
    assert b64url(raw) not in repr(notifier.settings())


def test_web_push_names_a_refused_subject(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMETABLER_VAPID_SUBJECT", "ops@platform.test")
    with pytest.raises(EngineUnavailable) as refused:
        WebPushNotifier().settings()
    assert str(refused.value).startswith(
        "TIMETABLER_VAPID_SUBJECT='ops@platform.test' is refused: Expected `str`"
    )
    assert "a mailto: or https: address" in str(refused.value)
