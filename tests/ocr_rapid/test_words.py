"""RapidOCR lines cut into words, without the model: the geometry and the confidences."""

from __future__ import annotations

import numpy as np

from plugins.ocr_rapid.words import line_words


def quad(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def with_chars(text: str, x0: float, step: float, gaps: dict[int, float] | None = None) -> list:
    """A line as RapidOCR returns it with per-character boxes; ``gaps`` adds space before a char."""
    boxes, x = [], x0
    for i, _ch in enumerate(text):
        x += (gaps or {}).get(i, 0.0)
        boxes.append(quad(x, 10, x + step, 30))
        x += step
    return [quad(x0, 10, x, 30), text, 0.9, boxes, list(text), [0.9] * len(text)]


def test_proportional_split_when_no_character_boxes() -> None:
    words = line_words([quad(0, 0, 130, 20), "Maths Room 12", 0.8], 1000, 1000)
    assert [w.text for w in words] == ["Maths", "Room", "12"]
    assert words[0].x0 == 0 and abs(words[0].x1 - 50) < 1e-6  # 5 of 13 characters
    assert words[2].x1 == 130
    assert all(w.confidence == 0.8 and w.y0 == 0 and w.y1 == 20 for w in words)


def test_character_boxes_give_word_boxes_and_confidences() -> None:
    line = with_chars("Further Maths", 100, 10)
    line[5] = [0.9] * 7 + [0.5] + [0.7] * 5  # the space, then "Maths"
    words = line_words(line, 1000, 1000)
    assert [(w.text, w.x0, w.x1) for w in words] == [("Further", 100, 170), ("Maths", 180, 230)]
    assert abs(words[0].confidence - 0.9) < 1e-9 and abs(words[1].confidence - 0.7) < 1e-9


def test_a_wide_gap_splits_words_the_recogniser_ran_together() -> None:
    words = line_words(with_chars("Class8B", 0, 10, gaps={5: 15}), 1000, 1000)
    assert [w.text for w in words] == ["Class", "8B"]
    # A small gap inside a word (coarse CTC columns) does not split it.
    assert [w.text for w in line_words(with_chars("Drama", 0, 10, gaps={3: 5}), 1000, 1000)] == ["Drama"]


def test_rule_leftovers_dropped_dashes_kept_boxes_inside_the_page() -> None:
    words = line_words([quad(-5, -3, 90, 25), "| Art -", 0.95], 80, 20)
    assert [w.text for w in words] == ["Art", "-"]
    for w in words:
        assert 0 <= w.x0 < w.x1 <= 80 and 0 <= w.y0 < w.y1 <= 20
        assert 0.0 <= w.confidence <= 1.0


def test_mismatched_character_boxes_fall_back_to_the_line_box() -> None:
    line = with_chars("Art", 0, 10)
    line[4] = ["A", "r"]  # fewer characters than the text: do not trust the boxes
    words = line_words(line, 1000, 1000)
    assert [(w.text, w.x0, w.x1) for w in words] == [("Art", 0, 30)]


def test_blank_columns_on_the_page_split_words_run_together() -> None:
    # "AbCd" read as one word with close boxes, but the page shows a blank between "Ab" and "Cd".
    grey = np.full((40, 200), 255, np.uint8)
    for x0 in (10, 30, 60, 80):  # letters 2 px apart, 12 px blank in the middle
        grey[12:28, x0 : x0 + 3] = grey[12:28, x0 + 15 : x0 + 18] = grey[19:21, x0 : x0 + 18] = 0  # "H"
    line = [quad(8, 10, 100, 30), "AbCd", 0.9, [(quad(x, 10, x + 20, 30)) for x in (9, 29, 55, 75)],
            list("AbCd"), [0.9] * 4]  # fmt: skip
    assert [w.text for w in line_words(line, 200, 40, grey)] == ["Ab", "Cd"]
    assert [w.text for w in line_words(line, 200, 40)] == ["AbCd"]  # no page: boxes only
    # Digits keep their wide margins: "10" stays whole.
    digits = [*line[:1], "1000", 0.9, line[3], list("1000"), [0.9] * 4]
    assert [w.text for w in line_words(digits, 200, 40, grey)] == ["1000"]


def test_big_pages_are_scaled_down_and_small_ones_left_alone() -> None:
    from plugins.ocr_rapid.plugin import _bounded

    grey = np.zeros((3000, 1000), np.uint8)
    out, scale = _bounded(grey, 2000)
    assert abs(scale - 2000 / 3000) < 1e-9 and max(out.shape) == 2000
    small, scale = _bounded(grey[:500], 2000)
    assert scale == 1.0 and small.shape == (500, 1000)
