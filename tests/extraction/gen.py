"""A small generator of timetable documents with known blocks, for tests.

One `Spec` (periods, cells with spans, break rows) is drawn as a ruled PNG (days as columns or
rows), a day-by-day list PNG, a DOCX with merged cells, a text PDF (written by hand: a minimal PDF
with Helvetica text and drawn rules) and a scanned PDF (the PNG embedded as an image).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@dataclass
class Spec:
    teacher: str = "Ms J. Rivera"
    class_name: str = "8B"
    # (start, end, label) per period; a label of "Break"/"Lunch" makes a break row across all days.
    periods: list[tuple[str, str, str]] = field(
        default_factory=lambda: [
            ("08:30", "09:20", "1"),
            ("09:20", "10:10", "2"),
            ("10:10", "10:30", "Break"),
            ("10:30", "11:20", "3"),
            ("11:20", "12:10", "4"),
            ("12:10", "13:00", "Lunch"),
            ("13:00", "13:50", "5"),
        ]
    )
    # (day index, first period, number of periods, subject, code); empty slots stay empty.
    cells: list[tuple[int, int, int, str, str]] = field(
        default_factory=lambda: [
            (0, 0, 1, "Maths", "7A"), (0, 1, 1, "English", "R12"), (0, 3, 2, "Science", "Lab 2"),
            (0, 6, 1, "History", "9C"),
            (1, 0, 2, "Art", "A1"), (1, 3, 1, "French", "R4"), (1, 4, 1, "Maths", "7A"),
            (2, 0, 1, "Music", "M1"), (2, 1, 1, "Geography", "R9"), (2, 6, 1, "Drama", "Hall"),
            (3, 0, 1, "Biology", "Lab 1"), (3, 3, 1, "Chemistry", "Lab 3"), (3, 4, 1, "Physics", "Lab 4"),
            (4, 0, 1, "Computing", "IT2"), (4, 1, 1, "English", "R12"), (4, 6, 1, "Sport", "Gym"),
        ]
    )  # fmt: skip

    def is_break(self, p: int) -> bool:
        return not self.periods[p][2].isdigit()

    def expected(self) -> set[tuple[str, str, str, str]]:
        out = set()
        for d, p, n, name, _ in self.cells:
            out.add((DAYS[d], self.periods[p][0], self.periods[p + n - 1][1], name))
        for p, (s, e, label) in enumerate(self.periods):
            if self.is_break(p):
                out |= {(day, s, e, label) for day in DAYS}
        return out

    # When set ("P{}", "{}"), the grid's header numbers its periods with this and their times are
    # printed in a legend under the grid ("Period 1: 08:30 - 09:20"), as many schools print them.
    legend_label: str | None = None

    def grid(self) -> dict[tuple[int, int], tuple[int, str, str]]:
        """(day, period) -> (span, name, code) at the first period of each cell."""
        return {(d, p): (n, name, code) for d, p, n, name, code in self.cells}

    def covered(self) -> set[tuple[int, int]]:
        return {(d, p + k) for d, p, n, _, _ in self.cells for k in range(1, n)}


# ---- drawing primitives shared by the PNG and PDF backends ---------------------------------------


@dataclass
class Canvas:
    width: float
    height: float
    texts: list[tuple[float, float, str, float, bool]] = field(default_factory=list)  # cx, cy, s, size, bold
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)
    fills: list[tuple[float, float, float, float, int]] = field(default_factory=list)  # grey level


def _table_canvas(spec: Spec, days_cols: bool) -> Canvas:
    cw, ch, x0, y0 = 150.0, 56.0, 30.0, 110.0
    np_, nd = len(spec.periods), len(DAYS)
    ncols, nrows = (nd + 1, np_ + 1) if days_cols else (np_ + 1, nd + 1)
    cv = Canvas(x0 * 2 + cw * ncols, y0 + ch * nrows + 40)
    cv.texts.append((x0 + 160, 45, f"Timetable - {spec.teacher}", 22, True))
    cv.texts.append((x0 + 100, 80, f"Class {spec.class_name} · Term 1 2026", 15, False))

    def box(r: int, c: int, r1: int, c1: int) -> tuple[float, float, float, float]:
        return x0 + c * cw, y0 + r * ch, x0 + c1 * cw, y0 + r1 * ch

    def cell_text(bx: tuple[float, float, float, float], lines: list[tuple[str, float, bool]]) -> None:
        cx, cy = (bx[0] + bx[2]) / 2, (bx[1] + bx[3]) / 2
        top = cy - (len(lines) - 1) * 10
        for i, (s, size, bold) in enumerate(lines):
            cv.texts.append((cx, top + i * 20, s, size, bold))

    def rect(bx: tuple[float, float, float, float]) -> None:
        a, b, c, d = bx
        cv.lines += [(a, b, c, b), (a, d, c, d), (a, b, a, d), (c, b, c, d)]

    # (row, col) in the drawn table for day d, period p
    def at(d: int, p: int) -> tuple[int, int]:
        return (p + 1, d + 1) if days_cols else (d + 1, p + 1)

    rect(box(0, 0, 1, 1))
    cell_text(box(0, 0, 1, 1), [("Time" if days_cols else "Day", 14, True)])
    for d, day in enumerate(DAYS):
        r, c = (0, d + 1) if days_cols else (d + 1, 0)
        rect(box(r, c, r + 1, c + 1))
        cell_text(box(r, c, r + 1, c + 1), [(day, 14, True)])
    for p, (s, e, label) in enumerate(spec.periods):
        r, c = (p + 1, 0) if days_cols else (0, p + 1)
        rect(box(r, c, r + 1, c + 1))
        lines = [(f"{s} - {e}", 12, False)]
        if spec.legend_label:
            lines = [(spec.legend_label.format(label) if label.isdigit() else label, 14, True)]
        elif label.isdigit():
            lines.insert(0, (f"Period {label}", 13, True))
        cell_text(box(r, c, r + 1, c + 1), lines)
    if spec.legend_label:
        _legend(cv, spec, x0, y0 + ch * nrows + 30)
    grid, covered = spec.grid(), spec.covered()
    for p in range(len(spec.periods)):
        if spec.is_break(p):
            r, c = at(0, p)
            r1, c1 = (r + 1, nd + 1) if days_cols else (nd + 1, c + 1)
            bx = box(r, c, r1, c1)
            cv.fills.append((*bx, 230))
            rect(bx)
            cell_text(bx, [(spec.periods[p][2], 14, True)])
            continue
        for d in range(nd):
            if (d, p) in covered:
                continue
            r, c = at(d, p)
            n, name, code = grid.get((d, p), (1, "", ""))
            r1, c1 = (r + n, c + 1) if days_cols else (r + 1, c + n)
            bx = box(r, c, r1, c1)
            rect(bx)
            if name:
                cell_text(bx, [(name, 14, True), (code, 12, False)])
    return cv


def _legend(cv: Canvas, spec: Spec, x: float, y: float) -> None:
    """The periods' times, three to a line, under the grid."""
    for i, (s, e, label) in enumerate(spec.periods):
        name = f"Period {label}" if label.isdigit() else label
        cv.texts.append((-(x + (i % 3) * 260), y + (i // 3) * 26, f"{name}: {s} - {e}", 13, False))
    cv.height += 26 * ((len(spec.periods) + 2) // 3) + 30


def _list_canvas(spec: Spec) -> Canvas:
    lines: list[tuple[float, str, float, bool, float]] = []  # y, text, size, bold, x
    y = 50.0
    lines.append((y, f"Timetable - {spec.teacher}", 22, True, 30))
    y += 35
    lines.append((y, f"Class {spec.class_name} · Term 1 2026", 15, False, 30))
    y += 45
    for d, day in enumerate(DAYS):
        lines.append((y, day, 16, True, 30))
        y += 28
        rows = [(p, n, name, code) for dd, p, n, name, code in spec.cells if dd == d]
        rows += [(p, 1, spec.periods[p][2], "") for p in range(len(spec.periods)) if spec.is_break(p)]
        for p, n, name, code in sorted(rows):
            s, e = spec.periods[p][0], spec.periods[p + n - 1][1]
            lines.append((y, f"{s} - {e}", 14, False, 30))
            lines.append((y, f"{name} ({code})" if code else name, 14, False, 230))
            y += 24
        y += 16
    cv = Canvas(600, y + 30)
    for y, s, size, bold, x in lines:
        cv.texts.append((-x, y, s, size, bold))  # negative x: left-aligned at |x|
    return cv


def _font(size: float, bold: bool, scale: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_BOLD if bold else FONT, round(size * scale))


def _render_png(cv: Canvas, scale: float = 1.5) -> Image.Image:
    im = Image.new("RGB", (round(cv.width * scale), round(cv.height * scale)), "white")
    dr = ImageDraw.Draw(im)
    for a, b, c, d, g in cv.fills:
        dr.rectangle([a * scale, b * scale, c * scale, d * scale], fill=(g, g, g))
    for a, b, c, d in cv.lines:
        dr.line([a * scale, b * scale, c * scale, d * scale], fill=(60, 60, 60), width=max(1, round(scale)))
    for cx, cy, s, size, bold in cv.texts:
        f = _font(size, bold, scale)
        anchor = "lm" if cx < 0 else "mm"
        dr.text((abs(cx) * scale, cy * scale), s, font=f, fill="black", anchor=anchor)
    return im


def write_pdf(path: Path, width: float, height: float, stream: bytes) -> None:
    """A one-page PDF with a text layer: the page's drawing ops, Helvetica (F1) and Helvetica-Bold (F2)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.0f} {height:.0f}] "
        "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    path.write_bytes(assemble_pdf(objs))


def assemble_pdf(objs: list[bytes]) -> bytes:
    """A PDF file of these objects (numbered from 1; object 1 the catalog) with its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _render_pdf(cv: Canvas, path: Path) -> None:
    """A minimal one-page PDF: Helvetica text, grey fills and drawn rules (no dependencies)."""
    h = cv.height
    ops = ["0.5 w"]
    for a, b, c, d, g in cv.fills:
        ops.append(f"{g / 255:.3f} g {a:.2f} {h - d:.2f} {c - a:.2f} {d - b:.2f} re f 0 g")
    for a, b, c, d in cv.lines:
        ops.append(f"{a:.2f} {h - b:.2f} m {c:.2f} {h - d:.2f} l S")
    for cx, cy, s, size, bold in cv.texts:
        s = s.replace("·", "-")  # WinAnsi only; keep the stream ASCII
        width = 0.5 * size * len(s)  # Helvetica averages about half an em per character
        x = abs(cx) if cx < 0 else cx - width / 2
        font = "F2" if bold else "F1"
        ops.append(f"BT /{font} {size} Tf {x:.2f} {h - cy - size * 0.35:.2f} Td ({_pdf_escape(s)}) Tj ET")
    stream = "\n".join(ops).encode("latin-1")
    write_pdf(path, cv.width, cv.height, stream)


# ---- public makers -------------------------------------------------------------------------------


def table_png(spec: Spec, path: Path, days_cols: bool = True, scale: float = 1.5) -> Path:
    _render_png(_table_canvas(spec, days_cols), scale).save(path)
    return path


def list_png(spec: Spec, path: Path, scale: float = 1.5) -> Path:
    _render_png(_list_canvas(spec), scale).save(path)
    return path


def table_pdf(spec: Spec, path: Path, days_cols: bool = True) -> Path:
    _render_pdf(_table_canvas(spec, days_cols), path)
    return path


def list_pdf(spec: Spec, path: Path) -> Path:
    _render_pdf(_list_canvas(spec), path)
    return path


def scan_pdf(spec: Spec, path: Path, days_cols: bool = True) -> Path:
    im = _render_png(_table_canvas(spec, days_cols), 2.0).rotate(0.8, fillcolor="white", expand=True)
    im.save(path, "PDF", resolution=144)
    return path


def table_docx(spec: Spec, path: Path, days_cols: bool = True) -> Path:
    from docx import Document

    doc = Document()
    doc.add_heading(f"Timetable - {spec.teacher}", 1)
    doc.add_paragraph(f"Class {spec.class_name}")
    np_, nd = len(spec.periods), len(DAYS)
    rows, cols = (np_ + 1, nd + 1) if days_cols else (nd + 1, np_ + 1)
    t = doc.add_table(rows=rows, cols=cols)
    t.style = "Table Grid"

    def at(d: int, p: int) -> tuple[int, int]:
        return (p + 1, d + 1) if days_cols else (d + 1, p + 1)

    t.cell(0, 0).text = "Time"
    for d, day in enumerate(DAYS):
        r, c = (0, d + 1) if days_cols else (d + 1, 0)
        t.cell(r, c).text = day[:3]
    for p, (s, e, _) in enumerate(spec.periods):
        r, c = (p + 1, 0) if days_cols else (0, p + 1)
        t.cell(r, c).text = f"{s} - {e}"
    for p in range(np_):
        if spec.is_break(p):
            r, c = at(0, p)
            r1, c1 = at(nd - 1, p)
            cell = t.cell(r, c).merge(t.cell(r1, c1))
            cell.text = spec.periods[p][2]
    for d, p, n, name, code in spec.cells:
        r, c = at(d, p)
        r1, c1 = at(d, p + n - 1)
        cell = t.cell(r, c).merge(t.cell(r1, c1)) if n > 1 else t.cell(r, c)
        cell.text = name
        cell.paragraphs[0].add_run().add_break()
        cell.paragraphs[0].add_run(code)
    doc.save(path)
    return path


def list_docx(spec: Spec, path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_heading(f"Timetable - {spec.teacher}", 1)
    doc.add_paragraph(f"Class {spec.class_name}")
    for d, day in enumerate(DAYS):
        doc.add_heading(day, 2)
        rows = [(p, n, name, code) for dd, p, n, name, code in spec.cells if dd == d]
        rows += [(p, 1, spec.periods[p][2], "") for p in range(len(spec.periods)) if spec.is_break(p)]
        for p, n, name, code in sorted(rows):
            s, e = spec.periods[p][0], spec.periods[p + n - 1][1]
            doc.add_paragraph(f"{s} - {e}\t{name}" + (f" ({code})" if code else ""))
    doc.save(path)
    return path
