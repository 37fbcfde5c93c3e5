"""A course registration page captured small (a browser at 50% zoom) with the table's text
selected: white letters about 8 px high on a grey selection highlight, every cell framed on its
own with a few pixels of page between neighbouring frames (an HTML table's cell spacing).

What went wrong before: the highlight's letters touching its edge were whitened with the page
around it, the table's row borders were strings of short pieces that no rule finder took for a
rule, and a few garbled times kept the time column from being recognised; nothing was read."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bench.corpus_gen import FONT_DIR
from core.extract import extract_file
from plugins.preprocess_opencv.borders import join_cell_borders
from plugins.preprocess_opencv.highlight import invert_light_on_flat

COLUMNS = ["Course", "Title", "Type", "Day", "Time", "Venue"]
WIDTHS = [60, 150, 50, 40, 75, 80]  # px at 50% zoom
ROWS = [
    ["MA2001", "LINEAR ALGEBRA", "LEC", "MON", "0830-0920", "LT2"],
    ["", "", "TUT", "WED", "1430-1620", "TR+12"],
    ["CH1102", "ORGANIC CHEMISTRY", "LEC", "TUE", "1030-1120", "LT5"],
    ["", "", "LAB", "THU", "1300-1450", "Lab 3"],
    ["HW0110", "ACADEMIC WRITING", "TUT", "FRI", "1730-1820", "COLLAB 1"],
]
EXPECTED = {
    ("Monday", "08:30", "09:20", "LINEAR ALGEBRA"),
    ("Wednesday", "14:30", "16:20", "LINEAR ALGEBRA"),
    ("Tuesday", "10:30", "11:20", "ORGANIC CHEMISTRY"),
    ("Thursday", "13:00", "14:50", "ORGANIC CHEMISTRY"),
    ("Friday", "17:30", "18:20", "ACADEMIC WRITING"),
}
PAGE, FRAME, HIGHLIGHT = 249, 110, 176
SPACING, ROW_H = 3, 34


def _selected_table() -> Image.Image:
    """The table as a browser paints it at 50% zoom with all its text selected."""
    font = ImageFont.truetype(FONT_DIR + "DejaVuSans.ttf", 10)
    width = sum(WIDTHS) + SPACING * (len(WIDTHS) + 1) + 40
    im = Image.new("L", (width, 60 + (len(ROWS) + 1) * (ROW_H + SPACING)), PAGE)
    dr = ImageDraw.Draw(im)
    for r, row in enumerate([COLUMNS, *ROWS]):
        y = 30 + r * (ROW_H + SPACING)
        x = 20 + SPACING
        for w, text in zip(WIDTHS, row, strict=True):
            dr.rectangle([x, y, x + w, y + ROW_H], outline=FRAME)  # each cell framed on its own
            if text:
                left, top, right, bottom = dr.textbbox((x + 3, y + 12), text, font=font)
                dr.rectangle([left - 1, y + 10, right + 1, y + 24], fill=HIGHLIGHT)
                dr.text((x + 3, y + 12), text, font=font, fill=255)
            x += w + SPACING
    return im


def test_selected_text_in_a_small_screenshot_reads_every_lesson(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "registered.png"
    _selected_table().convert("RGB").save(path)
    out = extract_file(path, pm, registry)
    got = {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in out["timeblocks"]}
    assert got == EXPECTED


def test_letters_at_a_highlights_edge_are_kept() -> None:
    """A highlight whose first and last letters touch its ends and whose tall letters cut it
    into pieces: every letter comes out dark, not only the ones the pieces surround."""
    page = np.full((40, 200), PAGE, np.uint8)
    page[10:26, 20:120] = HIGHLIGHT
    im = Image.fromarray(page)
    ImageDraw.Draw(im).text(
        (20, 11), "DIGITAL", font=ImageFont.truetype(FONT_DIR + "DejaVuSans.ttf", 14), fill=255
    )
    page = np.asarray(im)
    out = invert_light_on_flat(page)
    letters = page[10:26, 20:120] > 230
    assert out[10:26, 20:120][letters].mean() < 80  # every letter dark, the first one too
    first = int(np.flatnonzero(letters.any(axis=0))[0])  # the first letter's stem
    assert out[10:26, 20 + first : 22 + first][letters[:, first : first + 2]].mean() < 80
    assert np.median(out[10:26, 20:120]) > 230  # the highlight white


def test_framed_cells_borders_are_joined_into_rules() -> None:
    """Two cells framed apart by a 3-px gap: their top borders become one rule across both;
    words a space apart stay apart."""
    page = np.full((60, 300), 255, np.uint8)
    page[10, 10:140] = page[10, 143:290] = 0  # the two cells' top borders
    page[10:50, 10] = page[10:50, 139] = page[10:50, 143] = page[10:50, 289] = 0
    cv2.putText(page, "Mon  09:00", (20, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 1)
    out = join_cell_borders(page, 12.0)
    assert out[10, 10:290].max() == 0  # one rule now
    assert (out[15:48, 20:135] == page[15:48, 20:135]).all()  # the words untouched
