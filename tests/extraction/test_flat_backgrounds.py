"""White text on flat mid-tone backgrounds, a screenshot's: bright coloured cells of a school
system's export and a browser's grey selection highlight. Too light for the dark-background
inversion, they lost their text to binarisation before they were repainted."""

from __future__ import annotations

import json
import random
from pathlib import Path

import cv2
import numpy as np

from bench import gen_dark
from bench.scoring import f1, match
from core.extract import extract_file
from plugins.preprocess_opencv.highlight import invert_light_on_flat


def test_white_text_on_bright_cells_reads_every_lesson(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    path = gen_dark.make_dark_document(tmp_path, 0, "white_on_bright", "png", random.Random(3))
    truth = json.loads((tmp_path / "000_white_on_bright_png.truth.json").read_text())["timeblocks"]
    out = extract_file(path, pm, registry)
    assert f1(*match(out["timeblocks"], truth)) == 1.0


def _highlighted_page() -> np.ndarray:
    """A white page, a dark rule, and a grey highlight band with white words on it."""
    page = np.full((200, 500), 250, np.uint8)
    page[20:22, :] = 90  # a table's rule above the band
    page[60:100, 40:460] = 176
    cv2.putText(page, "CALCULUS 1430-1620", (50, 90), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 255, 2)
    return page


def test_highlight_is_repainted_dark_text_on_white() -> None:
    page = _highlighted_page()
    out = invert_light_on_flat(page)
    band = out[62:98, 45:455]
    words = page[62:98, 45:455] > 230  # where the white letters were
    assert band[words].mean() < 60  # the letters are dark now
    assert np.median(band[~words]) > 240  # and the highlight is white
    assert out[20:22, 100:400].max() <= 90  # the rule is still there


def test_dark_print_on_grey_cells_and_plain_pages_are_left_alone() -> None:
    cell = np.full((200, 500), 250, np.uint8)
    cell[60:100, 40:460] = 190
    cv2.putText(cell, "Maths 09:00", (50, 90), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 20, 2)
    assert invert_light_on_flat(cell) is cell  # black print on a grey cell is not light text
    plain = np.full((200, 500), 255, np.uint8)
    cv2.putText(plain, "Maths 09:00", (50, 90), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2)
    assert invert_light_on_flat(plain) is plain
