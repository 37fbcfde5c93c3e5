"""Sample timetable documents for plugin tests: one small week drawn as PNG, text PDF and DOCX.

Every sample shows the same lessons (``SAMPLE_LESSONS``), so a test can check what an engine read.
Written at test time (no binary files shipped) with Pillow, python-docx and a minimal PDF writer.
"""

from __future__ import annotations

from pathlib import Path

DAYS = ("Monday", "Tuesday", "Wednesday")
PERIODS = (("09:00", "10:00"), ("10:00", "11:00"), ("11:15", "12:15"))
SUBJECTS = (("Maths", "English", "Science"), ("History", "Art", "Music"), ("French", "Drama", "Physics"))
TEACHER = "Ms A. Sample"
# (day, start, end, name) of every lesson the samples show.
SAMPLE_LESSONS = frozenset(
    (day, start, end, SUBJECTS[d][p]) for d, day in enumerate(DAYS) for p, (start, end) in enumerate(PERIODS)
)
FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans.ttf")


def _cells() -> list[list[str]]:
    """The grid: a header row of days, then one row per period (its times, then each day's lesson)."""
    rows = [["Time", *DAYS]]
    for p, (start, end) in enumerate(PERIODS):
        rows.append([f"{start}-{end}", *(SUBJECTS[d][p] for d in range(len(DAYS)))])
    return rows


def timetable_png(path: Path, *, scale: float = 2.0) -> Path:
    """A ruled grid, black on white, days as columns: what a phone photo of a clean print looks like."""
    from PIL import Image, ImageDraw, ImageFont

    col_w, row_h, margin = 150 * scale, 44 * scale, 40 * scale
    rows = _cells()
    width = int(2 * margin + col_w * len(rows[0]))
    height = int(2 * margin + row_h * (len(rows) + 1))
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(ImageFont, int(15 * scale))
    draw.text((margin, margin / 2), f"Teacher: {TEACHER}", font=font, fill="black")
    top = margin + row_h
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            x, y = margin + c * col_w, top + r * row_h
            draw.rectangle([x, y, x + col_w, y + row_h], outline=(40, 40, 40), width=max(1, int(scale)))
            draw.text((x + col_w / 2, y + row_h / 2), text, font=font, fill="black", anchor="mm")
    image.save(path)
    return path


def _font(image_font: object, size: int) -> object:
    for name in FONTS:
        try:
            return image_font.truetype(name, size)  # type: ignore[attr-defined]
        except OSError:
            continue
    return image_font.load_default(size=size)  # type: ignore[attr-defined]


def timetable_pdf(path: Path) -> Path:
    """A one-page PDF with a text layer (Helvetica) and drawn rules, as office software prints."""
    col_w, row_h, margin, height = 120.0, 30.0, 40.0, 400.0
    rows = _cells()
    ops = ["0.5 w", f"BT /F1 11 Tf {margin:.0f} {height - margin:.0f} Td (Teacher: {TEACHER}) Tj ET"]
    top = margin + row_h
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            x, y = margin + c * col_w, top + r * row_h
            ops.append(f"{x:.1f} {height - y - row_h:.1f} {col_w:.1f} {row_h:.1f} re S")
            ops.append(f"BT /F1 10 Tf {x + 8:.1f} {height - y - row_h / 2 - 3:.1f} Td ({text}) Tj ET")
    width = 2 * margin + col_w * len(rows[0])
    _write_pdf(path, width, height, "\n".join(ops).encode("latin-1"))
    return path


def _write_pdf(path: Path, width: float, height: float, stream: bytes) -> None:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.0f} {height:.0f}] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def timetable_docx(path: Path) -> Path:
    """A Word file holding the grid as a table."""
    from docx import Document

    document = Document()
    document.add_paragraph(f"Teacher: {TEACHER}")
    rows = _cells()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


def not_a_timetable(path: Path) -> Path:
    """Bytes no reader or engine can make sense of, under a document's name: for the error checks."""
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    return path


def write_samples(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "png": timetable_png(folder / "timetable.png"),
        "pdf": timetable_pdf(folder / "timetable.pdf"),
        "docx": timetable_docx(folder / "timetable.docx"),
        "broken": not_a_timetable(folder / "broken.pdf"),
    }
