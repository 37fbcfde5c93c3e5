"""The Google Cloud Vision engine's settings, declared as its schema: the deployment's from the
environment (the variables below), read on every page so a key set after start-up is picked up.
A school decides whether its pages may go to Google at all (``allowed``), and may save its own key
(``gcvApiKey``, core.engine_keys); the rest is the platform's."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.plugin_api import setting

PREFIX = "TIMETABLER_GCV"
API_KEY_ENV = "TIMETABLER_GCV_API_KEY"
ENDPOINT_ENV = "TIMETABLER_GCV_ENDPOINT"
TIMEOUT_ENV = "TIMETABLER_GCV_TIMEOUT"
ADC_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
NOT_SET_UP = (
    f"Google Cloud Vision is not set up: set {API_KEY_ENV} to an API key with the Cloud Vision API "
    f"enabled, or {ADC_ENV} to a service-account key file."
)
NOT_ALLOWED = (
    "This school does not allow its pages to be sent to Google Cloud Vision "
    "(its engineSettings.gcv.allowed is false); the step was skipped."
)

DEFAULT_TIMEOUT_S = 30.0
ATTEMPTS = 3


class GcvSettings(msgspec.Struct, rename="camel", kw_only=True, frozen=True):  # frozen: a client's key
    api_key: Annotated[
        str | None,
        setting("an API key of a project with the Cloud Vision API enabled", env=API_KEY_ENV, secret=True),
    ] = None
    credentials_file: Annotated[
        str | None, setting("a service-account (ADC) key file, used when there is no API key", env=ADC_ENV)
    ] = None
    endpoint: Annotated[
        str | None, setting("another endpoint, e.g. http://127.0.0.1:8123 for a local fake", env=ENDPOINT_ENV)
    ] = None
    timeout_s: Annotated[float, setting("seconds one call may take", env=TIMEOUT_ENV, gt=0)] = (
        DEFAULT_TIMEOUT_S
    )
    attempts: Annotated[int, setting("tries per page on 429, 5xx and lost connections", ge=1)] = ATTEMPTS
    backoff_s: Annotated[
        float, setting("first wait between attempts in seconds, doubled after each", ge=0)
    ] = 1.0
    allowed: Annotated[bool, setting("whether pages may be sent to Google at all", school=True)] = True

    def __repr__(self) -> str:  # the key never in a log line or traceback
        key = "hidden" if self.api_key else None
        return f"GcvSettings(api_key={key}, endpoint={self.endpoint!r}, timeout_s={self.timeout_s})"

    @property
    def configured(self) -> bool:
        return bool(self.api_key or self.credentials_file)
