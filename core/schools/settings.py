"""Per-school settings: platform defaults, overridden by the district, overridden by the school.

Stored overrides are plain dicts of camelCase keys (only what was set). The effective settings of a
school say, for each value, where it came from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from functools import cache
from typing import Any, Literal

import msgspec

from core.plugin_settings import HasSettings, PluginSettingsError, check_school_values
from core.policy import Thresholds

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_HOLIDAYS = 100
# An https origin: scheme, host and an optional port; no path, query or trailing slash.
_ORIGIN = re.compile(r"^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")
MAX_ORIGINS = 20


class Holiday(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Days without lessons, both ends included (ISO dates)."""

    start: dt.date
    end: dt.date
    name: str = ""


class SchoolSettings(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Every setting with its platform default."""

    accept_threshold: float = 0.98
    secondary_ocr_threshold: float = 0.90
    llm_threshold: float = 0.80
    ocr_engine: str = "tesseract"
    secondary_ocr_engine: str | None = None
    llm_engine: str | None = None
    monthly_spend_cap_usd: float | None = None  # paid engines (cloud OCR, LLM); None: no cap
    display_name: str | None = None
    logo_url: str | None = None
    primary_color: str = "#1f4e79"
    accent_color: str = "#f2a900"
    retention_days: int = 365
    # The calendar export: the term's dates (None: a default term, said so in the export), the days
    # off inside it, the zone lesson times are in, and whether breaks and lunch become events.
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    holidays: list[Holiday] = []
    # The product speaks British English and UK terms; schools elsewhere set their own zone.
    timezone: str = "Europe/London"
    calendar_include_breaks: bool = False
    # Rotating timetables (core/timetables/rotation.py): a day in Week A / the first week, and Day 1
    # of a cycle (None: the term's first day); whether a cycle's days run on through holidays.
    rotation_start: dt.date | None = None
    cycle_counts_holidays: bool = False
    # Who checks a document that was not read surely enough: its uploader (most schools have no
    # reviewer), the school's reviewers (and admins), or both. Reviewers and admins may always help.
    checked_by: Literal["uploader", "reviewers", "both"] = "uploader"
    # Web origins (https only) whose pages may call this school's API from a browser (CORS).
    allowed_origins: list[str] = []
    # The school's own values of its engines' settings that a school may set (each engine's schema
    # says which), by engine name: {"tesseract": {"languages": "eng+deu"}}. The engines read them
    # for this school's documents (core.plugin_settings.engine_settings).
    engine_settings: dict[str, dict[str, Any]] = {}

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            accept=self.accept_threshold, secondary_ocr=self.secondary_ocr_threshold, llm=self.llm_threshold
        )


DEFAULTS = SchoolSettings()
FIELDS: tuple[str, ...] = tuple(SchoolSettings.__struct_encode_fields__)  # camelCase names
CHECKERS = ("uploader", "reviewers", "both")
# Settings stored before `checkedBy` said `teachersReviewOwn`: true let teachers check their own
# beside the reviewers (both), false left it to the reviewers alone.
_LEGACY_CHECKED_BY = {True: "both", False: "reviewers"}


def upgrade(stored: dict[str, Any] | None) -> dict[str, Any]:
    """Stored overrides in today's names: an old `teachersReviewOwn` becomes `checkedBy`."""
    values = dict(stored or {})
    if "teachersReviewOwn" in values:
        old = values.pop("teachersReviewOwn")
        if "checkedBy" not in values and isinstance(old, bool):
            values["checkedBy"] = _LEGACY_CHECKED_BY[old]
    return values


class SettingsError(ValueError):
    """Settings that cannot be saved; the message says what to change."""


def parse_overrides(body: Any) -> dict[str, Any]:
    """Check a PUT body: known keys only, each value of the right type; null means inherit."""
    if not isinstance(body, dict):
        raise SettingsError('Send the settings as a JSON object, e.g. {"acceptThreshold": 0.95}.')
    if "teachersReviewOwn" in body:  # the old name is still understood
        old = body["teachersReviewOwn"]
        body = {k: v for k, v in body.items() if k != "teachersReviewOwn"}
        if isinstance(old, bool):
            body.setdefault("checkedBy", _LEGACY_CHECKED_BY[old])
        elif old is not None:
            raise SettingsError("teachersReviewOwn is true or false; better, set checkedBy.")
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise SettingsError(f"Unknown setting(s): {', '.join(unknown)}. Known settings: {', '.join(FIELDS)}.")
    body = {key: _from_text(key, value) for key, value in body.items()}
    values = {key: value for key, value in body.items() if value is not None}
    for key in ("termStart", "termEnd", "rotationStart"):
        if key in values:
            _check_date(key, values[key])
    if "holidays" in values:
        _check_holidays(values["holidays"])
    if "allowedOrigins" in values:
        _check_origins(values["allowedOrigins"])
    if "checkedBy" in values and values["checkedBy"] not in CHECKERS:
        raise SettingsError(
            f"checkedBy '{values['checkedBy']}' is not a choice: say who checks an unsure timetable, "
            "uploader, reviewers or both."
        )
    try:
        msgspec.convert({**msgspec.to_builtins(DEFAULTS), **values}, SchoolSettings)
    except msgspec.ValidationError as exc:
        raise SettingsError(wrong_type(exc)) from exc
    return body


# What each setting holds, in the words a wrong value is answered with.
_EXPECTED: dict[str, str] = {
    "acceptThreshold": "a number between 0 and 1, like 0.95",
    "secondaryOcrThreshold": "a number between 0 and 1, like 0.9",
    "llmThreshold": "a number between 0 and 1, like 0.8",
    "monthlySpendCapUsd": "a number of dollars, like 50",
    "retentionDays": "a whole number of days, like 365",
    "calendarIncludeBreaks": "true or false",
    "cycleCountsHolidays": "true or false",
    "rotationStart": "a date, YYYY-MM-DD",
    "checkedBy": "uploader, reviewers or both",
}
_NAMES: dict[str, str] = {
    "acceptThreshold": "Accept threshold",
    "secondaryOcrThreshold": "Secondary OCR threshold",
    "llmThreshold": "LLM threshold",
    "monthlySpendCapUsd": "Monthly spend cap",
    "retentionDays": "Keep documents for",
}


def wrong_type(exc: msgspec.ValidationError) -> str:
    """msgspec's "Expected `float`, got `str` - at `$.llmThreshold`" in plain words."""
    text = str(exc)
    found = re.search(r"at `\$\.([A-Za-z]+)", text)
    key = found.group(1) if found else ""
    if key in _EXPECTED:
        return f"{_NAMES.get(key, key)} must be {_EXPECTED[key]}."
    if key:
        return f"{_NAMES.get(key, key)} has a value of the wrong kind; check what you typed."
    return "A setting has a value of the wrong kind; check what you typed."


def _from_text(key: str, value: Any) -> Any:
    """Values typed into a text form (the admin console): 'true'/'false' and a holiday list as text."""
    if not isinstance(value, str):
        return value
    if key == "checkedBy":
        return value.strip().lower()
    if key in ("calendarIncludeBreaks", "cycleCountsHolidays"):
        flag = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        return flag.get(value.strip().lower(), value)
    if key == "allowedOrigins":  # typed one per line or comma-separated in the console
        return [part.strip() for part in re.split(r"[\s,]+", value) if part.strip()]
    if key in _JSON_TEXT:
        return _json_text(value, _JSON_TEXT[key])
    return value


# Settings typed as JSON in the console's form, with what to write when the text is not JSON.
_JSON_TEXT = {
    "engineSettings": "Give engine settings as a JSON object by engine, "
    'e.g. {"tesseract": {"languages": "eng+deu"}}.',
    "holidays": 'Give holidays as a JSON list, e.g. [{"start": "2026-12-21", "end": "2027-01-01", '
    '"name": "Winter break"}].',
}


def _json_text(value: str, how: str) -> Any:
    """A JSON value typed as text; empty text means inherit (None)."""
    text = value.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise SettingsError(how) from exc


def _check_date(label: str, value: Any) -> None:
    example = "use YYYY-MM-DD, like 2026-09-01"
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise SettingsError(f"{label} '{value}' is not a date; {example}.")
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise SettingsError(f"{label} '{value}' is not a real date; {example}.") from exc


def _check_holidays(value: Any) -> None:
    if not isinstance(value, list):
        raise SettingsError('holidays is a list of {"start", "end", "name"}; send [] for none.')
    if len(value) > MAX_HOLIDAYS:
        raise SettingsError(f"List at most {MAX_HOLIDAYS} holidays.")
    for number, holiday in enumerate(value, start=1):
        if not isinstance(holiday, dict) or not {"start", "end"} <= set(holiday):
            raise SettingsError(f'Holiday {number} needs a "start" and an "end" date (and a "name").')
        unknown = sorted(set(holiday) - {"start", "end", "name"})
        if unknown:
            raise SettingsError(f"Holiday {number} has unknown field(s) {', '.join(unknown)}.")
        for end in ("start", "end"):
            _check_date(f"Holiday {number}'s {end}", holiday[end])
        if not isinstance(holiday.get("name", ""), str):
            raise SettingsError(f"Holiday {number}'s name must be text.")


def _check_origins(value: Any) -> None:
    example = 'a list like ["https://timetable.oak.sch.uk"]'
    if not isinstance(value, list) or len(value) > MAX_ORIGINS:
        raise SettingsError(f"allowedOrigins is {example}, at most {MAX_ORIGINS}; send [] for none.")
    for origin in value:
        if not isinstance(origin, str) or not _ORIGIN.match(origin):
            raise SettingsError(
                f"allowedOrigins: '{origin}' is not an https origin; give scheme and host only "
                "(lower case, no path or trailing slash), like https://timetable.oak.sch.uk."
            )


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def merge(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**upgrade(current), **changes}
    return {key: value for key, value in merged.items() if value is not None}


def effective(district: dict[str, Any] | None, school: dict[str, Any] | None) -> SchoolSettings:
    district, school = upgrade(district), upgrade(school)
    values = {**msgspec.to_builtins(DEFAULTS), **district, **school}
    values["engineSettings"] = _engine_values(district, school)
    return msgspec.convert(values, SchoolSettings)


def _engine_values(*layers: dict[str, Any]) -> Any:
    """Engine settings merged value by value: a school's model for Claude keeps its district's
    Tesseract languages. Anything not an object is passed on for the schema to refuse."""
    merged: dict[str, Any] = {}
    for layer in layers:
        given = layer.get("engineSettings")
        if not isinstance(given, dict):
            if given is not None:
                return given
            continue
        for name, own in given.items():
            if not isinstance(own, dict) or not isinstance(merged.get(name, {}), dict):
                merged[name] = own
                continue
            values = {**merged.get(name, {}), **own}
            merged[name] = {key: value for key, value in values.items() if value is not None}
    return merged


def sources(district: dict[str, Any] | None, school: dict[str, Any] | None) -> dict[str, str]:
    district, school = upgrade(district), upgrade(school)
    return {
        key: "school" if key in (school or {}) else "district" if key in (district or {}) else "default"
        for key in FIELDS
    }


def validate(
    settings: SchoolSettings,
    *,
    ocr_engines: set[str],
    llm_engines: set[str],
    configurable: dict[str, HasSettings] | None = None,
    where: str = "",
    unusable_ocr: dict[str, str] | None = None,
    unusable_llm: dict[str, str] | None = None,
) -> None:
    """Refuse settings that make no sense, saying what to change. ``configurable``: the installed
    engines that declare settings, by name. ``unusable_*``: engine names that are installed but
    cannot be used, and why (a plugin that failed to load, an engine refused)."""
    prefix = f"{where}: " if where else ""
    _check_engine_settings(settings.engine_settings, configurable or {}, prefix)
    t = (settings.llm_threshold, settings.secondary_ocr_threshold, settings.accept_threshold)
    if not all(0.0 <= value <= 1.0 for value in t):
        raise SettingsError(f"{prefix}thresholds are confidences between 0 and 1.")
    if not t[0] <= t[1] <= t[2]:
        raise SettingsError(
            f"{prefix}thresholds must rise: LLM ({t[0]}) ≤ secondary OCR ({t[1]}) ≤ accept ({t[2]}). "
            "A document below the LLM threshold goes to review."
        )
    for label, engine, installed, unusable in (
        ("OCR engine", settings.ocr_engine, ocr_engines, unusable_ocr or {}),
        ("secondary OCR engine", settings.secondary_ocr_engine, ocr_engines, unusable_ocr or {}),
        ("LLM engine", settings.llm_engine, llm_engines, unusable_llm or {}),
    ):
        if engine is not None and engine not in installed:
            choices = ", ".join(sorted(installed)) or "none installed"
            if engine in unusable:
                raise SettingsError(
                    f"{prefix}the {label} '{engine}' is installed but {unusable[engine]}. Ask the platform "
                    f"admin to fix it, or choose another (usable: {choices})."
                )
            raise SettingsError(f"{prefix}the {label} '{engine}' is not installed (installed: {choices}).")
    if settings.monthly_spend_cap_usd is not None and settings.monthly_spend_cap_usd < 0:
        raise SettingsError(f"{prefix}the monthly spend cap cannot be negative.")
    colours = (("primary colour", settings.primary_color), ("accent colour", settings.accent_color))
    for label, color in colours:
        if not _COLOR.match(color):
            raise SettingsError(f"{prefix}the {label} '{color}' is not a colour; use #rrggbb.")
    if not 1 <= settings.retention_days <= 3650:
        raise SettingsError(f"{prefix}keep documents between 1 and 3650 days.")
    if settings.logo_url is not None and not settings.logo_url.startswith(("https://", "/")):
        raise SettingsError(f"{prefix}the logo must be an https:// address.")
    validate_calendar(settings, prefix)


def _check_engine_settings(values: dict[str, Any], engines: dict[str, HasSettings], prefix: str) -> None:
    for name, own in values.items():
        engine = engines.get(name)
        if engine is None:
            choices = ", ".join(sorted(engines)) or "none installed"
            raise SettingsError(
                f"{prefix}engineSettings names '{name}', which is no installed engine with settings "
                f"(engines with settings: {choices})."
            )
        try:
            check_school_values(engine, own)
        except PluginSettingsError as exc:
            raise SettingsError(f"{prefix}{exc}") from exc


def validate_calendar(settings: SchoolSettings, prefix: str = "") -> None:
    """The term, its holidays and the time zone must describe a real school year."""
    if settings.timezone not in known_timezones():
        raise SettingsError(
            f"{prefix}the time zone '{settings.timezone}' is unknown; use an IANA name like Europe/London."
        )
    start, end = settings.term_start, settings.term_end
    if (start is None) != (end is None):
        raise SettingsError(f"{prefix}set both termStart and termEnd, or neither.")
    if start is not None and end is not None:
        if end <= start:
            raise SettingsError(f"{prefix}the term ends ({end}) before or on the day it starts ({start}).")
        if (end - start).days > 366:
            raise SettingsError(f"{prefix}a term lasts at most a year; {start} to {end} is longer.")
    for number, holiday in enumerate(settings.holidays, start=1):
        label = f"{prefix}holiday {number} ({holiday.name or 'unnamed'})"
        if holiday.end < holiday.start:
            raise SettingsError(f"{label} ends ({holiday.end}) before it starts ({holiday.start}).")
        if start is not None and end is not None and (holiday.start < start or holiday.end > end):
            raise SettingsError(f"{label} is not inside the term ({start} to {end}).")
