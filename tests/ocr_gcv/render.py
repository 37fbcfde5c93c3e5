"""A small ruled timetable drawn with PIL, with the box of every word drawn on it.

The fake Vision service answers with these words, so tests know exactly what a perfect reading of
the image is, where each word is, and which timeblocks interpretation must find.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
PERIODS = [("08:30", "09:20"), ("09:20", "10:10"), ("10:30", "11:20"), ("11:20", "12:10")]
# (day, period) -> subject
SUBJECTS = {
    (0, 0): "Maths", (0, 1): "English", (0, 2): "Science", (0, 3): "History",
    (1, 0): "Art", (1, 1): "French", (1, 2): "Maths", (1, 3): "Music",
    (2, 0): "Geography", (2, 1): "Maths", (2, 2): "Drama", (2, 3): "English",
    (3, 0): "Biology", (3, 1): "Chemistry", (3, 2): "Physics", (3, 3): "Maths",
    (4, 0): "Computing", (4, 1): "English", (4, 2): "Sport", (4, 3): "Science",
}  # fmt: skip
TITLE = "Ms J. Rivera - Class 8B"
FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@dataclass(frozen=True)
class Token:
    """One space-separated word as drawn: its text and ink box in image pixels."""

    text: str
    x0: int
    y0: int
    x1: int
    y1: int


@dataclass(frozen=True)
class Text:
    """One drawn string (a cell or the title): Vision reads each as a block of one paragraph."""

    tokens: tuple[Token, ...]


@dataclass
class Rendered:
    image: Image.Image
    texts: list[Text]
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont

    @property
    def tokens(self) -> list[Token]:
        return [t for text in self.texts for t in text.tokens]

    def bgr(self) -> np.ndarray:
        return np.ascontiguousarray(np.asarray(self.image.convert("RGB"))[:, :, ::-1])

    def save(self, path: Path) -> Path:
        self.image.save(path)
        return path


def expected_blocks() -> set[tuple[str, str, str, str]]:
    return {(DAYS[d], PERIODS[p][0], PERIODS[p][1], name) for (d, p), name in SUBJECTS.items()}


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _draw_text(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, cx: float, cy: float, s: str) -> Text:
    """Draw `s` centred on (cx, cy), word by word, and return each word's ink box."""
    space = draw.textlength(" ", font=font)
    widths = [draw.textlength(w, font=font) for w in s.split()]
    x = cx - (sum(widths) + space * (len(widths) - 1)) / 2
    y = cy - font.size * 0.6
    tokens = []
    for word, width in zip(s.split(), widths, strict=True):
        draw.text((x, y), word, fill=0, font=font)
        tokens.append(Token(word, *draw.textbbox((x, y), word, font=font)))
        x += width + space
    return Text(tuple(tokens))


def render_timetable(font_size: int = 22) -> Rendered:
    font = _font(font_size)
    col_w, time_w, row_h, top, left = 170, 200, 70, 110, 40
    width = left + time_w + col_w * len(DAYS) + 40
    height = top + row_h * (len(PERIODS) + 1) + 40
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    texts = [_draw_text(draw, font, width / 2, 50, TITLE)]
    xs = [left, left + time_w] + [left + time_w + col_w * (i + 1) for i in range(len(DAYS))]
    ys = [top + row_h * i for i in range(len(PERIODS) + 2)]
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=2)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)

    def centre(col: int, row: int) -> tuple[float, float]:
        return (xs[col] + xs[col + 1]) / 2, (ys[row] + ys[row + 1]) / 2

    texts.append(_draw_text(draw, font, *centre(0, 0), "Time"))
    for d, day in enumerate(DAYS):
        texts.append(_draw_text(draw, font, *centre(d + 1, 0), day))
    for p, (start, end) in enumerate(PERIODS):
        texts.append(_draw_text(draw, font, *centre(0, p + 1), f"{start}-{end}"))
        for d in range(len(DAYS)):
            texts.append(_draw_text(draw, font, *centre(d + 1, p + 1), SUBJECTS[(d, p)]))
    return Rendered(image, texts, font)
