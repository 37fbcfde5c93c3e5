"""The type of an uploaded file, decided by its first bytes: never by its name or Content-Type."""

from __future__ import annotations

import zipfile
from pathlib import Path

import msgspec

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEAD_BYTES = 8192


class Sniffed(msgspec.Struct, frozen=True):
    media_type: str
    suffix: str  # the suffix the file is stored and served under


_MAGIC = (
    (b"%PDF-", Sniffed("application/pdf", ".pdf")),
    (b"\x89PNG\r\n\x1a\n", Sniffed("image/png", ".png")),
    (b"\xff\xd8\xff", Sniffed("image/jpeg", ".jpg")),
    (b"II*\x00", Sniffed("image/tiff", ".tif")),
    (b"MM\x00*", Sniffed("image/tiff", ".tif")),
    (b"GIF87a", Sniffed("image/gif", ".gif")),
    (b"GIF89a", Sniffed("image/gif", ".gif")),
    (b"BM", Sniffed("image/bmp", ".bmp")),
)


def sniff(path: Path) -> Sniffed | None:
    """The file's real type from its magic bytes, or None for anything we do not read."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    for magic, sniffed in _MAGIC:
        if head.startswith(magic):
            return sniffed
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", ".webp")
    if head.startswith(b"PK\x03\x04"):
        # A zip is a Word file only when it holds the main document part; any other zip may still be
        # a damaged Word file, which the checks then name as such.
        try:
            with zipfile.ZipFile(path) as archive:
                if "word/document.xml" in archive.namelist():
                    return Sniffed(DOCX, ".docx")
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
        return Sniffed("application/zip", ".zip")
    return None
