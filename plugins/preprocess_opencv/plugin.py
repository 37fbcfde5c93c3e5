"""OpenCV preprocessing before OCR: grey, deskew, scale to a good x-height, even out the light.

Each step runs only when the image needs it: a clean PNG at a good size passes through unchanged
apart from the grey conversion. The page goes to OCR as a ``core.page_image.PageImage`` (hook API 3).
The steps are in steps.py, loaded (with OpenCV and numpy) by the first page preprocessed: every
`timetabler extract` of a text PDF registers this plugin and never preprocesses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from core.plugin_api import PageImage, hookimpl

if TYPE_CHECKING:
    import numpy as np

TIMETABLER_HOOK_API = 3  # returns a PageImage


class OpenCvPreprocessor:
    name = "opencv"
    version = "10-light-gaps"  # in the OCR cache key: pages read by an older version are read anew

    def preprocess(self, image: np.ndarray) -> PageImage:
        from plugins.preprocess_opencv.steps import Steps

        return Steps().preprocess(image)


def __getattr__(name: str) -> Any:
    # The steps by their old address (plugins.preprocess_opencv.plugin.clear_speckle and the like);
    # a private or special name (what a plugin loader looks for) never loads them.
    if name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    steps = importlib.import_module("plugins.preprocess_opencv.steps")
    try:
        return getattr(steps, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


@hookimpl
def register_preprocessors() -> list[OpenCvPreprocessor]:
    return [OpenCvPreprocessor()]
