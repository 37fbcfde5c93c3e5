"""The page image as the bytes sent to Vision."""

from __future__ import annotations

import cv2
import numpy as np

from core.plugin_api import EngineError

# Vision takes at most 10 MB of JSON per request and base64 makes bytes a third bigger.
MAX_BYTES = 7_000_000


def encode(image: np.ndarray, max_bytes: int | None = None) -> tuple[bytes, float]:
    """PNG (lossless, best for text) when it fits, else JPEG, shrunk until it fits.

    Returns the bytes and the scale they were sent at (1.0: full size).
    """
    max_bytes = max_bytes or MAX_BYTES
    data = _encode(".png", image)
    if len(data) <= max_bytes:
        return data, 1.0
    scale = 1.0
    data = _encode(".jpg", image)
    while len(data) > max_bytes and scale > 0.1:
        scale *= 0.8
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        data = _encode(".jpg", small)
    return data, scale


def _encode(ext: str, image: np.ndarray) -> bytes:
    params = [cv2.IMWRITE_JPEG_QUALITY, 92] if ext == ".jpg" else []
    ok, buf = cv2.imencode(ext, image, params)
    if not ok:
        raise EngineError(f"The page image could not be encoded for Google Cloud Vision ({ext}).")
    return buf.tobytes()
