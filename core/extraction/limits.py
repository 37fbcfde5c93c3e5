"""Limits checked before a file is decoded, so a small hostile file cannot exhaust memory or time.

Images: the pixel count is read from the header (Pillow opens lazily) before any pixel is decoded.
PDFs: the page count, each page's size and the number of objects. DOCX: the zip directory (entry
count, total uncompressed size, compression ratio) before any entry is read, then every XML part
parsed with defusedxml, which refuses DTDs, entity declarations and external references.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import BinaryIO

from core.engine_errors import DocumentUnreadable
from core.pdfium_lock import PDFIUM

# A 50-megapixel phone photo is ordinary; 100 MP leaves room and stays far from a bomb.
MAX_IMAGE_PIXELS = 100_000_000
MAX_IMAGE_FRAMES = 20  # pages of a multi-page TIFF
MAX_PDF_PAGES = 50  # a timetable is a page or two; a school's whole book is still well under this
MAX_PDF_PAGE_POINTS = 14_400  # 200 inches, the largest page the PDF specification allows
MAX_PDF_OBJECTS = 50_000  # a one-page timetable holds under a thousand
MAX_DOCX_ENTRIES = 1_000
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_DOCX_RATIO = 100  # deflate reaches about 10:1 on Word's XML; bombs reach 1000:1
RATIO_FLOOR = 1024 * 1024  # small parts may compress as well as they like

_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


class LimitExceeded(DocumentUnreadable):
    """The file is larger inside than we read (pixels, pages, uncompressed bytes)."""

    code = "document_too_large"


class UnsafeContent(DocumentUnreadable):
    """The file carries something no timetable needs and attacks use (XML entities, DTDs)."""

    code = "unsafe_document"


def check_image(path: Path | BinaryIO, name: str) -> None:
    """Refuse an image whose header declares more pixels or frames than we read; nothing decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:  # reads the header only
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_IMAGE_FRAMES:
                raise LimitExceeded(
                    f"'{name}' has {frames} pages; upload at most {MAX_IMAGE_FRAMES} pages at a time."
                )
            for index in range(frames):
                if index:
                    image.seek(index)
                _check_pixels(image.size, name)
    except (LimitExceeded, UnsafeContent):
        raise
    except Image.DecompressionBombError as exc:
        raise LimitExceeded(_too_many_pixels(name)) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, TypeError) as exc:
        # Pillow's plugins raise any of these (TypeError for a TIFF without dimensions).
        raise DocumentUnreadable(
            f"'{name}' is a damaged or incomplete image. Take the photo again or export it again."
        ) from exc


def _check_pixels(size: tuple[int, int], name: str) -> None:
    width, height = size
    if width <= 0 or height <= 0 or width * height > MAX_IMAGE_PIXELS:
        raise LimitExceeded(_too_many_pixels(name, width, height))


def _too_many_pixels(name: str, width: int = 0, height: int = 0) -> str:
    size = f" ({width} x {height} pixels)" if width and height else ""
    return (
        f"'{name}' is too large an image to read{size}. Upload a photo of at most "
        f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels (a lower camera resolution or a smaller export)."
    )


def check_pdf(path: Path, name: str) -> None:
    """Refuse a PDF with too many objects or pages, or a page larger than the specification allows."""
    import pypdfium2

    objects = _count_pdf_objects(path)
    if objects > MAX_PDF_OBJECTS:
        raise LimitExceeded(
            f"'{name}' holds {objects} objects, more than a timetable needs. Print or export just the "
            "timetable page to PDF and upload that."
        )
    with PDFIUM:  # PDFium is not thread-safe (core/pdfium_lock.py)
        try:
            pdf = pypdfium2.PdfDocument(str(path))
        except Exception as exc:  # PdfiumError, and pdfium's own limits on broken files
            raise DocumentUnreadable(
                f"'{name}' is a damaged or password-protected PDF. Export it again without a password "
                "and upload the new file."
            ) from exc
        try:
            pages = len(pdf)
            if pages > MAX_PDF_PAGES:
                raise LimitExceeded(
                    f"'{name}' has {pages} pages; upload at most {MAX_PDF_PAGES} (just the timetable pages)."
                )
            for index in range(pages):
                try:
                    width, height = pdf.get_page_size(index)
                except pypdfium2.PdfiumError as exc:  # a page tree that loops or points nowhere
                    raise DocumentUnreadable(
                        f"Page {index + 1} of '{name}' is damaged. Export the PDF again and upload that."
                    ) from exc
                if not (0 < width <= MAX_PDF_PAGE_POINTS and 0 < height <= MAX_PDF_PAGE_POINTS):
                    raise LimitExceeded(
                        f"Page {index + 1} of '{name}' is {width:.0f} x {height:.0f} points, larger than "
                        "any real page. Export the timetable to PDF again at a normal paper size."
                    )
        finally:
            pdf.close()


def _count_pdf_objects(path: Path) -> int:
    """Indirect objects declared in the file: a cheap scan of at most the upload limit's bytes."""
    return len(_PDF_OBJECT.findall(path.read_bytes()))


def check_docx(path: Path, name: str) -> None:
    """Refuse zip bombs from the zip directory alone, then entity attacks in any XML part."""
    damaged = f"'{name}' is a damaged Word file. Open it in Word, save it again as .docx and upload that."
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            _check_zip_directory(entries, name)
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    _check_xml(archive.read(entry), entry.filename, name)
    except (LimitExceeded, UnsafeContent):
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError) as exc:
        raise DocumentUnreadable(damaged) from exc
    except Exception as exc:  # zlib.error and friends from a corrupt entry
        raise DocumentUnreadable(damaged) from exc


def _check_zip_directory(entries: list[zipfile.ZipInfo], name: str) -> None:
    too_big = (
        f"'{name}' unpacks to more than a Word timetable ever holds. Save it again in Word "
        "(File > Save As > .docx) and upload that."
    )
    if len(entries) > MAX_DOCX_ENTRIES:
        raise LimitExceeded(too_big)
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_DOCX_UNCOMPRESSED:
            raise LimitExceeded(too_big)
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_DOCX_RATIO * max(entry.compress_size, 1):
            raise LimitExceeded(too_big)


def _check_xml(data: bytes, part: str, name: str) -> None:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        # A Word file never needs a DTD: refusing any stops entity expansion and external entities.
        fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeContent(
            f"'{name}' contains XML entity declarations ({part}), which Word never writes and attacks "
            "use. Save the document again from Word and upload that."
        ) from exc
    except ParseError as exc:
        raise DocumentUnreadable(
            f"'{name}' is a damaged Word file ({part} cannot be read). Save it again as .docx and upload it."
        ) from exc
