"""Codes in the cells, names in a key beside the grid: lessons are called by the key's names and
keep their printed code in the notes. Pages are built in code."""

from __future__ import annotations

from core.extraction.interpret import interpret_pages
from core.extraction.model import DraftBlock, Page, Word
from core.extraction.subject_key import key_entries, name_from_key

CH, LH = 6.0, 10.0


def _page(lines: list[tuple[float, float, str]]) -> Page:
    words = []
    for x, y, text in lines:
        for token in text.split():
            words.append(Word(token, x, y, x + len(token) * CH, y + LH))
            x += (len(token) + 1) * CH
    return Page(1, 900, 900, words, [], [], source="pdf_text")


def _day_list(key: str) -> Page:
    rows = [(20, 20, "Monday")]
    y = 40.0
    for start, end, code in (("08:30", "09:20", "MA"), ("09:20", "10:10", "EN"), ("10:30", "11:20", "DT")):
        rows.append((20, y, f"{start} - {end} {code}"))
        y += 20
    rows.append((20, y, "Tuesday"))
    for start, end, code in (("08:30", "09:20", "EN"), ("09:20", "10:10", "MA")):
        y += 20
        rows.append((20, y, f"{start} - {end} {code}"))
    rows.append((20, y + 60, key))
    return _page(rows)


def test_lessons_printed_as_codes_take_the_names_of_the_key_and_keep_the_code() -> None:
    page = _day_list("Key: MA = Mathematics   EN = English   DT = Design Technology")
    blocks = interpret_pages([page]).blocks
    named = {(b.day, b.start_time, b.name, (b.notes or "").split()[0]) for b in blocks}
    assert ("Monday", "08:30", "Mathematics", "MA") in named
    assert ("Monday", "10:30", "Design Technology", "DT") in named
    assert ("Tuesday", "08:30", "English", "EN") in named
    assert len(blocks) == 5


def test_key_entries_read_several_on_a_line_and_leave_times_and_breaks_alone() -> None:
    page = _page([
        (20, 20, "CN: Computer Networks, OS - Operating Systems (Dr. Rao)"),
        (20, 40, "Period 1: 08:30 - 09:20"),
    ])  # fmt: skip
    assert key_entries([page]) == {"CN": "Computer Networks", "OS": "Operating Systems (Dr. Rao)"}
    blocks = [DraftBlock("Monday", "08:30", "09:20", "OS"), DraftBlock("Monday", "09:20", "10:10", "CN G1")]
    name_from_key(blocks, [page])
    assert [(b.name, b.notes) for b in blocks] == [
        ("Operating Systems", "OS (Dr. Rao)"),
        ("Computer Networks", "CN G1"),
    ]


def test_a_line_that_names_only_one_lesson_is_not_a_key() -> None:
    page = _page([(20, 20, "Lunch - canteen   MA = Mathematics")])
    blocks = [DraftBlock("Monday", "08:30", "09:20", "MA"), DraftBlock("Monday", "12:00", "12:40", "Lunch")]
    name_from_key(blocks, [page])
    assert [b.name for b in blocks] == ["MA", "Lunch"]  # one code used: no key; "Lunch" stays a lunch
