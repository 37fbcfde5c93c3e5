"""The day-to-column cross-check on constructed OCR pages (words with boxes)."""

from __future__ import annotations

from core.escalation.crosscheck import CrossCheck, check_columns, find_grid
from core.extraction.model import DraftBlock, DraftTimetable, Page, Word

DAYS5 = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TIMES = ["09:00", "10:00", "11:00", "12:00"]
# The document: each day's lessons top to bottom. Maths is on every day, as it often is.
GRID = {
    "Monday": ["Maths", "English", "Science", "History"],
    "Tuesday": ["Maths", "Art", "Music", "PE"],
    "Wednesday": ["Maths", "Geography", "Science", "French"],
    "Thursday": ["Maths", "English", "Drama", "Computing"],
    "Friday": ["Maths", "Religious Studies", "Art", "PE"],
}


def _word(text: str, cx: float, cy: float, h: float = 16.0) -> Word:
    w = 9.0 * len(text)
    return Word(text, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, 0.9)


def _phrase(text: str, cx: float, cy: float) -> list[Word]:
    """A cell's text as separate OCR words on one line, centred on cx."""
    parts = text.split()
    widths = [9.0 * len(p) for p in parts]
    x = cx - (sum(widths) + 8.0 * (len(parts) - 1)) / 2
    out = []
    for p, w in zip(parts, widths, strict=True):
        out.append(_word(p, x + w / 2, cy))
        x += w + 8.0
    return out


def cols_page(grid: dict[str, list[str]], headers: list[str] | None = None, extra: list[Word] = ()) -> Page:
    """Days as columns: a title, a header row, a time column, then a cell per day and period."""
    words = [*_phrase("Timetable 7B Ms Rivera", 500, 20)]
    for i, day in enumerate(headers or DAYS5):
        words.append(_word(day, 250 + 160 * i, 70))
    for r, t in enumerate(TIMES):
        words.append(_word(t, 80, 120 + 50 * r))
    for i, day in enumerate(DAYS5):
        for r, name in enumerate(grid[day]):
            words += _phrase(name, 250 + 160 * i, 120 + 50 * r)
    return Page(1, 1100, 400, words=[*words, *extra], source="tesseract")


def rows_page(grid: dict[str, list[str]]) -> Page:
    """Days as rows: period times across the top, a day label starting each row."""
    words = []
    for c, t in enumerate(TIMES):
        words.append(_word(t, 300 + 180 * c, 40))
    for r, day in enumerate(DAYS5):
        words.append(Word(day, 20, 100 + 60 * r - 8, 20 + 9 * len(day), 100 + 60 * r + 8))
        for c, name in enumerate(grid[day]):
            words += _phrase(name, 300 + 180 * c, 100 + 60 * r)
    return Page(1, 1100, 450, words=words, source="tesseract")


def draft_of(grid: dict[str, list[str]], day_map: dict[str, str] | None = None) -> DraftTimetable:
    """The LLM's reading of the grid; day_map moves days (the shift an LLM makes)."""
    blocks = []
    for day, names in grid.items():
        for r, name in enumerate(names):
            end = f"{int(TIMES[r][:2]) + 1:02d}:00"
            blocks.append(DraftBlock((day_map or {}).get(day, day), TIMES[r], end, name))
    return DraftTimetable(blocks=blocks)


def test_a_correct_reading_agrees_everywhere() -> None:
    result = check_columns(draft_of(GRID), [cols_page(GRID)])
    assert isinstance(result, CrossCheck)
    assert result.layout == "days_cols"
    assert result.checked == 20
    assert result.disagreements == []
    assert result.shifts == {}
    assert result.agreement == 1.0 and result.factor == 1.0


def test_a_whole_column_shift_is_caught_even_where_subjects_repeat() -> None:
    # The LLM moved every day one column to the right: Monday's lessons land on Tuesday, and so on.
    shift = {"Monday": "Tuesday", "Tuesday": "Wednesday", "Wednesday": "Thursday", "Thursday": "Friday"}
    grid = {d: GRID[d] for d in DAYS5[:4]}  # Friday's column fell off the end
    result = check_columns(draft_of(grid, shift), [cols_page(GRID)])
    assert result.shifts == {
        "Tuesday": "Monday",
        "Wednesday": "Tuesday",
        "Thursday": "Wednesday",
        "Friday": "Thursday",
    }
    # Maths is printed on every day, yet the shifted Maths is reported: its whole column moved.
    assert "Maths on Tuesday 09:00 is under Monday in the document" in result.disagreements
    assert "English on Tuesday 10:00 is under Monday or Thursday in the document" not in result.disagreements
    assert "English on Tuesday 10:00 is under Monday in the document" in result.disagreements
    assert len(result.disagreements) == 16  # one per block of the four shifted days
    assert result.summary[0] == "all of Tuesday looks shifted: the document has those lessons under Monday"
    assert result.agreement < 0.2
    assert result.factor <= 0.2


def test_one_day_shifted_is_caught_and_the_rest_agree() -> None:
    grid = dict(GRID)
    swapped = draft_of(grid, {"Wednesday": "Thursday", "Thursday": "Wednesday"})
    result = check_columns(swapped, [cols_page(GRID)])
    assert result.shifts == {"Wednesday": "Thursday", "Thursday": "Wednesday"}
    assert "Geography on Thursday 10:00 is under Wednesday in the document" in result.disagreements
    assert 0.4 < result.agreement < 0.8  # 12 of 20 blocks confirmed
    assert result.factor <= 0.5  # a shifted column caps the factor


def test_a_single_misplaced_block_is_reported_without_a_shift() -> None:
    draft = draft_of(GRID)
    for b in draft.blocks:
        if b.name == "Drama":
            b.day = "Friday"
    result = check_columns(draft, [cols_page(GRID)])
    assert result.shifts == {}
    assert result.disagreements == ["Drama on Friday 11:00 is under Thursday in the document"]
    assert result.agreement == 0.95 and result.checked == 20


def test_days_as_rows() -> None:
    assert find_grid(rows_page(GRID)).axis == "y"
    ok = check_columns(draft_of(GRID), [rows_page(GRID)])
    assert ok.layout == "days_rows" and ok.agreement == 1.0 and ok.checked == 20
    shifted = check_columns(draft_of(GRID, {"Monday": "Tuesday", "Tuesday": "Monday"}), [rows_page(GRID)])
    assert shifted.shifts == {"Monday": "Tuesday", "Tuesday": "Monday"}
    assert "History on Tuesday 12:00 is under Monday in the document" in shifted.disagreements


def test_abbreviated_upper_case_headers() -> None:
    page = cols_page(GRID, headers=["MON", "TUE", "WED", "THU", "FRI"])
    assert check_columns(draft_of(GRID), [page]).agreement == 1.0
    moved = draft_of(GRID, {"Friday": "Monday", "Monday": "Friday"})
    assert check_columns(moved, [page]).shifts == {"Friday": "Monday", "Monday": "Friday"}


def test_a_break_row_across_all_days_is_not_held_against_the_llm() -> None:
    # "Break" is printed once, centred across the grid (under Wednesday); the LLM rightly gives
    # it to every day.
    page = cols_page(GRID, extra=[_word("Break", 570, 345)])
    draft = draft_of(GRID)
    draft.blocks += [DraftBlock(d, "13:00", "13:20", "Break") for d in DAYS5]
    result = check_columns(draft, [page])
    assert result.disagreements == [] and result.checked == 20


def test_ocr_slips_and_multi_word_names_still_match() -> None:
    grid = {**GRID, "Friday": ["Mathe", "Religious Studies", "Art", "PE"]}  # OCR misread Maths
    draft = draft_of(GRID)
    result = check_columns(draft, [cols_page(grid)])
    assert result.agreement == 1.0 and result.checked == 20
    for b in draft.blocks:
        if b.name == "Religious Studies":
            b.day = "Monday"
    result = check_columns(draft, [cols_page(grid)])
    assert result.disagreements == ["Religious Studies on Monday 10:00 is under Friday in the document"]


def test_no_evidence_means_no_penalty() -> None:
    no_headers = Page(1, 800, 600, words=[_word("Maths", 100, 100), _word("English", 100, 200)])
    assert check_columns(draft_of(GRID), [no_headers]) == CrossCheck()
    assert check_columns(draft_of(GRID), []) == CrossCheck()
    assert check_columns(DraftTimetable(), [cols_page(GRID)]) == CrossCheck()
    # Names the OCR never read are not checked: unknown, not wrong.
    unread = DraftTimetable(blocks=[DraftBlock("Monday", "09:00", "10:00", "Latin")])
    result = check_columns(unread, [cols_page(GRID)])
    assert result.checked == 0 and result.agreement == 1.0 and result.layout == "days_cols"


def test_the_title_above_the_header_row_is_not_a_cell() -> None:
    # "Maths" in the title (above the headers) says nothing about any day.
    page = cols_page(GRID, extra=[_word("Maths", 250, 20)])
    draft = DraftTimetable(blocks=[DraftBlock("Monday", "09:00", "10:00", "Maths")])
    assert check_columns(draft, [page]).agreement == 1.0


def test_a_header_the_ocr_missed_is_placed_between_its_neighbours() -> None:
    page = cols_page(GRID, headers=["Monday", "Tuesday", "W3dn#", "Thursday", "Friday"])
    result = check_columns(draft_of(GRID), [page])
    assert result.disagreements == [] and result.checked == 20


def list_page(grid: dict[str, list[str]], headings: list[str] | None = None) -> Page:
    """A day-by-day list: a heading, then one line per lesson (time, then name) below it."""
    words, y = [], 20.0
    for day, heading in zip(DAYS5, headings or DAYS5, strict=True):
        words.append(Word(heading, 20, y - 9, 20 + 10 * len(heading), y + 9))
        y += 30
        for r, name in enumerate(grid[day]):
            words.append(_word(f"{TIMES[r]}-{TIMES[r][:2]}:50", 80, y))
            words += _phrase(name, 300, y)
            y += 22
        y += 20
    return Page(1, 600, y, words=words, source="tesseract")


def test_a_day_by_day_list() -> None:
    page = list_page(GRID)
    ok = check_columns(draft_of(GRID), [page])
    assert ok.layout == "list" and ok.agreement == 1.0 and ok.checked == 20
    moved = draft_of(GRID)
    for b in moved.blocks:
        if b.name == "Drama":
            b.day = "Wednesday"
    assert check_columns(moved, [page]).disagreements == [
        "Drama on Wednesday 11:00 is under Thursday in the document"
    ]


def test_a_list_heading_the_ocr_missed_leaves_its_day_unchecked() -> None:
    page = list_page(GRID, headings=["Monday", "Tuesday", "Wednesday", "Thvr5", "Friday"])
    result = check_columns(draft_of(GRID), [page])
    assert result.disagreements == [] and result.checked == 16  # Thursday's 4 lessons unchecked


def test_a_cell_the_ocr_missed_is_unconfirmed_not_wrong() -> None:
    # The OCR lost Wednesday's "Science"; Monday's Science is the LLM's Monday block, so nothing
    # says Wednesday's is misplaced: it is left unchecked rather than counted against the LLM.
    grid = {**GRID, "Wednesday": ["Maths", "Geography", "", "French"]}
    result = check_columns(draft_of(GRID), [cols_page(grid)])
    assert result.disagreements == [] and result.agreement == 1.0 and result.checked == 19
