"""Documents that once crashed or stalled extraction: each must end in a result, never an error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bench import gen_records
from core.extract import extract_file
from core.extraction.daytime import find_range
from core.plugins import EngineRegistry, make_plugin_manager
from plugins.preprocess_opencv.plugin import clear_speckle
from tests.extraction.gen import FONT


def test_a_range_whose_end_has_no_afternoon_reading_is_kept_as_read() -> None:
    assert find_range("11:30 - 0:30") == ("11:30", "00:30", 0, 12)


def test_one_row_per_lesson_images_with_misread_columns_are_read_without_error(tmp_path: Path) -> None:
    """Generated class lists whose OCR loses a day or time column (these raised IndexError and
    TypeError once): every one gives a result."""
    pm = make_plugin_manager()
    registry = EngineRegistry.from_plugins(pm)
    for path in gen_records.make_corpus(tmp_path, n=4, seed=1)[2:]:  # the two images
        result = extract_file(path, pm, registry)
        assert 0.0 <= result["confidence"] <= 1.0


def test_texture_turned_to_specks_is_cleared_and_print_kept() -> None:
    page = Image.new("L", (1200, 600), 255)
    font = ImageFont.truetype(FONT, 30)
    ImageDraw.Draw(page).text((100, 80), "Monday 08:30 - 09:20 Maths, Religion", font=font, fill=0)
    binary = np.asarray(page).copy()
    rng = np.random.default_rng(1)
    desk = rng.random((300, 1200)) < 0.12  # a desk binarised into specks below the sheet
    binary[300:][desk] = 0
    cleared = clear_speckle(binary, glyph=24.0)
    assert (cleared[300:] == 0).mean() < 0.001  # the desk is white
    assert np.array_equal(cleared[:300], binary[:300])  # the print, dot of the "i" included, untouched
