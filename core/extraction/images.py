"""Page images (BGR numpy arrays) of image files and scanned PDFs, for preprocessing and OCR."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads with the first page image, not with every import of the pipeline
    import numpy as np

from core.engine_errors import DocumentUnreadable
from core.extraction.limits import check_image, check_pdf
from core.pdfium_lock import PDFIUM

PDF_DPI = 300
# Very large phone photos gain nothing past this many pixels on the long side and cost OCR time.
MAX_SIDE = 5000
DRAFT_SIDE = 2500


def _to_bgr(im) -> np.ndarray:  # noqa: ANN001 (PIL image)
    import numpy as np
    from PIL import Image

    if im.mode in ("RGBA", "LA", "P"):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, im)
    im = im.convert("RGB")
    if max(im.size) > MAX_SIDE:
        scale = MAX_SIDE / max(im.size)
        im = im.resize((round(im.width * scale), round(im.height * scale)), Image.LANCZOS)
    arr = np.asarray(im)
    return np.ascontiguousarray(arr[:, :, ::-1])


def _image_pages(path: Path) -> Iterator[np.ndarray]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    check_image(path, path.name)  # pixels counted from the header before anything is decoded
    try:
        im = Image.open(path)
        if im.format == "JPEG" and max(im.size) > DRAFT_SIDE:
            # A 50-megapixel camera JPEG decoded at 1/2 or 1/4 scale by libjpeg itself: a quarter of
            # the memory, and the letters are still far larger than OCR needs.
            s = DRAFT_SIDE / max(im.size)
            im.draft("RGB", (round(im.width * s), round(im.height * s)))
        im.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise DocumentUnreadable(f"The image '{path.name}' is damaged or not an image we can read.") from exc
    frames = getattr(im, "n_frames", 1)
    for i in range(frames):
        try:
            im.seek(i)
            frame = ImageOps.exif_transpose(im.copy())  # phone photos store rotation in EXIF
        except (OSError, ValueError) as exc:
            raise DocumentUnreadable(f"Page {i + 1} of '{path.name}' is damaged.") from exc
        yield _to_bgr(frame)


def _pdf_pages(path: Path) -> Iterator[np.ndarray]:
    import pypdfium2 as pdfium

    check_pdf(path, path.name)  # pages, page sizes and objects within bounds before rendering
    try:
        with PDFIUM:
            pdf = pdfium.PdfDocument(str(path))
            pages = len(pdf)
    except Exception as exc:  # pdfium raises PdfiumError for broken files
        raise DocumentUnreadable(f"The PDF '{path.name}' is damaged and cannot be opened.") from exc
    try:
        if pages == 0:
            raise DocumentUnreadable(f"The PDF '{path.name}' has no pages.")
        for i in range(pages):
            with PDFIUM:  # one page at a time, never across the yield (OCR runs in between)
                page = pdf[i]
                w, h = page.get_size()
                scale = PDF_DPI / 72
                if max(w, h) * scale > MAX_SIDE:
                    scale = MAX_SIDE / max(w, h)
                picture = page.render(scale=scale).to_pil()
                page.close()
            yield _to_bgr(picture)
    finally:
        with PDFIUM:
            pdf.close()


PICTURE_EXTS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")
# A picture smaller than this (a logo, a signature, an icon) cannot hold a readable timetable.
MIN_PICTURE_PIXELS = 300_000


def docx_pictures(path: Path) -> list[str]:
    """The names of a Word file's pictures large enough to hold a table, in their numbered order
    (image1, image2, ... as Word numbers them when pasted); the zip was checked by check_docx."""
    from PIL import Image

    names = []
    with zipfile.ZipFile(path) as archive:
        for entry in archive.infolist():
            name = entry.filename
            if not (name.startswith("word/media/") and name.lower().endswith(PICTURE_EXTS)):
                continue
            try:
                with Image.open(io.BytesIO(archive.read(entry))) as im:  # the header only
                    if im.width * im.height >= MIN_PICTURE_PIXELS:
                        names.append(name)
            except Exception:  # noqa: BLE001 (a picture Pillow cannot open is not read)
                continue
    return sorted(names, key=lambda n: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", n)])


def _docx_pages(path: Path) -> Iterator[np.ndarray]:
    from PIL import Image, ImageOps

    with zipfile.ZipFile(path) as archive:
        for name in docx_pictures(path):
            data = archive.read(name)
            check_image(io.BytesIO(data), path.name)  # pixels counted before decoding
            with Image.open(io.BytesIO(data)) as im:
                yield _to_bgr(ImageOps.exif_transpose(im))


def page_images(path: Path, kind: str) -> Iterator[np.ndarray]:
    """BGR images of each page: kind "image" (PNG, JPEG, TIFF, WebP), "pdf_scan", or "docx" (the
    pictures pasted into a Word file)."""
    if kind == "image":
        yield from _image_pages(path)
    elif kind in ("pdf_scan", "pdf_text"):
        yield from _pdf_pages(path)
    elif kind == "docx":
        yield from _docx_pages(path)
    else:
        raise DocumentUnreadable(f"Cannot make page images of a '{kind}' document.")
