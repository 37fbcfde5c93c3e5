"""Page geometry every OCR engine reports beside its words: ruling lines, filled and outlined
areas, and pages too small to read. Found with OpenCV, never by OCR, so plugins (Tesseract,
RapidOCR, Google Cloud Vision, third-party engines) share them and layout analysis sees the same
kind of page from any engine.
"""

from core.ocr_geometry.pages import MIN_READABLE_SIDE, unreadably_small
from core.ocr_geometry.rules import find_rules, glyph_height
from core.ocr_geometry.shapes import find_filled

__all__ = ["MIN_READABLE_SIDE", "find_filled", "find_rules", "glyph_height", "unreadably_small"]
