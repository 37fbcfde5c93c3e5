"""Settings forms: labels, and turning posted strings into a settings body for the service.

Values that do not parse are passed on as text, so the settings service refuses them with its own
message and records the refusal, exactly as the JSON API would.
"""

from __future__ import annotations

import json
from typing import Any

from core.schools.settings import FIELDS

LABELS: dict[str, str] = {
    "acceptThreshold": "Accept at or above",
    "secondaryOcrThreshold": "Secondary OCR at or above",
    "llmThreshold": "LLM at or above (below: human review)",
    "ocrEngine": "OCR engine",
    "secondaryOcrEngine": "Secondary OCR engine",
    "llmEngine": "LLM engine",
    "monthlySpendCapUsd": "Monthly spend cap for paid engines (USD)",
    "displayName": "Display name",
    "logoUrl": "Logo address (https://…)",
    "primaryColor": "Primary colour (#rrggbb)",
    "accentColor": "Accent colour (#rrggbb)",
    "retentionDays": "Keep documents for (days)",
    "termStart": "Term starts (YYYY-MM-DD)",
    "termEnd": "Term ends (YYYY-MM-DD)",
    "holidays": 'Holidays (JSON: [{"start": "2026-12-21", "end": "2027-01-01", "name": "Winter break"}])',
    "timezone": "Time zone of lesson times (e.g. Europe/London)",
    "calendarIncludeBreaks": "Breaks and lunch in calendars (true/false)",
    "rotationStart": "A day of Week A / Day 1 of the cycle (YYYY-MM-DD; empty: the term's first day)",
    "cycleCountsHolidays": "Cycle days run on through holidays (true/false; usually false)",
    "checkedBy": "Who checks an unsure timetable: its uploader, the reviewers, or both",
    "engineSettings": 'Engine settings (JSON by engine, e.g. {"tesseract": {"languages": "eng+deu"}}; '
    "each plugin's settings page says which a school may set)",
}
THRESHOLDS = ("acceptThreshold", "secondaryOcrThreshold", "llmThreshold")
_FLOATS = {"acceptThreshold", "secondaryOcrThreshold", "llmThreshold", "monthlySpendCapUsd"}
_INTS = {"retentionDays"}
OCR_FIELDS = ("ocrEngine", "secondaryOcrEngine")
LLM_FIELDS = ("llmEngine",)


def _convert(key: str, raw: str) -> Any:
    try:
        if key in _FLOATS:
            return float(raw)
        if key in _INTS:
            return int(raw)
    except ValueError:
        return raw
    return raw


def settings_body(form: dict[str, str], fields: tuple[str, ...] = FIELDS) -> dict[str, Any]:
    """An empty field means "inherit" (null): the district's value or the platform default."""
    body: dict[str, Any] = {}
    for key in fields:
        raw = form.get(key, "").strip()
        body[key] = None if raw == "" else _convert(key, raw)
    return body


def shown(value: Any) -> str:
    """A setting as the form shows it: empty for unset; lists (holidays) as the JSON the form takes back."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
