"""Class names as real headers print them: labelled fields on one line, a class code alone as a
title, a class named after "Time Table", OCR's slips in them; and what is no class or no teacher.

Each mechanism is tried on header lines built here, and the gap between a title's pieces through
the real interpretation of a page of words."""

from __future__ import annotations

import pytest

from core.extraction.class_fields import line_fields
from core.extraction.header import plausible_prefix, read_header
from core.extraction.interpret import header_lines
from core.extraction.model import DraftTimetable, Page, Word


def _read(*lines: str) -> DraftTimetable:
    draft = DraftTimetable()
    read_header(list(lines), draft)
    return draft


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # The identity fields of the class line join it; a w.e.f. date and a term do not.
        ("Class: S.Y. B.Tech  Div: S  Semester: IV  Room: CR-32  w.e.f.: 22/01/2024",
         "S.Y. B.Tech, Div S, Semester IV, Room CR-32"),
        ("Course/Semester: B. Tech CSE/ Fifth  Room no: 2nd floor 05",
         "Course/Semester B. Tech CSE/ Fifth, Room no 2nd floor 05"),
        ("Department: Cyber Security  Branch/Sem: CY/III", "Cyber Security, Branch/Sem CY/III"),
        # Labels with no colon: a class code, a section letter.
        ("CLASS 7 - SECTION A", "7, SECTION A"),
        ("Class-4B", "4B"),
        ("Class 11 AI&ML-A  Semester: V", "11 AI&ML-A, Semester V"),
        # A label word with no value of its own is part of the value before it.
        ("Class: 4th semester  Room No: D204  WEF: 12/03/2025", "4th semester, Room No D204"),
        # A school's section named after a saint.
        ("Grade 10 - St. Francis of Assisi", "Grade 10 - St. Francis of Assisi"),
        ("Semester: IV", "Semester IV"),
        ("Section A", "Section A"),
        # A Roman class number, and a code joined by a hyphen.
        ("CLASS: X-B", "X-B"),
        ("TIME TABLE FOR CLASS X-A", "X-A"),
        ("Grade 7-A", "Grade 7-A"),
    ],
)  # fmt: skip
def test_class_from_the_fields_of_its_line(line: str, expected: str) -> None:
    assert _read(line).class_name == expected


@pytest.mark.parametrize(
    "lines",
    [
        ["Semester: Jan 2026"],  # a portal's term menu: a date names no class
        ["Check/Print Courses Registered for 2026-2027 Semester 1"],  # the term, in a sentence
        ["Department of Computer Engineering"],
        ["Class Schedule"],
        ["Academic Year: 2024-25"],
    ],
)
def test_terms_and_titles_are_no_class(lines: list[str]) -> None:
    assert _read(*lines).class_name is None


def test_ocr_specks_after_a_value_are_cut_off_not_the_value() -> None:
    draft = _read("Class: IV B.Tech I-Sem-CSE (IoT) A.Y¥1r:2022-2023")
    assert draft.class_name == "IV B.Tech I-Sem-CSE (IoT)"
    assert plausible_prefix("A.Y¥1r Term") is None


def test_raised_ordinal_letters_read_as_quotes_are_mended() -> None:
    assert _read('Class: 4" semester').class_name == "4th semester"
    assert plausible_prefix('2"4 floor') == "2nd floor"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Department of Computer Science - CUI, Wah Campus", "BSE-6A", "1 2 3 4 5"], "BSE-6A"),
        (["HUMSS 11B Class Schedule"], "HUMSS 11B"),
        (["VIII B"], "VIII B"),
        (["II B.Tech I Sem CSE-A Time Table"], "II B.Tech I Sem CSE-A"),
        (["BCA III Sem Time Table 2024"], "BCA III Sem"),
        (["Institute of Information Technology", "Time Table 6th Sem CSE (Section A: Room CR-3)"],
         "6th Sem CSE (Section A: Room CR-3)"),
    ],
)  # fmt: skip
def test_class_from_a_title(lines: list[str], expected: str) -> None:
    assert _read(*lines).class_name == expected


@pytest.mark.parametrize(
    "line",
    ["7:55   Warning Bell 5", "course   Course   Srade 223K   Class", "Week 1", "Page 2", "9) eg", "(yan 7",
     "1 2 3 4 5", "Time Table 2024-25", "Room 12", "9AM", "9:41   4G   80%"],
)  # fmt: skip
def test_page_furniture_and_ocr_debris_are_no_class_code(line: str) -> None:
    assert _read(line).class_name is None


def test_a_title_centred_apart_from_a_note_is_read_alone() -> None:
    def put(text: str, x: float, y: float) -> list[Word]:
        out, cx = [], x
        for part in text.split():
            out.append(Word(part, cx, y, cx + 9 * len(part), y + 16, 0.9))
            cx += 9 * len(part) + 8
        return out

    words = put("Service Manual", 10, 20) + put("BSE-6A", 400, 20)
    words += put("Monday", 10, 80) + put("Tuesday", 200, 80)
    lines = header_lines(Page(1, 800, 200, words, [], [], source="tesseract"))
    assert [ln.split("   ") for ln in lines] == [["Service Manual", "BSE-6A"]]
    assert _read(*lines).class_name == "BSE-6A"


@pytest.mark.parametrize(
    ("lines", "teacher"),
    [
        (["Advisers: Mr. Gomer Nunez; Ms. A. Cruz"], "Mr. Gomer Nunez"),
        (["Dr. AMBEDKAR INSTITUTE OF TECHNOLOGY"], None),
        (["Time Table for the Academic Term: January -May 2024"], None),
        (["Time Table For The Year (JULY-DECEMBER 2021 session)"], None),
        (["Timetable - Ms J. Rivera"], "Ms J. Rivera"),
        (["Time Table - Class 9B"], None),  # the class, not a person
    ],
)
def test_teacher_is_a_person_not_a_phrase_or_an_institution(lines: list[str], teacher: str | None) -> None:
    assert _read(*lines).teacher == teacher


def test_fields_stop_at_the_next_label() -> None:
    fields = line_fields("Class: 9C  Section: B  Term 2 2026")
    assert [(f.kind, f.value) for f in fields] == [("class", "9C"), ("section", "B")]


def test_a_word_files_page_header_names_the_class(tmp_path) -> None:  # noqa: ANN001
    from docx import Document

    from core.extraction.interpret import interpret_pages
    from plugins.reader_docx.plugin import DocxReader

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Class: 8B   Teacher: Ms J. Rivera"
    table = doc.add_table(rows=3, cols=3)
    for c, text in enumerate(["Time", "Mon", "Tue"]):
        table.cell(0, c).text = text
    for r, (times, a, b) in enumerate(
        [("09:00 - 10:00", "Maths", "Art"), ("10:00 - 11:00", "Music", "Latin")], 1
    ):
        for c, text in enumerate([times, a, b]):
            table.cell(r, c).text = text
    doc.save(tmp_path / "t.docx")
    draft = interpret_pages(DocxReader().read(tmp_path / "t.docx"))
    assert (draft.class_name, draft.teacher) == ("8B", "Ms J. Rivera")
    assert len(draft.blocks) == 4
