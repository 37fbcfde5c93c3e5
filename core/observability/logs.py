"""Log lines as one JSON object each (production) or plain text (the embedded default), with
personal data masked in both.

A line has ``ts``, ``level``, ``service`` (api or worker), ``logger``, ``message`` and, where known,
``requestId``, ``tenant``, ``documentId``, ``jobId`` (from ``core.observability.context``) and
``duration``, ``confidence``, ``engine``, ``route``, ``stage``, ``status`` (passed as ``extra=``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from typing import Any

from core.observability import context

# Fields a caller may pass with extra={...}; anything else passed that way is left out of the line.
EXTRA_FIELDS = (
    "duration",
    "confidence",
    "engine",
    "route",
    "stage",
    "status",
    "method",
    "path",
    "statusCode",
)
MASK = "***"

# Masked wherever they appear in a message: secrets first, then addresses.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization headers and bearer tokens.
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 " + MASK),
    # JSON Web Tokens (three base64url parts, the first starting with {" encoded).
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), MASK),
    # Well-known API key shapes: Anthropic/OpenAI/Stripe (sk-, sk_live_, rk_), SendGrid (SG.), AWS.
    (re.compile(r"\b(?:sk|rk|pk)[-_](?:live_|test_|ant-)?[A-Za-z0-9_-]{12,}"), MASK),
    (re.compile(r"\bSG\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"), MASK),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), MASK),
    # key=value and "key": "value" pairs whose key names a secret or a person.
    (
        re.compile(
            r"(?i)([\"']?\b(?:password|passwd|secret|token|api[_-]?key|access[_-]?token|refresh[_-]?token"
            r"|authorization|name|email)[\"']?\s*[:=]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&}]+)"
        ),
        r"\1" + MASK,
    ),
    # Email addresses anywhere.
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), MASK),
]
# Extra fields whose value is personal or secret as a whole.
_SECRET_KEYS = re.compile(r"(?i)password|secret|token|api[_-]?key|authorization|email|^name$|user_?name")


def mask(text: str) -> str:
    """The text with emails, tokens, API keys, passwords and named people replaced by ***."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class MaskFilter(logging.Filter):
    """Masks personal data in the message and its arguments before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what was given rather than lose the line
            message = str(record.msg)
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        for key in list(vars(record)):
            if key in EXTRA_FIELDS or not _SECRET_KEYS.search(key) or key in ("levelname", "threadName"):
                continue
            if key not in _STANDARD_ATTRS:
                setattr(record, key, MASK)
        return True


_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": context.service.get() or self.service,
            "logger": record.name,
            "message": record.getMessage(),
            **context.current(),
        }
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(self.formatException(record.exc_info))
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Plain lines for a person at a terminal, with the ids at the end when known."""

    def __init__(self, service: str) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        ids = " ".join(f"{k}={v}" for k, v in context.current().items())
        return f"{text} [{ids}]" if ids else text


def formatter(service: str, log_format: str) -> logging.Formatter:
    return JsonFormatter(service) if log_format == "json" else TextFormatter(service)


def install(handler: logging.Handler, service: str, log_format: str) -> None:
    """Give one handler the chosen format and the masking filter."""
    handler.setFormatter(formatter(service, log_format))
    if not any(isinstance(f, MaskFilter) for f in handler.filters):
        handler.addFilter(MaskFilter())


def configure_logging(service: str, log_format: str = "text", level: str = "INFO") -> None:
    """Root logging for a process: one stderr handler in the chosen format, masked."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    install(handler, service, log_format)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))


def reformat_existing(service: str, log_format: str) -> None:
    """Worker processes: Dramatiq sets up their root handler; give it our format and masking."""
    for handler in logging.getLogger().handlers:
        install(handler, service, log_format)
