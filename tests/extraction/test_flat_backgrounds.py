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


def _amber_beside_orange() -> np.ndarray:
    """Two bright cells side by side in BGR, amber and orange, framed by grey rules: amber's grey
    (170) is the rules' grey, so in grey alone the rule between the cells is part of the amber."""
    page = np.full((160, 600, 3), 255, np.uint8)
    page[40:120, 40:300] = (0, 160, 255)  # amber
    page[40:120, 300:560] = (0, 124, 245)  # orange
    for x in (40, 299, 560):
        page[38:122, x - 1 : x + 2] = 170  # rules between and around the cells
    for y in (39, 120):
        page[y - 1 : y + 2, 38:562] = 170
    for x, word in ((60, "Break 10:20"), (320, "Drama R9")):
        cv2.putText(page, word, (x, 90), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (255, 255, 255), 2)
    return page


def test_rule_between_cells_of_another_colour_but_the_same_grey_is_kept() -> None:
    colour = _amber_beside_orange()
    grey = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY)
    out = invert_light_on_flat(grey, colour)
    assert out[45:115, 298:301].max() <= 100  # the rule between the cells stays a dark rule
    assert out[45:115, 36:44].min(axis=1).max() <= 170  # the table's edge beside the amber too
    assert np.median(out[45:115, 45:290]) > 240  # the amber is white now
    words = colour[60:100, 60:290].min(axis=2) > 230
    assert out[60:100, 60:290][words].mean() < 80  # and its white words dark


def test_bright_cells_whose_grey_is_the_rules_grey_keep_their_cells_apart(
    pm, registry, tmp_path: Path
) -> None:  # noqa: ANN001
    """Amber cells (grey 170, the rules' grey) beside orange, pink and purple ones: read in grey
    only, the rules between them were whitened and cells merged (F1 0.55 at confidence 0.92)."""
    path = gen_dark.make_dark_document(tmp_path, 0, "white_on_bright", "png", random.Random(7))
    truth = json.loads((tmp_path / "000_white_on_bright_png.truth.json").read_text())["timeblocks"]
    out = extract_file(path, pm, registry)
    assert f1(*match(out["timeblocks"], truth)) == 1.0
