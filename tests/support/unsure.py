"""Readings the product is not sure of, so that documents wait for a check.

Two ways: ``unsure_png`` draws a timetable at test time (no stored file), a clean ruled grid
like core/plugin_kit's samples but with two lessons whose names are no subject the product knows, so
it scores below the platform's accept bar (0.98); ``unsure_scoring`` (and the ``unsure`` fixture)
plugs in a scorer that rates every reading low, so any document goes to review."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from core import hookimpl
from core.plugin_kit.samples import FONTS
from core.runtime import get_runtime

DAYS = ("Monday", "Tuesday", "Wednesday")
PERIODS = (("09:00", "10:00"), ("10:00", "11:00"), ("11:15", "12:15"))
SUBJECTS = (("Maths", "Zorbing", "Science"), ("History", "Art", "Music"), ("French", "Quidlet", "Physics"))
# (day, start, end, name) as printed; "Zorbing" and "Quidlet" are the doubtful ones.
LESSONS = [(day, s, e, SUBJECTS[d][p]) for d, day in enumerate(DAYS) for p, (s, e) in enumerate(PERIODS)]
UNKNOWN = ("Zorbing", "Quidlet")


def unsure_png(path: Path, scale: float = 2.0) -> Path:
    col_w, row_h, margin = 150 * scale, 44 * scale, 40 * scale
    rows = [["Time", *DAYS]] + [
        [f"{s}-{e}", *(SUBJECTS[d][p] for d in range(len(DAYS)))] for p, (s, e) in enumerate(PERIODS)
    ]
    image = Image.new(
        "RGB", (int(2 * margin + col_w * 4), int(2 * margin + row_h * (len(rows) + 1))), "white"
    )
    draw = ImageDraw.Draw(image)
    font = (
        next((f for f in (_font(n, int(15 * scale)) for n in FONTS) if f), None) or ImageFont.load_default()
    )
    draw.text((margin, margin / 2), "Teacher: Ms A. Sample", font=font, fill="black")
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            x, y = margin + c * col_w, margin + row_h + r * row_h
            draw.rectangle([x, y, x + col_w, y + row_h], outline=(40, 40, 40), width=int(scale))
            draw.text((x + col_w / 2, y + row_h / 2), text, font=font, fill="black", anchor="mm")
    image.save(path)
    return path


def _font(name: str, size: int) -> ImageFont.FreeTypeFont | None:
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return None


class UnsureScorer:
    """Scores every reading low, so that each document goes to review."""

    @hookimpl(tryfirst=True)
    def score_confidence(self, draft: object, read: object) -> float:
        return 0.42


@contextlib.contextmanager
def unsure_scoring() -> Iterator[None]:
    """The in-process app's plugins rate every reading 0.42 while the block runs."""
    plugin = UnsureScorer()
    get_runtime().plugins.register(plugin)
    try:
        yield
    finally:
        get_runtime().plugins.unregister(plugin)
