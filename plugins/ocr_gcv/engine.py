"""The "gcv" OCR engine: Google Cloud Vision's document text detection, one call per page."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import msgspec

from core.plugin_api import (
    EngineUnavailable,
    FilledRect,
    Page,
    PageImage,
    PluginSettingsError,
    Rule,
    as_page_image,
    engine_settings,
    school_key,
)
from plugins.ocr_gcv.settings import NOT_ALLOWED, NOT_SET_UP, PREFIX, GcvSettings

if TYPE_CHECKING:
    import numpy as np
    from google.auth.credentials import Credentials

# Vision's list price for DOCUMENT_TEXT_DETECTION: $1.50 per 1,000 units after the first 1,000 a
# month (one unit per page image).
COST_PER_PAGE_USD = 0.0015


class GcvEngine:
    name = "gcv"
    cost_per_page_usd = COST_PER_PAGE_USD
    settings_schema = GcvSettings  # shown at /admin/plugins/ocr_gcv/settings
    settings_prefix = PREFIX

    def __init__(
        self,
        settings: GcvSettings | None = None,
        credentials: Credentials | None = None,
    ) -> None:
        # settings None: the settings schema's, read on every page so a key set later counts.
        self._settings = settings
        self._credentials = credentials
        self._clients: dict[GcvSettings, Any] = {}  # Vision's ImageAnnotatorClient per configuration
        self._lock = threading.Lock()

    def settings(self) -> GcvSettings:
        if self._settings is not None:
            return self._settings
        try:
            settings: GcvSettings = engine_settings(self)
        except PluginSettingsError as exc:  # the step is skipped, saying which value and why
            raise EngineUnavailable(str(exc)) from exc
        # The running job's school's own key, when it set one, for its documents (and its bill).
        own_key = school_key("gcvApiKey")
        return msgspec.structs.replace(settings, api_key=own_key) if own_key else settings

    def recognize(self, given: PageImage | np.ndarray, page_number: int) -> Page:
        page_image = as_page_image(given)
        image = page_image.image
        settings = self.settings()
        if not settings.allowed:
            raise EngineUnavailable(NOT_ALLOWED)  # nothing of the school's leaves for Google
        if self._credentials is None and not settings.configured:
            raise EngineUnavailable(NOT_SET_UP)  # before any work: the pipeline moves straight on
        # Vision's SDK loads here, on the first page it reads: registering the plugin, listing
        # plugins or reading a text PDF never pays its half second of imports.
        from plugins.ocr_gcv.client import annotate
        from plugins.ocr_gcv.convert import words_from
        from plugins.ocr_gcv.encode import encode  # with OpenCV

        content, scale = encode(image)
        response = annotate(self._client(settings), content, settings, page_number)
        h, w = image.shape[:2]
        words = words_from(response.full_text_annotation, float(w), float(h), scale)
        rules, rects = _ruling(image)
        page = Page(page_number, float(w), float(h), words, rules, rects, source=self.name)
        page.notes.extend(n for n in page_image.notes if n not in page.notes)
        if scale < 1.0:
            page.notes.append(
                f"page {page_number} was sent to Google Cloud Vision at {scale:.0%} of its size "
                "to fit the service's request limit"
            )
        return page

    def _client(self, settings: GcvSettings) -> Any:
        # One client (and connection pool) per configuration, made on first use. The key is part of the
        # configuration, so a school's own key has its own client, never used for another school.
        with self._lock:
            client = self._clients.get(settings)
            if client is None:
                from plugins.ocr_gcv.client import make_client  # the SDK, on first use (above)

                client = self._clients[settings] = make_client(settings, self._credentials)
            return client


def _ruling(image: np.ndarray) -> tuple[list[Rule], list[FilledRect]]:
    """Ruling lines and shaded cells, which Vision does not report but grid analysis needs.

    Found as every engine finds them (core/ocr_geometry: OpenCV, no OCR).
    """
    import cv2

    from core.plugin_api import find_filled, find_rules

    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    rules, _mask = find_rules(grey)
    return rules, find_filled(grey)
