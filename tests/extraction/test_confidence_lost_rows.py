"""A grid whose first or last day lost its name gives no lessons for that day: the reading is
partial, and its confidence says how much (core/extraction/table.py `_lost_day_cells`)."""

from __future__ import annotations

from collections.abc import Callable

from core.extraction.confidence import DOUBT_CAP, confidence
from core.extraction.interpret import interpret_pages
from core.extraction.model import Page, Rule, Word

ACCEPT = 0.98
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
PERIODS = [("08:00", "09:00"), ("09:00", "10:00"), ("10:00", "11:00"), ("11:00", "12:00")]
SUBJECTS = ["Maths", "English", "Physics", "History", "Biology"]


def _grid(labels: list[str], text: Callable[[int, int], str] | None = None) -> Page:
    """A ruled text-layer grid, days as rows under a header of period times."""
    text = text or (lambda r, c: SUBJECTS[(r + c) % len(SUBJECTS)])
    heads = [f"{s}-{e}" for s, e in PERIODS]
    x0, y0, cw, rh = 40.0, 40.0, 110.0, 40.0
    ncols, nrows = len(heads) + 1, len(labels) + 1
    rules = [Rule(x0 + c * cw, y0, x0 + c * cw, y0 + nrows * rh) for c in range(ncols + 1)]
    rules += [Rule(x0, y0 + r * rh, x0 + ncols * cw, y0 + r * rh) for r in range(nrows + 1)]
    words: list[Word] = []

    def put(s: str, c: int, r: int) -> None:
        x = x0 + c * cw + 5
        for tok in s.split():
            w = 6.0 * len(tok)
            words.append(Word(tok, x, y0 + r * rh + 12, x + w, y0 + r * rh + 24))
            x += w + 4

    for c, head in enumerate(heads, 1):
        put(head, c, 0)
    for r, label in enumerate(labels, 1):
        put(label, 0, r)
        for c in range(1, len(PERIODS) + 1):
            put(text(r, c), c, r)
    return Page(number=1, width=800, height=600, words=words, rules=rules, source="pdf_text")


def test_a_whole_grid_is_accepted() -> None:
    draft = interpret_pages([_grid(DAYS)])
    assert len(draft.blocks) == 20
    assert confidence(draft) >= ACCEPT


def test_a_last_day_whose_name_was_lost_is_doubted_in_proportion() -> None:
    draft = interpret_pages([_grid([*DAYS[:4], "Qxzpt"])])
    assert len(draft.blocks) == 16  # Friday's row gave nothing
    assert draft.stats["coverage"] < 0.98
    # 16 of 20 lessons read: no higher than the F1 of such a reading (32 / 36).
    assert confidence(draft) <= min(DOUBT_CAP, 32 / 36 + 1e-4)


def test_a_first_day_whose_name_was_lost_is_doubted() -> None:
    draft = interpret_pages([_grid(["Qxzpt", *DAYS[1:]])])
    assert len(draft.blocks) == 16
    assert confidence(draft) < ACCEPT


def test_two_lost_days_cost_more_than_one() -> None:
    one = confidence(interpret_pages([_grid([*DAYS[:4], "Qxzpt"])]))
    two = confidence(interpret_pages([_grid([*DAYS[:3], "Qxzpt", "Wvqrk"])]))
    assert two < one


def test_a_row_of_notes_under_the_grid_is_no_lost_day() -> None:
    # One note under the week (a row labelled "Notes"): sparser than any day, so not a day lost.
    def text(r: int, c: int) -> str:
        if r == len(DAYS) + 1:
            return "Assembly" if c == 1 else ""
        return SUBJECTS[(r + c) % len(SUBJECTS)]

    draft = interpret_pages([_grid([*DAYS, "Notes"], text)])
    assert len(draft.blocks) == 20
    assert confidence(draft) >= ACCEPT
