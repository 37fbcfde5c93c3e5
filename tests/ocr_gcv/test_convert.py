"""Vision answers the fake does not give: normalised vertices, tilted text, missing confidences."""

from __future__ import annotations

import pytest
from google.cloud import vision

from plugins.ocr_gcv.convert import words_from

SPACE = {"detected_break": {"type_": vision.TextAnnotation.DetectedBreak.BreakType.SPACE}}


def _word(text: str, vertices: list[tuple[int, int]], confidence: float = 0.0, glued: bool = False) -> dict:
    symbols = [{"text": ch} for ch in text]
    if not glued:
        symbols[-1]["property"] = SPACE
    return {
        "bounding_box": {"vertices": [{"x": x, "y": y} for x, y in vertices]},
        "symbols": symbols,
        "confidence": confidence,
    }


def _annotation(
    words: list[dict], page: dict | None = None, paragraph_confidence: float = 0.0
) -> vision.TextAnnotation:
    return vision.TextAnnotation(
        pages=[
            {
                "width": 1000,
                "height": 500,
                "blocks": [{"paragraphs": [{"words": words, "confidence": paragraph_confidence}]}],
                **(page or {}),
            }
        ]
    )


def test_tilted_word_gets_the_box_around_its_vertices() -> None:
    # Vision lists vertices from the text's own top-left: a word turned 90 degrees starts bottom-left.
    (word,) = words_from(
        _annotation([_word("Maths", [(10, 90), (10, 20), (30, 20), (30, 90)], 0.8)]), 1000, 500
    )
    assert (word.x0, word.y0, word.x1, word.y1, word.confidence) == (10, 20, 30, 90, pytest.approx(0.8))


def test_normalised_vertices() -> None:
    word = _word("Art", [])
    word["bounding_box"] = {"normalized_vertices": [{"x": 0.1, "y": 0.2}, {"x": 0.3, "y": 0.2},
                                                    {"x": 0.3, "y": 0.4}, {"x": 0.1, "y": 0.4}]}  # fmt: skip
    (out,) = words_from(_annotation([word]), 1000, 500)
    assert (out.x0, out.y0, out.x1, out.y1) == pytest.approx((100, 100, 300, 200))


def test_confidence_falls_back_to_the_paragraph_then_unknown() -> None:
    box = [(0, 0), (10, 0), (10, 10), (0, 10)]
    (word,) = words_from(_annotation([_word("A", box)], paragraph_confidence=0.6), 1000, 500)
    assert word.confidence == pytest.approx(0.6)
    (word,) = words_from(_annotation([_word("A", box)]), 1000, 500)
    assert word.confidence == 1.0  # the model's "not given"


def test_boxes_scale_from_the_size_vision_read_and_stay_on_the_image() -> None:
    words = [_word("Big", [(-5, 10), (600, 10), (600, 40), (-5, 40)], 0.9)]
    (word,) = words_from(_annotation(words, {"width": 500, "height": 250}), 1000, 500)
    assert (word.x0, word.y0, word.x1, word.y1) == (0, 20, 1000, 80)  # doubled, clipped at the edges


def test_a_glued_word_wrapped_to_the_next_line_is_not_joined() -> None:
    words = [
        _word("Home", [(0, 0), (50, 0), (50, 20), (0, 20)], 0.9, glued=True),
        _word("room", [(0, 30), (50, 30), (50, 50), (0, 50)], 0.9),
    ]
    assert [w.text for w in words_from(_annotation(words), 1000, 500)] == ["Home", "room"]
