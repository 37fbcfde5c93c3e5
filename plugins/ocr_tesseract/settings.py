"""Tesseract's settings: the languages it reads (a school may set its own) and its time per call."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.plugin_api import setting

PREFIX = "TIMETABLER_TESSERACT"
DEFAULT_LANGUAGES = "eng"


class TesseractSettings(msgspec.Struct, rename="camel", kw_only=True, frozen=True):
    languages: Annotated[
        str,
        setting(
            "Tesseract's language codes joined by +, e.g. eng+deu (each needs tesseract-ocr-<code>)",
            school=True,
            pattern=r"^[a-z_]{3,}(\+[a-z_]{3,})*$",
        ),
    ] = DEFAULT_LANGUAGES
    timeout: Annotated[float, setting("seconds Tesseract may take on one page", gt=0)] = 60.0
