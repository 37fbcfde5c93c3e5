"""RapidOCR's settings: the machine's share of the work, so the deployment's alone."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.plugin_api import setting

PREFIX = "TIMETABLER_RAPIDOCR"


class RapidOcrSettings(msgspec.Struct, rename="camel", kw_only=True, frozen=True):
    timeout: Annotated[float, setting("seconds RapidOCR may take on one page", gt=0)] = 60.0
    # RapidOCR's own default: 300-dpi A4 has text to spare at 2000; boxes come back in full pixels.
    max_side: Annotated[int, setting("pages are read at most this many pixels on the long side", ge=100)] = (
        2000
    )
    threads: Annotated[
        Annotated[int, msgspec.Meta(ge=1)] | None,
        setting("ONNX Runtime threads, fixed when the model first loads (unset: the cores, at most 2)"),
    ] = None
