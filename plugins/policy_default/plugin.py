"""Default policy: classify documents, score confidence, route by the school's thresholds."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from core.plugin_api import PDFIUM, DraftTimetable, ReadResult, Thresholds, confidence, hookimpl

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF little-endian
    b"MM\x00*",  # TIFF big-endian
    b"GIF87a",
    b"GIF89a",
    b"BM",
)


def _pdf_has_text(path: Path) -> bool:
    """A text layer that is present and not garbage (enough letters, mostly words). pdfium reads it
    in C, ten times faster than pdfminer; the reader parses the page properly afterwards."""
    import pypdfium2 as pdfium

    text = ""
    try:
        with PDFIUM:
            pdf = pdfium.PdfDocument(str(path))
            try:
                for i in range(min(3, len(pdf))):
                    page = pdf[i]
                    tp = page.get_textpage()
                    text += tp.get_text_range() or ""
                    tp.close()
                    page.close()
            finally:
                pdf.close()
    except Exception:  # a broken PDF: let the scan path report it
        return False
    letters = sum(ch.isalnum() for ch in text)
    if letters < 20:
        return False
    # Garbage text layers (bad font maps) are full of odd symbols or (cid:NN) markers.
    if text.count("(cid:") > 5 or text.count("\ufffd") > 0.2 * letters:
        return False
    printable = sum(ch.isprintable() or ch.isspace() for ch in text)
    words = re.findall(r"[A-Za-z]{3,}", text)
    return printable / max(len(text), 1) > 0.95 and len(words) >= 3


@hookimpl
def classify_document(path: Path, filename: str, head: bytes) -> str | None:
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf_text" if _pdf_has_text(path) else "pdf_scan"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
        # A damaged Word file is still a Word file: the upload check then says it is damaged.
        return "docx" if filename.lower().endswith(".docx") else None
    if any(head.startswith(m) for m in _IMAGE_MAGIC):
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    return None


@hookimpl
def score_confidence(draft: DraftTimetable, read: ReadResult, vocabulary: list[str]) -> float | None:
    """The four-factor confidence of core.extraction.confidence (OCR, vocabulary, layout, times);
    ``vocabulary`` is the school's own subjects, learnt from its reviewers."""
    return confidence(draft, vocabulary)


@hookimpl
def route_document(confidence: float, thresholds: Thresholds) -> str | None:
    if confidence >= thresholds.accept:
        return "accept"
    if confidence >= thresholds.secondary_ocr:
        return "secondary_ocr"
    if confidence >= thresholds.llm:
        return "llm"
    return "review"
