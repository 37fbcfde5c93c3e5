"""What a plugin may use of Timetabler, in one place: plugins import this module and no other of core
(pyproject.toml's contracts check it), so core can move its insides without breaking a plugin.

- the hook marker (`hookimpl`) and the engine types of core/engines.py and their errors;
- the reading model engines produce (words, rules, pages, a draft timetable) and its helpers;
- for preprocessors and OCR engines: the PageImage preprocessing hands OCR, and the page geometry
  (rules, filled boxes, letter height) OCR engines share;
- for OCR and readers: the upload limits a reader enforces while it parses, and the lock every
  PDFium call takes (PDFium is not thread-safe);
- for LLM engines: the running school's own key and the shared answer cache;
- for notifiers: the delivery and its outcome, the school's scope, the person's subscriptions and
  sent log, and where links start;
- settings declared as a msgspec Struct (each field's ``setting(...)``), read through
  ``engine_settings`` (the environment, and the running school's own values) and checked;
- `stage(name)`, a block whose seconds `timetabler extract --profile` reports (free otherwise).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from core import hookimpl

if TYPE_CHECKING:  # the names as type checkers and readers see them; at run time each loads when used
    from core.cache import cached_llm_answer, cached_ocr_page
    from core.db.scoping import TenantScope
    from core.engine_keys import school_key
    from core.engines import (
        DocumentUnreadable,
        EngineError,
        EngineUnavailable,
        LlmAnswer,
        NotATimetable,
        Notification,
        UnsupportedDocument,
    )
    from core.extraction.confidence import confidence
    from core.extraction.daytime import DAYS, clock_24h, day_name
    from core.extraction.images import page_images
    from core.extraction.limits import check_docx, check_pdf
    from core.extraction.model import DraftBlock, DraftTimetable, FilledRect, Page, ReadResult, Rule, Word
    from core.extraction.weeks import printed_week, settle_weeks
    from core.links import public_root
    from core.notifications.delivery import Branding, Delivery, Outcome, Recipient
    from core.notifications.sent_log import sent_since
    from core.notifications.tables import PushSubscription
    from core.ocr_geometry import find_filled, find_rules, glyph_height, unreadably_small
    from core.page_image import PageImage, as_page_image
    from core.pdfium_lock import PDFIUM
    from core.plugin_settings import (
        PluginSettingsError,
        engine_settings,
        setting,
        settings_from_env,
        settings_table,
    )
    from core.policy import Thresholds
    from core.profiling import stage
    from core.settings import Settings, get_settings

# Where each name lives. A name loads its module on first use (PEP 562), so a reader plugin that
# asks for Page and Word never pays for the database, the notifications or OpenCV: importing
# everything here eagerly cost every `timetabler extract` and worker start about a second.
_HOMES = {
    "core.cache": ["cached_llm_answer", "cached_ocr_page"],
    "core.db.scoping": ["TenantScope"],
    "core.engine_keys": ["school_key"],
    "core.engines": [
        "DocumentUnreadable", "EngineError", "EngineUnavailable", "LlmAnswer", "NotATimetable",
        "Notification", "UnsupportedDocument",
    ],
    "core.extraction.confidence": ["confidence"],
    "core.extraction.daytime": ["DAYS", "clock_24h", "day_name"],
    "core.extraction.images": ["page_images"],
    "core.extraction.limits": ["check_docx", "check_pdf"],
    "core.extraction.model": [
        "DraftBlock", "DraftTimetable", "FilledRect", "Page", "ReadResult", "Rule", "Word",
    ],
    "core.extraction.weeks": ["printed_week", "settle_weeks"],
    "core.links": ["public_root"],
    "core.notifications.delivery": ["Branding", "Delivery", "Outcome", "Recipient"],
    "core.notifications.sent_log": ["sent_since"],
    "core.notifications.tables": ["PushSubscription"],
    "core.ocr_geometry": ["find_filled", "find_rules", "glyph_height", "unreadably_small"],
    "core.page_image": ["PageImage", "as_page_image"],
    "core.pdfium_lock": ["PDFIUM"],
    "core.plugin_settings": [
        "PluginSettingsError", "engine_settings", "setting", "settings_from_env", "settings_table",
    ],
    "core.policy": ["Thresholds"],
    "core.profiling": ["stage"],
    "core.settings": ["Settings", "get_settings"],
}  # fmt: skip
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later uses are plain lookups
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "printed_week",
    "settle_weeks",
    "PDFIUM",
    "unreadably_small",
    "glyph_height",
    "find_rules",
    "find_filled",
    "clock_24h",
    "as_page_image",
    "PageImage",
    "DAYS",
    "Branding",
    "Delivery",
    "DocumentUnreadable",
    "DraftBlock",
    "DraftTimetable",
    "EngineError",
    "EngineUnavailable",
    "FilledRect",
    "LlmAnswer",
    "NotATimetable",
    "Notification",
    "Outcome",
    "Page",
    "PluginSettingsError",
    "PushSubscription",
    "ReadResult",
    "Recipient",
    "Rule",
    "Settings",
    "TenantScope",
    "Thresholds",
    "UnsupportedDocument",
    "Word",
    "cached_llm_answer",
    "cached_ocr_page",
    "check_docx",
    "check_pdf",
    "confidence",
    "day_name",
    "get_settings",
    "hookimpl",
    "page_images",
    "public_root",
    "school_key",
    "sent_since",
    "engine_settings",
    "setting",
    "settings_from_env",
    "settings_table",
    "stage",
]
