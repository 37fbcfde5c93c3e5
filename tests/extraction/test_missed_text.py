"""Tesseract's second look at ink its sparse pass left unread in empty ruled cells."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from plugins.ocr_tesseract.plugin import TesseractEngine
from tests.extraction.gen import FONT_BOLD


def ruled_page(draw_cells) -> np.ndarray:  # noqa: ANN001 (a function drawing into the grid)
    im = Image.new("L", (900, 520), 255)
    dr = ImageDraw.Draw(im)
    for x in (40, 200, 360, 520, 680, 840):
        dr.line([x, 40, x, 480], fill=0, width=2)
    for y in (40, 120, 200, 280, 360, 440, 480):
        dr.line([40, y, 840, y], fill=0, width=2)
    draw_cells(im, dr, ImageFont.truetype(FONT_BOLD, 26))
    return np.asarray(im)


def test_lone_digits_in_their_cells_are_read() -> None:
    def cells(_im, dr, font) -> None:  # noqa: ANN001
        for i, y in enumerate((80, 160, 240, 320, 400), start=1):
            dr.text((120, y), str(i), font=font, fill=0, anchor="mm")
            dr.text((280, y), "Maths", font=font, fill=0, anchor="mm")

    page = TesseractEngine().recognize(ruled_page(cells), 1)
    lone = sorted(w.text for w in page.words if w.x1 < 200)
    assert lone == ["1", "2", "3", "4", "5"]


def test_a_word_set_down_a_merged_column_is_read_where_it_stands() -> None:
    def cells(im, dr, font) -> None:  # noqa: ANN001
        dr.rectangle([362, 42, 518, 478], fill=255)  # one merged cell down the middle column
        label = Image.new("L", (260, 40), 255)
        ImageDraw.Draw(label).text((130, 20), "LUNCH", font=font, fill=0, anchor="mm")
        im.paste(label.rotate(90, expand=True), (420, 130))
        for y in (80, 160, 240, 320, 400):
            dr.text((280, y), "Physics", font=font, fill=0, anchor="mm")

    page = TesseractEngine().recognize(ruled_page(cells), 1)
    lunch = [w for w in page.words if w.text == "LUNCH"]
    assert len(lunch) == 1
    assert lunch[0].x0 >= 360 and lunch[0].x1 <= 520  # in the merged column, not beside it
