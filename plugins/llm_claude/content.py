"""The document as Messages API content blocks: page images as base64 PNG, or a DOCX's text."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from core.plugin_api import DocumentUnreadable, page_images

# Claude scales images down to about this long side anyway; sending more only costs upload time.
MAX_LONG_SIDE = 1568
# The API refuses images over 5 MB (of base64); stay well clear of it.
MAX_IMAGE_BYTES = 3_750_000
# Timetables are one or two pages; more are usually appendices and only add tokens.
MAX_PAGES = 4


def document_kind(path: Path) -> str:
    """pdf, docx or image, from the file's first bytes (its name may lie)."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK") and zipfile.is_zipfile(path):
        return "docx"
    return "image"


def png_base64(image: np.ndarray, max_side: int = MAX_LONG_SIDE) -> str:
    """A BGR page image scaled down to max_side and encoded as base64 PNG (under the size cap)."""
    import cv2  # loads with the first page sent, not with the plugin

    h, w = image.shape[:2]
    scale = min(1.0, max_side / max(h, w))
    while True:
        img = image
        if scale < 1.0:
            img = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
        ok, buf = cv2.imencode(".png", img)
        if not ok:
            raise DocumentUnreadable("A page of the document could not be turned into an image.")
        data = base64.b64encode(buf.tobytes())
        # Photos with noise compress badly as PNG: shrink until it fits rather than fail.
        if len(data) <= MAX_IMAGE_BYTES or scale < 0.2:
            return data.decode("ascii")
        scale *= 0.8


def image_blocks(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Image content blocks of the first MAX_PAGES pages, and the total page count."""
    kind = "pdf_scan" if document_kind(path) == "pdf" else "image"
    blocks: list[dict[str, Any]] = []
    total = 0
    for image in page_images(path, kind):
        total += 1
        if total <= MAX_PAGES:
            blocks.append(
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": png_base64(image)},
                }
            )
    if not blocks:
        raise DocumentUnreadable(f"'{path.name}' has no pages to read.")
    return blocks, total


def docx_text(path: Path) -> str:
    """A Word file's tables as rows of ' | '-separated cells, then its paragraphs: no image to send."""
    import docx  # python-docx

    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for broken packages
        raise DocumentUnreadable(f"The Word file '{path.name}' is damaged.") from exc
    out = io.StringIO()
    for t, table in enumerate(doc.tables, 1):
        out.write(f"Table {t}:\n")
        for row in table.rows:
            out.write(" | ".join(cell.text.replace("\n", " / ").strip() for cell in row.cells) + "\n")
    paras = [p.text.strip() for p in doc.paragraphs if p.text.strip()]
    if paras:
        out.write("Paragraphs:\n" + "\n".join(paras) + "\n")
    return out.getvalue()


def document_blocks(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Content blocks that show Claude the document, and its page count."""
    if document_kind(path) == "docx":
        text = docx_text(path)
        # python-docx repeats a merged cell's text in every grid cell it spans: say so.
        intro = (
            "The document is a Word file; its tables follow as text. A merged cell (a double "
            "period) shows its text again in each row or column it spans: record it as one block."
        )
        return [{"type": "text", "text": f"{intro}\n\n{text}"}], 1
    return image_blocks(path)
