"""Calling Vision's document_text_detection: credentials, a hard deadline per call, and retries.

The SDK's REST transport is used (not gRPC) so TIMETABLER_GCV_ENDPOINT can point it at any HTTP
server: it keeps an explicit "http://" scheme on `api_endpoint` and posts to
``{endpoint}/v1/images:annotate``. The SDK's own retry is switched off (``retry=None``) so that
attempts, waits and the reason given when they run out are ours.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
import warnings
from typing import Any

import google.auth
import requests
from google.api_core import exceptions as gexc
from google.auth import credentials as ga_credentials
from google.auth import exceptions as auth_exc
from google.cloud import vision
from google.protobuf import json_format

from core.plugin_api import EngineUnavailable
from plugins.ocr_gcv.settings import ADC_ENV, NOT_SET_UP, GcvSettings

log = logging.getLogger(__name__)

VISION_SCOPE = "https://www.googleapis.com/auth/cloud-vision"
MAX_RETRY_AFTER_S = 10.0  # a server's Retry-After is honoured up to this; a page must not wait minutes
# Per-image error codes (google.rpc.Code) worth another attempt: DEADLINE_EXCEEDED,
# RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE.
_TRANSIENT_CODES = {4, 8, 13, 14}


_REQUEST_LINE = re.compile(r"^[A-Z]+ \S+: ")


class _Transient(Exception):
    """Worth another attempt; the message is the reason given if attempts run out."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


def make_client(
    settings: GcvSettings, credentials: ga_credentials.Credentials | None = None
) -> vision.ImageAnnotatorClient:
    """A REST client with the platform's credentials (or `credentials`, e.g. anonymous for a fake)."""
    options: dict[str, Any] = {}
    if settings.endpoint:
        options["api_endpoint"] = settings.endpoint.rstrip("/")
    if credentials is None:
        if settings.api_key:
            options["api_key"] = settings.api_key  # sent as the x-goog-api-key header
        elif settings.credentials_file:
            try:
                # What google.auth.default() does with GOOGLE_APPLICATION_CREDENTIALS, warning silenced
                # as it does there: the file is the operator's own. Never probes the metadata server.
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    credentials, _ = google.auth.load_credentials_from_file(
                        settings.credentials_file, scopes=[VISION_SCOPE]
                    )
            except auth_exc.DefaultCredentialsError as exc:
                raise EngineUnavailable(
                    f"Google Cloud Vision credentials could not be loaded from {ADC_ENV}="
                    f"{settings.credentials_file}: {exc}"
                ) from exc
        else:
            raise EngineUnavailable(NOT_SET_UP)
    return vision.ImageAnnotatorClient(credentials=credentials, transport="rest", client_options=options)


def annotate(
    client: vision.ImageAnnotatorClient, content: bytes, settings: GcvSettings, page_number: int
) -> vision.AnnotateImageResponse:
    """Vision's reading of one encoded image, or EngineUnavailable saying why there is none."""
    reason = ""
    for attempt in range(1, settings.attempts + 1):
        try:
            return _attempt(client, content, settings)
        except _Transient as exc:
            reason = str(exc)
            if attempt == settings.attempts:
                break
            wait = settings.backoff_s * 2 ** (attempt - 1) * (1 + 0.25 * random.random())  # jitter
            if exc.retry_after is not None:
                wait = max(wait, exc.retry_after)
            log.warning(
                "Vision page %d, attempt %d/%d: %s; again in %.1f s",
                page_number,
                attempt,
                settings.attempts,
                reason,
                wait,
            )
            time.sleep(wait)
    raise EngineUnavailable(
        f"Google Cloud Vision is unavailable: {reason} (page {page_number}, {settings.attempts} attempts)."
    )


def _attempt(
    client: vision.ImageAnnotatorClient, content: bytes, settings: GcvSettings
) -> vision.AnnotateImageResponse:
    try:
        response = _within_deadline(client, content, settings.timeout_s)
    except _Transient:
        raise
    except (gexc.TooManyRequests, gexc.ResourceExhausted) as exc:
        raise _Transient(
            f"it refused the request: too many requests or quota used up ({_said(exc)})",
            _retry_after(exc),
        ) from exc
    except (
        gexc.InternalServerError,
        gexc.BadGateway,
        gexc.ServiceUnavailable,
        gexc.GatewayTimeout,
        gexc.DeadlineExceeded,
    ) as exc:
        raise _Transient(f"the service is failing ({_said(exc)})", _retry_after(exc)) from exc
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout, auth_exc.TransportError) as exc:
        raise _Transient(f"it could not be reached at {_where(settings)} ({type(exc).__name__})") from exc
    except json_format.ParseError as exc:
        raise _Transient(f"it answered with something that is not a Vision response ({exc})") from exc
    except (gexc.Unauthorized, gexc.Forbidden, auth_exc.RefreshError) as exc:
        raise EngineUnavailable(
            "Google Cloud Vision refused the credentials (is the Cloud Vision API enabled and billing "
            f"on for the key's project?): {_said(exc)}"
        ) from exc
    except gexc.GoogleAPICallError as exc:
        raise EngineUnavailable(f"Google Cloud Vision refused the request: {_said(exc)}") from exc
    if response.error.code:
        said = f"{response.error.message or 'error'} (code {response.error.code})"
        if response.error.code in _TRANSIENT_CODES:
            raise _Transient(f"it could not read the image now: {said}")
        raise EngineUnavailable(f"Google Cloud Vision could not read the image: {said}")
    return response


def _within_deadline(
    client: vision.ImageAnnotatorClient, content: bytes, timeout_s: float
) -> vision.AnnotateImageResponse:
    """One call that returns or fails within `timeout_s`.

    requests' timeout bounds each socket wait, not the call: a server that trickles bytes could
    hold it for ever. The call runs in a daemon thread that is abandoned at the deadline; it ends by
    itself when requests' own timeout fires.
    """
    box: dict[str, Any] = {}

    def call() -> None:
        try:
            box["response"] = client.document_text_detection(
                image={"content": content}, retry=None, timeout=timeout_s
            )
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=call, name="gcv-call", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise _Transient(f"it did not answer within {timeout_s:g} s")
    if "error" in box:
        raise box["error"]
    return box["response"]


def _said(exc: gexc.GoogleAPICallError | Exception) -> str:
    code = getattr(exc, "code", None)
    message = getattr(exc, "message", None) or str(exc)
    message = _REQUEST_LINE.sub("", message)  # "POST https://...?$alt=json: " says nothing useful
    return f"HTTP {int(code)}: {message}" if isinstance(code, int) else message


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    value = getattr(response, "headers", {}).get("Retry-After") if response is not None else None
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: use our own backoff
    return min(seconds, MAX_RETRY_AFTER_S) if seconds is not None else None


def _where(settings: GcvSettings) -> str:
    return settings.endpoint or "vision.googleapis.com"
