"""The 'example_ocr' engine: Tesseract on a cleaned page, and a status page for platform admins."""

from __future__ import annotations

import threading

import cv2
import msgspec
import numpy as np
from litestar import MediaType, get

from admin.session import console
from core import hookimpl
from core.engines import DocumentUnreadable, EngineError, EngineUnavailable
from core.extraction.model import Page, Rule, Word
from core.plugin_settings import settings_from_env, settings_table

TIMETABLER_HOOK_API = 2  # uses register_admin_routes
SETTINGS_PREFIX = "TIMETABLER_EXAMPLE_OCR"


class ExampleOcrSettings(msgspec.Struct, rename="camel", kw_only=True):
    """What the platform may tune, from TIMETABLER_EXAMPLE_OCR_<FIELD> variables."""

    min_width_px: int = 1600  # narrower pages are enlarged: Tesseract wants 20-30 px letters
    language: str = "eng"
    timeout_s: float = 60.0


class ExampleOcr:
    name = "example_ocr"
    cost_per_page_usd = 0.0  # runs on the platform's own machines
    settings_schema = ExampleOcrSettings  # shown and checked at /admin/plugins/example_ocr/settings
    settings_prefix = SETTINGS_PREFIX

    def __init__(self) -> None:
        self.pages_read = 0
        self._lock = threading.Lock()  # worker threads share the engine

    def recognize(self, image: np.ndarray, page_number: int) -> Page:
        if image.size == 0:
            raise DocumentUnreadable(f"Page {page_number} has no pixels to read.")
        settings = settings_from_env(ExampleOcrSettings, SETTINGS_PREFIX)
        height, width = image.shape[:2]
        scale = max(1.0, settings.min_width_px / width)
        clean, rules = _without_rules(image)
        if scale > 1.0:
            clean = cv2.resize(clean, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        # Boxes back in the page's own pixels, as layout analysis expects.
        words = [_unscaled(w, scale, width, height) for w in _tesseract(clean, settings)]
        with self._lock:
            self.pages_read += 1
        return Page(page_number, float(width), float(height), words, rules, source=self.name)


def _unscaled(word: Word, scale: float, width: int, height: int) -> Word:
    x1, y1 = min(word.x1 / scale, width), min(word.y1 / scale, height)
    return Word(word.text, word.x0 / scale, word.y0 / scale, x1, y1, word.confidence)


def _without_rules(image: np.ndarray) -> tuple[np.ndarray, list[Rule]]:
    """The page in grey with its table rules painted white (words touching them are misread), and
    the rules themselves: layout analysis finds the timetable's grid from them."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12)
    long = max(40, min(grey.shape) // 20)
    rules: list[Rule] = []
    mask = np.zeros_like(ink)
    for size, horizontal in (((long, 1), True), ((1, long), False)):
        found = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
        count, _, stats, _ = cv2.connectedComponentsWithStats(found)
        for x, y, w, h, _area in stats[1:count]:
            if horizontal:
                rules.append(Rule(float(x), y + h / 2, float(x + w), y + h / 2))
            else:
                rules.append(Rule(x + w / 2, float(y), x + w / 2, float(y + h)))
        mask |= found
    clean = grey.copy()
    clean[cv2.dilate(mask, np.ones((3, 3), np.uint8)) > 0] = 255
    return clean, rules


def _tesseract(image: np.ndarray, settings: ExampleOcrSettings) -> list[Word]:
    import pytesseract

    try:
        data = pytesseract.image_to_data(
            image,
            lang=settings.language,
            config="--psm 11",
            output_type=pytesseract.Output.DICT,
            timeout=settings.timeout_s,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise EngineUnavailable("Tesseract is not installed on this server.") from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise EngineError(f"Reading the page took longer than {settings.timeout_s:g} s.") from exc
    except pytesseract.TesseractError as exc:
        raise EngineError(f"Tesseract could not read the page: {exc.message}") from exc
    words = []
    for i, text in enumerate(data["text"]):
        confidence = float(data["conf"][i])
        if text.strip() and confidence >= 0:
            x, y, w, h = (data[key][i] for key in ("left", "top", "width", "height"))
            words.append(Word(text.strip(), x, y, x + w, y + h, min(1.0, confidence / 100)))
    return words


ENGINE = ExampleOcr()  # one per process, so the status page counts what the workers here read


@get("/", operation_id="exampleOcrStatus", opt=console("platform_admin"), media_type=MediaType.HTML)
async def status_page() -> str:
    settings = settings_from_env(ExampleOcrSettings, SETTINGS_PREFIX)
    return (
        "<!doctype html><html lang='en'><head><title>example_ocr</title></head><body>"
        "<h1>example_ocr</h1>"
        f"<p>Pages read by this process: <span id='pages-read'>{ENGINE.pages_read}</span></p>"
        f"<h2>Settings</h2>{settings_table(settings)}</body></html>"
    )


@hookimpl
def register_ocr_engines() -> list[ExampleOcr]:
    return [ENGINE]


@hookimpl
def register_admin_routes() -> list:
    return [status_page]
