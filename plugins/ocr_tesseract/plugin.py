"""Tesseract OCR engine: ruling lines found with OpenCV morphology, removed, then sparse-text OCR.

Tesseract reads nothing of a ruled grid with ``--psm 6`` and nearly everything with ``--psm 11``;
removing the rules first stops it taking borders for letters ("|", "l", "1").
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from core.plugin_api import (
    EngineError,
    Page,
    PageImage,
    PluginSettingsError,
    Word,
    as_page_image,
    engine_settings,
    hookimpl,
    stage,
)
from plugins.ocr_tesseract.settings import DEFAULT_LANGUAGES, PREFIX, TesseractSettings

if TYPE_CHECKING:
    import numpy as np

# OpenCV, numpy and the page geometry load with the first page read (inside the methods), not
# when the plugin registers: every `timetabler extract` of a text PDF registers it too.

TIMETABLER_HOOK_API = 3  # recognize is handed a PageImage


def _grey(image: np.ndarray) -> np.ndarray:
    import cv2

    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


class TesseractEngine:
    name = "tesseract"
    settings_schema = TesseractSettings  # shown at /admin/plugins/ocr_tesseract/settings
    settings_prefix = PREFIX

    def __init__(self, lang: str | None = None, psm: int = 11) -> None:
        self._lang = lang  # None: the settings' languages (the running school's, when it set them)
        self.psm = psm

    @property
    def settings(self) -> TesseractSettings:
        try:
            return engine_settings(self)
        except PluginSettingsError as exc:
            raise EngineError(str(exc)) from exc

    @property
    def lang(self) -> str:
        return self._lang or self.settings.languages

    @property
    def version(self) -> str:
        """In OCR cache keys: pages read by an older version, or in other languages, are read again."""
        return "4" if self.lang == DEFAULT_LANGUAGES else f"4-{self.lang}"

    @property
    def timeout_s(self) -> float:
        return self.settings.timeout

    _found = False
    _languages: frozenset[str] = frozenset()

    def _check(self) -> None:
        import pytesseract

        if not TesseractEngine._found:  # once per process: the check is a subprocess of its own
            # Tesseract's OpenMP threads spin while they wait: on a 2-core worker one page read with
            # them takes ~5x the wall time of a single-threaded read (0.39 s vs 2.1 s measured).
            # Workers already read several documents at once, so one thread per Tesseract is the
            # faster choice; an operator can still set OMP_THREAD_LIMIT. pytesseract's subprocesses
            # inherit this environment (set here, before the first, not when the plugin is imported).
            os.environ.setdefault("OMP_THREAD_LIMIT", "1")
            try:
                pytesseract.get_tesseract_version()
                TesseractEngine._languages = frozenset(pytesseract.get_languages(config=""))
                TesseractEngine._found = True
            except pytesseract.TesseractNotFoundError as exc:
                raise EngineError(
                    "The Tesseract OCR program is not installed on this server (apt install tesseract-ocr)."
                ) from exc
        missing = sorted(set(self.lang.split("+")) - TesseractEngine._languages)
        if missing:
            raise EngineError(
                f"Tesseract has no {', '.join(missing)} language data on this server (it has "
                f"{', '.join(sorted(TesseractEngine._languages)) or 'none'}): install "
                f"tesseract-ocr-{missing[0]}, or change the languages ({PREFIX}_LANGUAGES, or the "
                "school's engineSettings.tesseract.languages)."
            )

    def recognize(self, image: PageImage | np.ndarray, page_number: int) -> Page:
        import cv2

        from core.plugin_api import unreadably_small

        self._check()
        given = as_page_image(image)
        if (tiny := unreadably_small(given.image, page_number, self.name)) is not None:
            return tiny
        grey = _grey(given.image)
        shade = given.grey_or_none()  # the page before binarisation, for filled boxes
        page = self._read(grey, page_number, shade)
        if _mostly_noise(page):
            # Little readable text: a page turned sideways or upside down reads as noise (a few
            # digits and short letters pass as words, so the share counts, not only the number).
            # Ask Tesseract's orientation detector (one cheap pass on a small copy) only then.
            # OSD needs lines of letters it can read; on a small sideways photo it often cannot
            # tell, and then both quarter turns are read and the one with good words wins.
            with stage("tesseract orientation"):
                turn = self._orientation(grey)
            best, best_turn = page, 0
            margin = 1.0 if turn else 1.5  # a blind turn must read clearly better
            for t in [turn] if turn else [90, 270]:
                turned_shade = None if shade is None else cv2.rotate(shade, _turn(t))
                upright = self._read(cv2.rotate(grey, _turn(t)), page_number, turned_shade)
                if _good_words(upright) > max(_good_words(best), margin * _good_words(page)):
                    best, best_turn = upright, t
            if best_turn:
                page = best
                page.notes.append(
                    f"page {page_number} was turned by {best_turn} degrees; "
                    "it was read after turning it upright"
                )
        page.notes[:0] = [n for n in given.notes if n not in page.notes]
        return page

    def _orientation(self, grey: np.ndarray) -> int:
        """Clockwise turn (0, 90, 180, 270) that makes the page upright, from Tesseract's OSD."""
        import cv2
        import pytesseract

        scale = min(1.0, 2000 / max(grey.shape))
        small = (
            cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
        )
        try:
            osd = pytesseract.image_to_osd(
                small, config="--psm 0", output_type=pytesseract.Output.DICT, timeout=self.timeout_s
            )
        except (pytesseract.TesseractError, RuntimeError):
            return 0  # too little text to tell: nothing to turn
        turn = int(osd.get("rotate", 0)) % 360
        return turn if turn in (90, 180, 270) and float(osd.get("orientation_conf", 0)) >= 2.0 else 0

    def _read(self, grey: np.ndarray, page_number: int, shade: np.ndarray | None = None) -> Page:
        import cv2
        import numpy as np

        from core.plugin_api import find_filled, find_rules, glyph_height
        from plugins.ocr_tesseract.lone_letters import reread_lone_letters
        from plugins.ocr_tesseract.missed import reread_missed, with_reread

        h, w = grey.shape
        with stage("rules"):
            rules, mask = find_rules(grey)
        clean = grey.copy()
        # Rules are erased with the paper's own shade: pure white stripes on grey paper would pull
        # Tesseract's global threshold up into the paper and blacken whole cells.
        paper = int(np.percentile(grey, 90)) if grey.size else 255
        clean[mask > 0] = paper
        words = self._words(clean, self.psm, page_number)
        ink = cv2.threshold(clean, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
        glyph = glyph_height(ink)
        if rules:
            with stage("re-read missed cells"):
                reread = reread_missed(
                    clean, ink, words, rules, glyph, lambda strip: self._words(strip, 6, page_number)
                )
                words = with_reread(words, reread)
        with stage("re-read lone letters"):
            letters = reread_lone_letters(ink, words, glyph, lambda strip: self._words(strip, 7, page_number))
            words = with_reread(words, letters)
        with stage("filled boxes"):
            rects = find_filled(grey if shade is None or shade.shape != grey.shape else shade)
        return Page(page_number, float(w), float(h), words, rules, rects, source=self.name)

    def _words(self, image: np.ndarray, psm: int, page_number: int) -> list[Word]:
        """Tesseract's words with boxes and confidences (its TSV output), rule leftovers dropped."""
        import pytesseract

        try:
            with stage(f"tesseract --psm {psm}"):
                data = pytesseract.image_to_data(
                    image,
                    lang=self.lang,
                    config=f"--psm {psm} --oem 1",
                    output_type=pytesseract.Output.DICT,
                    timeout=self.timeout_s,
                )
        except RuntimeError as exc:  # pytesseract raises RuntimeError on its timeout
            raise EngineError(f"OCR took longer than {self.timeout_s:g} s on page {page_number}.") from exc
        except pytesseract.TesseractError as exc:
            raise EngineError(f"Tesseract failed on page {page_number}: {exc}") from exc
        words: list[Word] = []
        for i, text in enumerate(data["text"]):
            text = (text or "").strip()
            conf = float(data["conf"][i])
            if not text or conf < 0:
                continue
            x, y, bw, bh = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
            if not any(ch.isalnum() for ch in text) and not all(ch in "-–—" for ch in text):
                continue  # leftovers of rules and specks read as "|", "_", "="
            words.append(Word(text, float(x), float(y), float(x + bw), float(y + bh), conf / 100.0))
        return words


def _turn(degrees: int) -> int:
    """OpenCV's rotate code for a clockwise turn of 90, 180 or 270 degrees."""
    import cv2

    return {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}[degrees]


MIN_GOOD_WORDS = 10
MIN_GOOD_SHARE = 0.25  # upright print reads 40-90 % good words; a page on its side 5-15 %


def _mostly_noise(page: Page) -> bool:
    good = _good_words(page)
    return good < MIN_GOOD_WORDS or good < MIN_GOOD_SHARE * len(page.words)


def _good_words(page: Page) -> int:
    """Words read with confidence that look like words or times, not noise."""
    return sum(
        1 for w in page.words
        if w.confidence > 0.7 and (sum(c.isalpha() for c in w.text) >= 3 or any(c.isdigit() for c in w.text))
    )  # fmt: skip


@hookimpl
def register_ocr_engines() -> list[TesseractEngine]:
    return [TesseractEngine()]
