"""Documents that plainly hold a table of text but give no lessons to place, made in code: a ruled
grid of day names and subjects with no times (and the same with the school's bell times printed
under it, joined to no period), and a text PDF of period times with no days."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.extraction import gen

SUBJECTS = ["Maths", "English", "Science", "History", "Art", "French", "Music", "Drama"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def days_without_times_png(path: Path) -> Path:
    """A ruled week of 6 rows and 6 columns: day names across, numbered periods down, subjects in
    the cells, and no time anywhere, so no lesson has a start or an end to place it by."""
    cw, ch, x0, y0 = 170, 70, 40, 40
    image = Image.new("RGB", (x0 * 2 + cw * 6, y0 * 2 + ch * 6), "white")
    draw = ImageDraw.Draw(image)
    bold, plain = ImageFont.truetype(gen.FONT_BOLD, 24), ImageFont.truetype(gen.FONT, 24)
    for r in range(7):
        draw.line([(x0, y0 + r * ch), (x0 + 6 * cw, y0 + r * ch)], fill="black", width=2)
    for c in range(7):
        draw.line([(x0 + c * cw, y0), (x0 + c * cw, y0 + 6 * ch)], fill="black", width=2)

    def put(r: int, c: int, text: str, font: ImageFont.FreeTypeFont) -> None:
        draw.text((x0 + c * cw + cw / 2, y0 + r * ch + ch / 2), text, font=font, fill="black", anchor="mm")

    for d, day in enumerate(DAYS):
        put(0, d + 1, day, bold)
    for p in range(5):
        put(p + 1, 0, f"Period {p + 1}", bold)
        for d in range(5):
            put(p + 1, d + 1, SUBJECTS[(p * 3 + d) % len(SUBJECTS)], plain)
    image.save(path)
    return path


def times_without_days_pdf(path: Path) -> Path:
    """A text PDF of one day's periods with their times and subjects, which never says which day."""
    rows = [("Period", "Time", "Subject", "Room")] + [
        (str(p + 1), f"{8 + p}:00 - {8 + p}:50", SUBJECTS[p], f"R{10 + p}") for p in range(6)
    ]
    ops = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            ops.append(f"BT /F1 12 Tf {60 + 130 * c} {760 - 26 * r} Td ({gen._pdf_escape(text)}) Tj ET")
    gen.write_pdf(path, 612, 842, "\n".join(ops).encode("latin-1"))
    return path


BELL_TIMES = [
    ("08:30", "09:20"),
    ("09:25", "10:15"),
    ("10:35", "11:25"),
    ("11:30", "12:20"),
    ("13:10", "14:00"),
]


def days_with_bell_times_png(path: Path) -> Path:
    """The ruled week with no times in it, and under it the school day's bell times in two lines
    that name no period ("School day: 08:30 - 09:20   09:25 - 10:15 ..."), so none is a lesson's."""
    grid = Image.open(days_without_times_png(path))
    image = Image.new("RGB", (grid.width, grid.height + 120), "white")
    image.paste(grid, (0, 0))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(gen.FONT, 22)
    times = [f"{start} - {end}" for start, end in BELL_TIMES]
    draw.text((40, grid.height + 10), "School day: " + "   ".join(times[:3]), font=font, fill="black")
    draw.text((40, grid.height + 50), "   ".join(times[3:]), font=font, fill="black")
    image.save(path)
    return path
