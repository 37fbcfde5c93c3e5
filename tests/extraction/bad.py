"""Bad input for tests and the benchmark: turned pages, tiny and huge images, a blank page, a letter
and handwriting-like scribble. Each is a file a teacher might upload by mistake."""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.extraction import gen

LETTER = """Dear Parents and Carers,

We are delighted to welcome you back after the half-term holiday. Please remember that
the school gates open at a quarter past eight and that children should bring a coat,
a water bottle and their reading record every day.

Our autumn fair takes place in the main hall. Volunteers are very welcome; please
speak to the office if you can help with the cake stall or the raffle.

With best wishes,
The Head Teacher"""


def turned(path: Path, degrees: int) -> Path:
    """The clean timetable PNG turned by 90, 180 or 270 degrees (a page scanned sideways)."""
    src = gen.table_png(gen.Spec(), path.with_name("upright.png"))
    Image.open(src).rotate(degrees, expand=True, fillcolor="white").save(path)
    return path


def tiny(path: Path, width: int = 260) -> Path:
    src = gen.table_png(gen.Spec(), path.with_name("full.png"))
    im = Image.open(src)
    im.resize((width, round(im.height * width / im.width)), Image.LANCZOS).save(path)
    return path


def huge(path: Path, megapixels: float = 50.0) -> Path:
    """A 50-megapixel JPEG (a camera at full resolution)."""
    src = gen.table_png(gen.Spec(), path.with_name("full.png"))
    im = Image.open(src).convert("RGB")
    s = math.sqrt(megapixels * 1e6 / (im.width * im.height))
    im.resize((round(im.width * s), round(im.height * s)), Image.BICUBIC).save(path, quality=85)
    return path


def blank(path: Path) -> Path:
    Image.new("RGB", (1700, 2200), "white").save(path)
    return path


def letter(path: Path) -> Path:
    im = Image.new("RGB", (1700, 2200), "white")
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(gen.FONT, 34)
    d.multiline_text((150, 200), LETTER, fill="black", font=font, spacing=18)
    im.save(path)
    return path


def letter_pdf(path: Path) -> Path:
    """The same letter as a text PDF (what a school office prints): words, but no lessons."""
    ops = [
        f"BT /F1 12 Tf 60 {780 - 18 * i} Td ({gen._pdf_escape(line)}) Tj ET"
        for i, line in enumerate(LETTER.splitlines())
    ]
    gen.write_pdf(path, 612, 842, "\n".join(ops).encode("latin-1"))
    return path


def scribble(path: Path, seed: int = 7) -> Path:
    """Handwriting-like strokes: connected loops in rows, no letters a machine can read."""
    rnd = random.Random(seed)
    im = Image.new("RGB", (1600, 1100), "white")
    d = ImageDraw.Draw(im)
    for row in range(9):
        x, y0 = 80.0, 120 + row * 100
        while x < 1500:
            pts = []
            for _ in range(rnd.randint(8, 25)):
                x += rnd.uniform(6, 14)
                pts.append((x, y0 + rnd.uniform(-22, 22) * math.sin(x / rnd.uniform(4, 9))))
            d.line(pts, fill=(20, 20, 90), width=4)
            x += rnd.uniform(25, 60)
    im.save(path)
    return path
