"""What preprocessing hands OCR: the page to read, the page as it was before binarisation, and what
preprocessing noticed (hook API 3).

Before hook API 3 a preprocessor returned a numpy array, and its notes and grey page rode along as
attributes of an ndarray subclass that engines read with ``getattr``. A preprocessor may still
return an array (bare or that subclass): the pipeline turns it into a ``PageImage`` and warns its
author. An OCR engine of a plugin that targets API 3 is handed a ``PageImage``; an older engine is
handed the array form it was written for (``legacy_array``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy loads with the first image, not with every text-PDF reading
    import numpy as np

from core.deprecation import TimetablerDeprecationWarning


@dataclass
class PageImage:
    """One page image, ready for OCR.

    - ``image``: what OCR reads: a uint8 grey (h, w) or BGR (h, w, 3) array, cleaned, deskewed and
      scaled by preprocessing (often binarised).
    - ``grey``: the same page in grey before binarisation, same size and turn as ``image``, or None
      when ``image`` is that page. Fills that tell one coloured box from the next (a calendar's
      lessons) survive only here.
    - ``notes``: what preprocessing noticed that a reviewer should see ("the image is very small"):
      OCR engines put them on the page they return.
    """

    image: np.ndarray
    grey: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.image.shape)

    def grey_or_none(self) -> np.ndarray | None:
        """``grey`` when it still matches ``image``'s size (a step after it may have resized)."""
        if self.grey is None or self.grey.shape[:2] != self.image.shape[:2]:
            return None
        return self.grey


def as_page_image(value: PageImage | np.ndarray) -> PageImage:
    """``value`` as a PageImage: a bare array (a page read straight from a file, as tests and the
    plugin kit hand engines) is a page with no notes. The pre-API-3 subclass keeps its notes."""
    if isinstance(value, PageImage):
        return value
    return _from_array(value)


def from_preprocessor(value: PageImage | np.ndarray, name: str) -> PageImage:
    """A preprocessor's result as a PageImage; an array (the pre-API-3 form) is accepted and warned."""
    if isinstance(value, PageImage):
        return value
    warnings.warn(
        f"preprocessor '{name}' returned a numpy array; return core.page_image.PageImage(image=..., "
        "grey=..., notes=[...]) instead and declare TIMETABLER_HOOK_API = 3 in its plugin (notes and "
        "grey as array attributes are deprecated since hook API 3)",
        TimetablerDeprecationWarning,
        stacklevel=2,
    )
    return _from_array(value)


def _from_array(value: np.ndarray) -> PageImage:
    # The pre-API-3 form: attributes on an ndarray subclass ("shade" was the grey page's name).
    import numpy as np

    notes = list(getattr(value, "notes", None) or [])
    grey = getattr(value, "shade", None)
    return PageImage(np.asarray(value), None if grey is None else np.asarray(grey), notes)


@cache
def _noted_array() -> Any:
    import numpy as np

    class _NotedArray(np.ndarray):
        """The pre-API-3 form, for engines written for it: ``notes`` and ``shade`` as attributes."""

        notes: list[str]
        shade: np.ndarray

    return _NotedArray


def legacy_array(page: PageImage) -> np.ndarray:
    """The array an OCR engine written before hook API 3 expects."""
    grey = page.grey_or_none()
    if not page.notes and grey is None:
        return page.image
    out = page.image.view(_noted_array())
    out.notes = list(page.notes)
    if grey is not None:
        out.shade = grey
    return out


def chain(before: PageImage, after: PageImage) -> PageImage:
    """The result of one preprocessor after another: notes of both, the latest grey page that still
    fits the image."""
    notes = before.notes + [n for n in after.notes if n not in before.notes]
    grey = after.grey if after.grey is not None else before.grey
    fits = grey is not None and grey.shape[:2] == after.image.shape[:2]
    return PageImage(after.image, grey if fits else None, notes)
