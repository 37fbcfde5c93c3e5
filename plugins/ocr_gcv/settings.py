"""Where the Google Cloud Vision engine gets its configuration: the platform's environment.

Read at call time, not import time, so a key set after start-up (or by a test) is picked up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

API_KEY_ENV = "TIMETABLER_GCV_API_KEY"
ENDPOINT_ENV = "TIMETABLER_GCV_ENDPOINT"
TIMEOUT_ENV = "TIMETABLER_GCV_TIMEOUT"
ADC_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
NOT_SET_UP = (
    f"Google Cloud Vision is not set up: set {API_KEY_ENV} to an API key with the Cloud Vision API "
    f"enabled, or {ADC_ENV} to a service-account key file."
)

DEFAULT_TIMEOUT_S = 30.0
ATTEMPTS = 3


@dataclass(frozen=True)
class GcvSettings:
    api_key: str | None = field(default=None, repr=False)  # never in a log line or traceback
    # A service-account (or other ADC) JSON file; used only when there is no API key.
    credentials_file: str | None = None
    # None: Google's own endpoint. "http://127.0.0.1:PORT" points the SDK at a local fake.
    endpoint: str | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    attempts: int = ATTEMPTS
    backoff_s: float = 1.0  # first wait between attempts; doubled after each

    @classmethod
    def from_env(cls) -> GcvSettings:
        return cls(
            api_key=os.environ.get(API_KEY_ENV, "").strip() or None,
            credentials_file=os.environ.get(ADC_ENV, "").strip() or None,
            endpoint=os.environ.get(ENDPOINT_ENV, "").strip() or None,
            timeout_s=_seconds(os.environ.get(TIMEOUT_ENV, "")),
        )

    @property
    def configured(self) -> bool:
        return bool(self.api_key or self.credentials_file)


def _seconds(value: str) -> float:
    """A positive number of seconds; anything else (a typo) keeps the default rather than failing
    every page."""
    try:
        seconds = float(value)
    except ValueError:
        return DEFAULT_TIMEOUT_S
    return seconds if seconds > 0 else DEFAULT_TIMEOUT_S
