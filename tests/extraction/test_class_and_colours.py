"""What OCR read is shown only when it is plausible: a class name made of specks ("A.Y¥1r") is
dropped rather than shown, and a photo's grey cell shading never becomes the lessons' colour.

The intermediate form (a page of words, rules and filled areas, as an OCR engine gives it) is
built in code and read by the real interpretation and validation."""

from __future__ import annotations

import pytest

from core.extraction.header import plausible_class, read_header
from core.extraction.interpret import interpret_pages
from core.extraction.model import DraftTimetable, FilledRect, Page, Rule, Word
from core.extraction.validate import validate_draft

DAYS = ["Monday", "Tuesday", "Wednesday"]
TIMES = ["09:00-10:00", "10:00-11:00", "11:00-12:00"]
LESSONS = [["Maths", "English", "Science"], ["Art", "Maths", "History"], ["English", "Art", "Maths"]]
CW, RH, TOP = 140.0, 60.0, 120.0


def _photo_page(header: list[str], shade: dict[str, str]) -> Page:
    """A ruled grid under `header` lines: times down the side, days across, each lesson's cell
    filled with shade[subject] (a photo gives greys; a printed PDF may give real colours)."""
    ncols, nrows = len(DAYS) + 1, len(TIMES) + 1
    rules = [Rule(0, TOP + r * RH, ncols * CW, TOP + r * RH) for r in range(nrows + 1)]
    rules += [Rule(c * CW, TOP, c * CW, TOP + nrows * RH) for c in range(ncols + 1)]
    words: list[Word] = []
    rects: list[FilledRect] = []

    def put(text: str, x: float, y: float) -> None:
        for k, part in enumerate(text.split()):
            x0 = x + sum(9 * len(p) + 8 for p in text.split()[:k])
            words.append(Word(part, x0, y - 8, x0 + 9 * len(part), y + 8, 0.85))

    for k, line in enumerate(header):
        put(line, 10, 20 + 30 * k)
    for c, day in enumerate(DAYS, start=1):
        put(day, c * CW + 10, TOP + RH / 2)
    for r, (times, row) in enumerate(zip(TIMES, LESSONS, strict=True), start=1):
        put(times, 10, TOP + r * RH + RH / 2)
        for c, name in enumerate(row, start=1):
            put(name, c * CW + 10, TOP + r * RH + RH / 2)
            x0, y0 = c * CW, TOP + r * RH
            rects.append(FilledRect(x0 + 2, y0 + 2, x0 + CW - 2, y0 + RH - 2, shade.get(name)))
    return Page(1, ncols * CW, TOP + nrows * RH, words, rules, rects, source="tesseract")


def _read(page: Page) -> DraftTimetable:
    draft, _ = validate_draft(interpret_pages([page]))
    assert len(draft.blocks) == 9, [(b.day, b.start_time, b.name) for b in draft.blocks]
    return draft


GREYS = {
    "Maths": "#c8c8c8",
    "English": "#f4f4f4",
    "Science": "#9a9a9a",
    "Art": "#e6e6e6",
    "History": "#ffffff",
}


def test_a_class_name_ocr_made_of_specks_is_dropped_not_shown() -> None:
    draft = _read(_photo_page(["Timetable Mr J. Okafor", "Class: A.Y¥1r Term 2 2026"], GREYS))
    assert draft.class_name is None
    assert (draft.teacher, draft.term, draft.year) == ("Mr J. Okafor", "2", 2026)


def test_a_plausible_class_name_is_kept() -> None:
    draft = _read(_photo_page(["Timetable Mr J. Okafor", "Class: 9C Term 2 2026"], GREYS))
    assert draft.class_name == "9C"


def test_a_later_line_names_the_class_when_the_first_is_garbled() -> None:
    draft = DraftTimetable()
    read_header(["Class: 7¥B", "Year 9 Blue set"], draft)
    assert draft.class_name == "Year 9"


@pytest.mark.parametrize(
    "junk",
    ["A.Y¥1r", "~~|_", "£7B", "A . Y 1 r", "lIlIl", "a1b2c3", "Сlass 9"],  # the last: Cyrillic С
)
def test_junk_is_no_class(junk: str) -> None:
    assert plausible_class(junk) is None


@pytest.mark.parametrize(
    "name",
    ["9C", "10X", "VII-C", "23S6H", "S1 MCA", "Year 4", "Année 5", "IV B.Tech I-Sem-CSE (IoT)",
     "Class III AI&ML-A, Semester V", "Information Technology, Semester/Section Second/I"],
)  # fmt: skip
def test_real_class_names_stay(name: str) -> None:
    assert plausible_class(name) == name


def test_a_photos_grey_shading_is_no_lesson_colour() -> None:
    draft = _read(_photo_page(["Class 9C"], GREYS))
    assert [b.color for b in draft.blocks] == [None] * 9  # the app then colours each subject


def test_a_documents_colours_are_kept_when_they_tell_subjects_apart() -> None:
    own = {
        "Maths": "#4472c4",
        "English": "#ed7d31",
        "Science": "#70ad47",
        "Art": "#ffc000",
        "History": "#5b9bd5",
    }
    draft = _read(_photo_page(["Class 9C"], own))
    assert {(b.name, b.color) for b in draft.blocks} == {(name, colour) for name, colour in own.items()}


def test_one_colour_for_every_subject_tells_nothing_and_is_dropped() -> None:
    draft = _read(_photo_page(["Class 9C"], dict.fromkeys(GREYS, "#dbe5f1")))
    assert {b.color for b in draft.blocks} == {None}
