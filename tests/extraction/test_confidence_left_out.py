"""Confidence is a promise: text on the pages that the reading left out keeps it below accept."""

from __future__ import annotations

from core.extraction import stages
from core.extraction.confidence import DOUBT_CAP, confidence
from core.extraction.interpret import interpret_pages
from core.extraction.left_out import left_out
from core.extraction.model import DraftBlock, DraftTimetable, Page, ReadResult, Word
from core.extraction.validate import validate_draft

ACCEPT = 0.98
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SUBJECTS = ["Mathematics", "English", "Physics", "History"]
PERIODS = [("08:00", "09:00"), ("09:00", "10:00"), ("10:15", "11:15"), ("11:15", "12:15")]


def _line(text: str, y: float, x: float = 40.0) -> list[Word]:
    """One printed line, word by word, as a text layer gives it."""
    words = []
    for tok in text.split():
        w = 7.0 * len(tok)
        words.append(Word(tok, x, y, x + w, y + 12))
        x += w + 5.0
    return words


def _list_page(days: list[str], number: int = 1, y: float = 40.0) -> Page:
    """A day-by-day list: a day heading, then one "08:00 - 09:00 Subject" line per period."""
    words: list[Word] = []
    for d in days:
        words += _line(d, y)
        y += 22
        for (s, e), subj in zip(PERIODS, SUBJECTS, strict=True):
            words += _line(f"{s} - {e} {subj}", y, 60.0)
            y += 20
        y += 12
    return Page(number=number, width=600, height=max(800.0, y + 40), words=words, source="pdf_text")


def test_a_clean_full_reading_is_accepted() -> None:
    draft = interpret_pages([_list_page(DAYS)])
    assert len(draft.blocks) == 20
    assert draft.stats["left_out"] == 0.0
    assert confidence(draft) >= ACCEPT


def test_a_day_named_on_the_page_that_gave_no_lessons_is_doubted() -> None:
    page = _list_page(DAYS)
    # A sixth day is named on the page (a column header, say) but no lesson of it was read.
    page.words += _line("Saturday", 760)
    draft = interpret_pages([page])
    assert draft.stats["days_missed"] == 1
    assert confidence(draft) < ACCEPT


def test_a_page_of_the_list_that_gave_nothing_is_doubted() -> None:
    second = Page(number=2, width=600, height=800, source="pdf_text")
    # Page 2 names two days and their times in a form no reader takes (times after the names).
    second.words += _line("Saturday Sunday", 40)
    second.words += _line("Chemistry 13:00 - 14:00", 70)
    second.words += _line("Biology 14:00 - 15:30", 100)
    draft = interpret_pages([_list_page(DAYS), second])
    assert draft.stats["silent_pages"] == 1 or draft.stats["left_out"] > 0
    assert confidence(draft) <= DOUBT_CAP


def test_left_out_is_in_proportion() -> None:
    blocks = [DraftBlock(day=d, start_time=s, end_time=e, name=n) for d in DAYS[:2]
              for (s, e), n in zip(PERIODS, SUBJECTS, strict=True)]  # fmt: skip
    few = left_out([_list_page(DAYS[:3])], blocks)
    many = left_out([_list_page(DAYS)], blocks)
    assert few.days_missed == 1 and many.days_missed == 3
    assert 0 < few.fraction < many.fraction


def test_printed_times_across_a_lessons_edge_are_counted_and_breaks_are_not() -> None:
    blocks = [DraftBlock(day="Monday", start_time="08:00", end_time="09:00", name="Maths"),
              DraftBlock(day="Monday", start_time="10:00", end_time="12:00", name="Drama")]  # fmt: skip
    page = Page(number=1, width=600, height=800, source="pdf_text")
    page.words += _line("Monday 08:00 - 09:00 Maths", 40)
    page.words += _line("09:10 - 09:50 Break", 70)  # over no lesson: a break, no evidence
    page.words += _line("10:00 - 11:00 11:00 - 12:00", 100)  # periods of the double lesson
    page.words += _line("08:30 - 09:30 Chemistry", 130)  # across Maths' end: read otherwise
    lo = left_out([page], blocks)
    assert (lo.ranges, lo.ranges_missed) == (5, 1)


def test_cells_with_text_that_gave_no_lesson_keep_confidence_below_accept() -> None:
    blocks = [DraftBlock(day=d, start_time=s, end_time=e, name=n) for d in DAYS
              for (s, e), n in zip(PERIODS, SUBJECTS, strict=True)]  # fmt: skip
    full = DraftTimetable(blocks=blocks, stats={"coverage": 1.0, "rows_timed": 1.0})
    partial = DraftTimetable(blocks=blocks, stats={"coverage": 0.8, "rows_timed": 1.0})
    assert confidence(full) >= ACCEPT
    assert confidence(partial) <= DOUBT_CAP


def _week(confidence: float = 1.0) -> list[DraftBlock]:
    return [DraftBlock(day=d, start_time=s, end_time=e, name=n, confidence=confidence) for d in DAYS
            for (s, e), n in zip(PERIODS, SUBJECTS, strict=True)]  # fmt: skip


def test_lessons_dropped_for_impossible_times_keep_confidence_below_accept() -> None:
    blocks = _week() + [DraftBlock(day="Tuesday", start_time="00:15", end_time="11:50", name="English")]
    draft = DraftTimetable(blocks=blocks, stats={"coverage": 1.0, "rows_timed": 1.0})
    assert confidence(draft) <= DOUBT_CAP  # scored as read (the pipeline scores before validation)
    kept, _ = validate_draft(draft)
    assert kept.stats["dropped"] == 1 and len(kept.blocks) == 20
    assert confidence(kept) <= DOUBT_CAP  # and as validated (timetabler extract)


def test_an_ocr_name_that_is_no_word_and_no_code_is_unchecked() -> None:
    clean = _week(confidence=0.97)
    assert confidence(DraftTimetable(blocks=clean, stats={"coverage": 1.0})) >= ACCEPT
    slip = _week(confidence=0.97)
    slip[3].name = "Hlstcry"
    assert confidence(DraftTimetable(blocks=slip, stats={"coverage": 1.0})) <= DOUBT_CAP
    exact = _week()  # a text layer's words are exact: an unknown subject is the school's own
    exact[3].name = "Hlstcry"
    assert confidence(DraftTimetable(blocks=exact, stats={"coverage": 1.0})) >= ACCEPT


def test_one_document_gets_one_confidence_before_and_after_validation(pm) -> None:  # noqa: ANN001
    # The pipeline scores the draft as interpreted, `timetabler extract` the draft as validated:
    # a lesson read with an impossible time must cost the same in both.
    page = _list_page(DAYS)
    draft = interpret_pages([page])
    draft.blocks.append(DraftBlock(day="Friday", start_time="12:15", end_time="11:15", name="Drama"))
    read = ReadResult(kind="pdf_text", engine="pdf_text", pages=[page])
    checked, warnings = validate_draft(draft)
    assert any("ends before it starts" in w for w in warnings)
    as_interpreted = stages.score(pm, draft, read)
    as_validated = stages.score(pm, checked, read)
    assert as_interpreted == as_validated
    assert as_validated < ACCEPT


def _printed_ranges(ranges: list[tuple[str, str]]) -> Page:
    """A page printing each range on a line of its own, as a grid's period axis does."""
    page = Page(number=1, width=600, height=800, source="image")
    for k, (s, e) in enumerate(ranges):
        page.words += _line(f"{s} - {e}", 40 + 25 * k)
    return page


def test_periods_printed_beyond_every_lesson_read_are_left_out() -> None:
    # A grid read down to its fourth period, whose axis goes on: the reading stopped short.
    axis = [*PERIODS, ("12:15", "13:00"), ("13:00", "13:45"), ("13:45", "14:30")]
    lo = left_out([_printed_ranges(axis)], _week())
    # 12:15-13:00 starts where the last lesson ends: bounding a lesson, it is no evidence.
    assert lo.ranges_missed == 2
    before = [("07:00", "07:40"), ("07:40", "08:00"), *PERIODS]
    assert left_out([_printed_ranges(before)], _week()).ranges_missed == 0  # 07:40-08:00 bounds one
    assert (
        left_out([_printed_ranges([("07:00", "07:20"), ("07:20", "07:40"), *PERIODS])], _week()).ranges_missed
        == 2
    )


def test_one_range_beyond_the_lessons_is_a_footnote_not_an_axis() -> None:
    page = _printed_ranges([*PERIODS, ("15:30", "16:30")])  # "Clubs 15:30 - 16:30" under the grid
    assert left_out([page], _week()).ranges_missed == 0
    twice = _printed_ranges([*PERIODS, ("15:30", "16:30"), ("15:30", "16:30")])  # the same one repeated
    assert left_out([twice], _week()).ranges_missed == 0


def test_a_reading_that_stopped_short_of_its_axis_is_not_accepted() -> None:
    axis = [*PERIODS, ("13:00", "13:45"), ("13:45", "14:30"), ("14:30", "15:15")]
    lo = left_out([_printed_ranges(axis)], _week())
    stats = {"coverage": 1.0, "rows_timed": 1.0, "left_out": lo.fraction}
    assert confidence(DraftTimetable(blocks=_week(), stats=stats)) <= DOUBT_CAP
    whole = left_out([_printed_ranges(PERIODS)], _week())
    stats = {"coverage": 1.0, "rows_timed": 1.0, "left_out": whole.fraction}
    assert confidence(DraftTimetable(blocks=_week(), stats=stats)) >= ACCEPT
