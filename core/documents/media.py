"""How an original is served and shown: the media type it is served as, and how the check screens
draw it. Shared by the API (core/api/documents.py, core/api/reviews.py) and the console's review
screen (admin/review_pages.py)."""

from __future__ import annotations

from pathlib import Path

from core.db.tables import Document

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
}
BROWSER_IMAGES = ("image/png", "image/jpeg", "image/webp")  # shown as uploaded; others drawn as PNG


def served_media_type(document: Document) -> str:
    """Never the uploader's own claim: a file is served as what we read it as, or as bytes."""
    suffix = Path(document.storage_key).suffix
    if document.kind in ("pdf_text", "pdf_scan"):
        return MEDIA_TYPES[".pdf"]
    if document.kind == "docx":
        return MEDIA_TYPES[".docx"]
    if document.kind == "image" and MEDIA_TYPES.get(suffix, "").startswith("image/"):
        return MEDIA_TYPES[suffix]
    return "application/octet-stream"


def preview_kind(document: Document) -> str | None:
    """How the check screens draw the original: as uploaded ("image"), its first page as PNG
    ("pdf"), a TIFF as PNG ("tiff"), or not at all (a Word file: offered as a download)."""
    media = served_media_type(document)
    if document.kind == "image" and media in BROWSER_IMAGES:
        return "image"
    if document.kind == "image" and media.startswith("image/"):
        return "tiff"
    if document.kind in ("pdf_text", "pdf_scan"):
        return "pdf"
    return None
