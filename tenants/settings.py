"""Per-school settings: platform defaults, overridden by the district, overridden by the school.

Stored overrides are plain dicts of camelCase keys (only what was set). The effective settings of a
school say, for each value, where it came from.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from core.policy import Thresholds

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


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

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            accept=self.accept_threshold, secondary_ocr=self.secondary_ocr_threshold, llm=self.llm_threshold
        )


DEFAULTS = SchoolSettings()
FIELDS: tuple[str, ...] = tuple(SchoolSettings.__struct_encode_fields__)  # camelCase names


class SettingsError(ValueError):
    """Settings that cannot be saved; the message says what to change."""


def parse_overrides(body: Any) -> dict[str, Any]:
    """Check a PUT body: known keys only, each value of the right type; null means inherit."""
    if not isinstance(body, dict):
        raise SettingsError('Send the settings as a JSON object, e.g. {"acceptThreshold": 0.95}.')
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise SettingsError(f"Unknown setting(s): {', '.join(unknown)}. Known settings: {', '.join(FIELDS)}.")
    values = {key: value for key, value in body.items() if value is not None}
    try:
        msgspec.convert({**msgspec.to_builtins(DEFAULTS), **values}, SchoolSettings)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"A setting has the wrong type: {exc}.") from exc
    return body


def merge(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**current, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def effective(district: dict[str, Any] | None, school: dict[str, Any] | None) -> SchoolSettings:
    values = {**msgspec.to_builtins(DEFAULTS), **(district or {}), **(school or {})}
    return msgspec.convert(values, SchoolSettings)


def sources(district: dict[str, Any] | None, school: dict[str, Any] | None) -> dict[str, str]:
    return {
        key: "school" if key in (school or {}) else "district" if key in (district or {}) else "default"
        for key in FIELDS
    }


def validate(
    settings: SchoolSettings, *, ocr_engines: set[str], llm_engines: set[str], where: str = ""
) -> None:
    """Refuse settings that make no sense, saying what to change."""
    prefix = f"{where}: " if where else ""
    t = (settings.llm_threshold, settings.secondary_ocr_threshold, settings.accept_threshold)
    if not all(0.0 <= value <= 1.0 for value in t):
        raise SettingsError(f"{prefix}thresholds are confidences between 0 and 1.")
    if not t[0] <= t[1] <= t[2]:
        raise SettingsError(
            f"{prefix}thresholds must rise: LLM ({t[0]}) ≤ secondary OCR ({t[1]}) ≤ accept ({t[2]}). "
            "A document below the LLM threshold goes to review."
        )
    for label, engine, installed in (
        ("OCR engine", settings.ocr_engine, ocr_engines),
        ("secondary OCR engine", settings.secondary_ocr_engine, ocr_engines),
        ("LLM engine", settings.llm_engine, llm_engines),
    ):
        if engine is not None and engine not in installed:
            choices = ", ".join(sorted(installed)) or "none installed"
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
