"""RapidOCR engine ("rapidocr"): PP-OCRv4 detection and recognition on ONNX Runtime, fully offline.

Its models ship inside the rapidocr-onnxruntime wheel, so the secondary-OCR step works with no
cloud account and nothing is downloaded at run time. It reads text lines; they are cut into words
(plugins/ocr_rapid/words.py), and ruling lines and shaded cells are found with the OpenCV code
every engine shares (core/ocr_geometry), so layout analysis sees the same kind of page from any.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.plugin_api import (
    EngineUnavailable,
    Page,
    PageImage,
    PluginSettingsError,
    as_page_image,
    engine_settings,
    hookimpl,
)
from plugins.ocr_rapid.settings import PREFIX, RapidOcrSettings

if TYPE_CHECKING:
    import numpy as np

# OpenCV, numpy, the model and the page geometry load with the first page read, not when the
# plugin registers (every `timetabler extract` of a text PDF registers it too).

# Lines the recogniser is less sure of are dropped (RapidOCR's default bar).
TEXT_SCORE = 0.5
TIMETABLER_HOOK_API = 3  # recognize is handed a PageImage


class RapidOcrEngine:
    name = "rapidocr"
    settings_schema = RapidOcrSettings  # shown at /admin/plugins/ocr_rapid/settings
    settings_prefix = PREFIX

    def __init__(self, timeout_s: float | None = None, max_side: int | None = None) -> None:
        self._timeout_s = timeout_s  # None: the settings' (tests pass their own)
        self._max_side = max_side

    def recognize(self, image: PageImage | np.ndarray, page_number: int) -> Page:
        import cv2
        import numpy as np

        from core.plugin_api import find_filled, find_rules, unreadably_small
        from plugins.ocr_rapid import model
        from plugins.ocr_rapid.words import page_words

        try:
            settings: RapidOcrSettings = engine_settings(self)
        except PluginSettingsError as exc:  # the secondary step is skipped, saying which and why
            raise EngineUnavailable(str(exc)) from exc
        timeout_s = self._timeout_s or settings.timeout
        given = as_page_image(image)
        notes = list(given.notes)  # what preprocessing noticed
        arr = np.ascontiguousarray(given.image)
        if (tiny := unreadably_small(arr, page_number, self.name)) is not None:
            return tiny
        h, w = arr.shape[:2]
        small, scale = _bounded(arr, self._max_side or settings.max_side)
        try:
            lines = model.run(
                small, timeout_s=timeout_s, text_score=TEXT_SCORE, onnx_threads=settings.threads
            )
        except model.TimedOut as exc:
            # Unavailable, not failed: the secondary step is skipped with this reason and the
            # document goes on to the next step instead of failing the job.
            raise EngineUnavailable(f"{exc} on page {page_number}.") from exc
        if scale != 1.0:
            lines = [_rescale(line, 1.0 / scale) for line in lines]
        grey = arr if arr.ndim == 2 else cv2.cvtColor(arr, cv2.COLOR_BGR2GRAY)
        rules, _mask = find_rules(grey)
        page = Page(
            page_number,
            float(w),
            float(h),
            page_words(lines, float(w), float(h), grey),
            rules,
            find_filled(grey),
            source=self.name,
            notes=notes,
        )
        return page


def _bounded(image: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """The image at most ``max_side`` px on its long side: the time per page stays bounded.

    Shrinking and blurring black-and-white pages (preprocessing binarises photos for Tesseract, and
    PP-OCR misreads the jagged strokes) was tried: photos gained little and a scan lost its time
    labels, so the page is read as preprocessing left it."""
    import cv2

    side = max(image.shape[:2])
    if side <= max_side:
        return image, 1.0
    scale = max_side / side
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale


def _rescale(line: list, factor: float) -> list:
    def quad(q: list) -> list:
        return [[float(x) * factor, float(y) * factor] for x, y in q]

    out = [quad(line[0]), *line[1:]]
    if len(line) >= 4 and line[3]:
        out[3] = [quad(q) for q in line[3]]
    return out


@hookimpl
def register_ocr_engines() -> list[RapidOcrEngine]:
    return [RapidOcrEngine()]
