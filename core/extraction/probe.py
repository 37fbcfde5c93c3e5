"""A quick check, at upload time, that a file really is the document it claims to be.

Corrupt files are refused at the door with a message that says what to do, so nothing is saved for
a document the pipeline could never read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from core.engine_errors import DocumentUnreadable
from core.pdfium_lock import PDFIUM


def check_readable(path: Path, kind: str, filename: str) -> None:
    if kind in ("pdf_text", "pdf_scan"):
        _check_pdf(path, filename)
    elif kind == "docx":
        _check_docx(path, filename)
    elif kind == "image":
        _check_image(path, filename)


def _check_pdf(path: Path, filename: str) -> None:
    import pypdfium2

    with PDFIUM:
        try:
            pdf = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError as exc:
            raise DocumentUnreadable(
                f"'{filename}' is a damaged or password-protected PDF ({exc}). "
                "Export it again without a password and upload the new file."
            ) from exc
        try:
            if len(pdf) == 0:
                raise DocumentUnreadable(
                    f"'{filename}' has no pages. Upload the PDF that shows the timetable."
                )
        finally:
            pdf.close()


def _check_docx(path: Path, filename: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                raise DocumentUnreadable(
                    f"'{filename}' is not a Word document. Save it as .docx and upload again."
                )
            archive.read("word/document.xml")
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise DocumentUnreadable(
            f"'{filename}' is a damaged Word file. Open it in Word, save it again as .docx and upload that."
        ) from exc


def _check_image(path: Path, filename: str) -> None:
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:  # verify() leaves the image unusable; load it fully once
            image.load()
    except Image.DecompressionBombError as exc:
        raise DocumentUnreadable(
            f"'{filename}' is too large an image to read. Take the photo at a lower resolution."
        ) from exc
    except Exception as exc:
        raise DocumentUnreadable(
            f"'{filename}' is a damaged or incomplete image. Take the photo again or export it again."
        ) from exc
