"""Default policy: classify documents, score confidence, route by the school's thresholds."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from core import hookimpl
from core.extraction.model import DraftTimetable, ReadResult
from core.policy import Thresholds

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
    """A text layer that is present and not garbage (enough letters, mostly words)."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            text = "".join((p.extract_text() or "") for p in pdf.pages[:3])
    except Exception:  # a broken PDF: let the scan path report it
        return False
    letters = sum(ch.isalnum() for ch in text)
    if letters < 20:
        return False
    # Garbage text layers (bad font maps) are full of odd symbols or (cid:NN) markers.
    if text.count("(cid:") > 5:
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


def _time_consistency(draft: DraftTimetable) -> float:
    """Fraction of blocks that do not overlap another block of the same day."""
    if not draft.blocks:
        return 0.0
    bad = 0
    by_day: dict[str, list[tuple[str, str]]] = {}
    for b in draft.blocks:
        by_day.setdefault(b.day, []).append((b.start_time, b.end_time))
    for spans in by_day.values():
        spans.sort()
        for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
            if s2 < e1:
                bad += 1
    good = sum(1 for b in draft.blocks if b.end_time > b.start_time)
    return max(0.0, (good - bad) / len(draft.blocks))


@hookimpl
def score_confidence(draft: DraftTimetable, read: ReadResult) -> float | None:
    from core.extraction.interpret import analyse_pages

    if not draft.blocks:
        return 0.0
    an = analyse_pages(read.pages)
    # How much of what looked like timetable content became blocks.
    coverage = an.used / an.candidates if an.candidates else 0.0
    timed = an.rows_timed / an.rows if an.rows else 0.0
    ocr = sum(b.confidence for b in draft.blocks) / len(draft.blocks)
    consistency = _time_consistency(draft)
    score = coverage * 0.3 + timed * 0.2 + consistency * 0.2 + ocr * 0.3
    if an.guessed:
        score *= 0.9  # cells placed by position without rules may span wrongly
    if len(draft.blocks) < 3:
        score *= 0.7
    return round(max(0.0, min(1.0, score)), 4)


@hookimpl
def route_document(confidence: float, thresholds: Thresholds) -> str | None:
    if confidence >= thresholds.accept:
        return "accept"
    if confidence >= thresholds.secondary_ocr:
        return "secondary_ocr"
    if confidence >= thresholds.llm:
        return "llm"
    return "review"
