"""Calendar week views (screenshots of a calendar or lesson-planner app) through the real pipeline:
a lesson's times come from where its box sits on the time axis, its name from its first line."""

from __future__ import annotations

import random
from pathlib import Path

from bench import gen_calendar as gc
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.calendar_view import _fill_days, _fit_axis, read_calendar_view
from core.extraction.model import FilledRect, Page, Word


def _m(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _ev(day: str, start: str, end: str, name: str, *notes: str) -> gc.Event:
    return gc.Event(day, _m(start), _m(end), name, list(notes))


def _extract(pm, registry, tmp_path: Path, events: list[gc.Event], style: gc.CalStyle,  # noqa: ANN001
             photo: bool = False) -> dict:  # fmt: skip
    rng = random.Random(7)
    im = gc.render(events, style, rng)
    path = tmp_path / ("week.jpg" if photo else "week.png")
    if photo:
        gc.screen_photo(im, rng).save(path, quality=85)
    else:
        im.save(path)
    return extract_file(path, pm, registry)


def _blocks(out: dict) -> set[tuple[str, str, str, str]]:
    return {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in out["timeblocks"]}


# A lesson-planner week like the real one users send: 12-hour half-hour rows labelled in the middle
# of each row, outlined boxes with a topic line under the name, lunch every school day, a weekend.
PLANNER = [
    _ev("Monday", "09:00", "10:30", "Maths", "Linear Graphs"),
    _ev("Monday", "11:00", "12:00", "Physics", "Forces"),
    _ev("Tuesday", "09:30", "11:00", "History", "Room 12"),
    _ev("Tuesday", "13:00", "14:30", "Chemistry", "Lab 3", "Homework due"),
    _ev("Wednesday", "10:00", "11:00", "French"),
    _ev("Thursday", "14:00", "15:30", "Geography", "Year 9"),
    _ev("Friday", "09:00", "10:00", "Music"),
    _ev("Saturday", "10:00", "11:30", "Drama"),
    *(_ev(d, "12:30", "13:00", "Lunch") for d in gc.DAYS[:5]),
]


def test_planner_week_boxes_give_days_times_and_names(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    style = gc.CalStyle(clock="12", row_min=30, days=7, header="date", label_at="middle", box="outlined",
                        size=15, row_px=46, first_hour=9, last_hour=16)  # fmt: skip
    out = _extract(pm, registry, tmp_path, PLANNER, style)
    got = _blocks(out)
    assert ("Monday", "09:00", "10:30", "Maths") in got
    assert ("Tuesday", "13:00", "14:30", "Chemistry") in got  # notes lines are not the name
    assert {b for b in got if b[3] == "Lunch"} == {(d, "12:30", "13:00", "Lunch") for d in gc.DAYS[:5]}
    assert ("Saturday", "10:00", "11:30", "Drama") in got
    assert f1(*match(out["timeblocks"], gc.truth_of(PLANNER))) == 1.0
    chem = next(b for b in out["timeblocks"] if b["name"] == "Chemistry")
    assert "Lab 3" in (chem.get("notes") or "")


# A 24-hour calendar with hourly rows, labels on the row lines (the Google style) and lessons at
# quarter past and quarter to the hour.
HOURLY = [
    _ev("Monday", "08:15", "09:30", "English", "Room 4"),
    _ev("Monday", "10:45", "11:45", "Biology"),
    _ev("Tuesday", "09:00", "10:15", "Art", "Studio"),
    _ev("Wednesday", "08:00", "09:00", "Spanish"),
    _ev("Wednesday", "13:15", "14:45", "Computing", "Lab 2"),
    _ev("Thursday", "11:00", "12:00", "Economics"),
    _ev("Friday", "09:45", "11:00", "Latin"),
    *(_ev(d, "12:00", "13:00", "Lunch") for d in gc.DAYS[:5]),
]


def test_hourly_24h_axis_with_quarter_hour_lessons(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    style = gc.CalStyle(clock="24", row_min=60, days=5, header="full", label_at="line", box="outlined",
                        grid=True, shade=True, size=15, row_px=90, first_hour=8, last_hour=16)  # fmt: skip
    out = _extract(pm, registry, tmp_path, HOURLY, style)
    got = _blocks(out)
    assert ("Monday", "08:15", "09:30", "English") in got
    assert ("Monday", "10:45", "11:45", "Biology") in got
    assert ("Friday", "09:45", "11:00", "Latin") in got
    assert f1(*match(out["timeblocks"], gc.truth_of(HOURLY))) >= 0.9


def test_boxes_told_apart_by_their_light_fill_alone(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    """No outline, only a pale fill on white: preprocessing binarises the page for OCR, so the boxes
    are found in the grey page it keeps from before."""
    style = gc.CalStyle(clock="12", row_min=30, days=5, header="date", label_at="middle", box="filled",
                        grid=False, size=15, row_px=46, first_hour=9, last_hour=16)  # fmt: skip
    events = [e for e in PLANNER if e.day != "Saturday"]
    out = _extract(pm, registry, tmp_path, events, style)
    assert f1(*match(out["timeblocks"], gc.truth_of(events))) >= 0.9


def test_photo_of_the_screen(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    style = gc.CalStyle(clock="12", row_min=30, days=5, header="upper", label_at="top", box="outlined",
                        size=16, row_px=46, first_hour=9, last_hour=16)  # fmt: skip
    events = [e for e in PLANNER if e.day != "Saturday"]
    out = _extract(pm, registry, tmp_path, events, style, photo=True)
    got = _blocks(out)
    truth = gc.truth_of(events)
    assert f1(*match(out["timeblocks"], truth)) >= 0.8
    # Whatever is read is right: no lesson at a time the screen does not show.
    true_slots = {(b["day"], b["startTime"], b["endTime"]) for b in truth}
    assert all(b[:3] in true_slots for b in got)


# ---- the pieces, on the intermediate form ---------------------------------------------------------


def test_axis_fit_ignores_a_misread_label() -> None:
    # Half-hour labels 46 px apart; OCR read "11:30" as "1:30" (an afternoon time out of place).
    labels = [(100.0 + 46 * k, 80.0, 540 + 30 * k) for k in range(10)]
    labels[5] = (labels[5][0], 80.0, 13 * 60 + 30)
    axis = _fit_axis(labels)
    assert axis is not None and axis.step == 30
    assert round(axis.minutes(100.0 + 46 * 5)) == 690  # 11:30 where the misread label stands


def test_axis_step_from_labels_with_some_missed() -> None:
    # Half-hour rows, but OCR read only some labels: the gaps are 1, 2 or 3 rows.
    rows = [0, 1, 3, 4, 7, 8, 9]
    axis = _fit_axis([(100.0 + 46 * k, 80.0, 540 + 30 * k) for k in rows])
    assert axis is not None and axis.step == 30


def test_missing_header_day_filled_in_between() -> None:
    assert _fill_days([(100.0, 0), (200.0, 1), (400.0, 3)]) == [
        (100.0, 0),
        (200.0, 1),
        (300.0, 2),
        (400.0, 3),
    ]


def test_ruled_grid_with_printed_ranges_is_not_a_calendar() -> None:
    """Period rows labelled with time ranges and day columns: the ruled-grid reading's job."""
    heads = ["Mon", "Tue", "Wed"]
    words = [Word(d, 200.0 + 150 * i, 50.0, 260.0 + 150 * i, 64.0) for i, d in enumerate(heads)]
    for k in range(5):
        y = 100.0 + 60 * k
        words.append(Word(f"{8 + k}:00-{8 + k}:50", 20.0, y, 140.0, y + 14))
        words += [Word("Maths", 200.0 + 150 * i, y, 260.0 + 150 * i, y + 14) for i in range(3)]
    rects = [
        FilledRect(190.0 + 150 * i, 90.0 + 60 * k, 330.0 + 150 * i, 150.0 + 60 * k)
        for i in range(3)
        for k in range(5)
    ]
    assert read_calendar_view(Page(1, 700.0, 500.0, words, [], rects)) is None


# Google-style boxes back to back, white text on a strong fill, each printing its start under the
# name ("9am, Main Block"): the printed start places the boundary between touching boxes.
BACK_TO_BACK = [
    _ev("Monday", "08:00", "09:00", "Power Systems", "8am, Main Block"),
    _ev("Monday", "09:00", "10:00", "Digital Circuits", "9am, Main Block"),
    _ev("Wednesday", "09:00", "10:00", "Signals", "9am, Main Block"),
    _ev("Wednesday", "10:00", "11:00", "Signals", "10am, Main Block"),
    _ev("Wednesday", "14:15", "15:15", "Machines Lab", "2:15pm, Main Block"),
    _ev("Wednesday", "15:15", "16:15", "Machines Lab", "3:15pm, Main Block"),
    _ev("Friday", "16:15", "17:15", "Research Methods", "4:15pm, Main Block"),
]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def test_touching_boxes_split_at_their_printed_starts(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    style = gc.CalStyle(clock="12short", row_min=60, days=7, header="upper", label_at="top", box="strong",
                        size=15, row_px=60, first_hour=8, last_hour=18)  # fmt: skip
    out = _extract(pm, registry, tmp_path, BACK_TO_BACK, style)
    got = sorted((d, s, e) for d, s, e, _ in _blocks(out))
    want = sorted((ev.day, _hhmm(ev.start), _hhmm(ev.end)) for ev in BACK_TO_BACK)
    assert got == want


APP_WEEK_LESSONS = [(0, "08:00", "09:50", "Maths"), (1, "10:00", "11:50", "Physics"),
                    (2, "08:00", "09:00", "Music"), (3, "13:00", "14:50", "History"),
                    (4, "10:15", "11:15", "English")]  # fmt: skip


def _app_page(header: list[str], label_axis: bool) -> Page:
    """A phone app's week built in code: boxes print their start above the name ("8:00 am"); the
    axis of bare hours ("08", "09" …) is there or lost (OCR misses lone small numbers)."""
    top, hour_px, x0, col_w = 100.0, 120.0, 80.0, 200.0
    words = [Word(part, x0 + i * col_w + 80 + 30 * k, 60, x0 + i * col_w + 80 + 30 * k + 12 * len(part), 80)
             for i, h in enumerate(header) for k, part in enumerate(h.split())]  # fmt: skip
    if label_axis:
        for k, hour in enumerate(["08", "09", "10", "11", "12", "01", "02"]):
            y = top + k * hour_px
            words.append(Word(hour, 20, y - 8, 44, y + 8))
    rects = []
    for d, start, end, name in sorted(APP_WEEK_LESSONS):
        y0 = top + (_m(start) - 480) * hour_px / 60
        y1 = top + (_m(end) - 480) * hour_px / 60
        bx = x0 + d * col_w + 4
        rects.append(FilledRect(bx, y0, bx + col_w - 8, y1, "#3366cc"))
        h, m = divmod(_m(start), 60)
        clock = f"{h % 12 or 12}:{m:02d}"
        words.append(Word(clock, bx + 6, y0 + 4, bx + 50, y0 + 20))
        words.append(Word("am" if h < 12 else "pm", bx + 56, y0 + 4, bx + 78, y0 + 20))
        words.append(Word(name, bx + 6, y0 + 30, bx + 6 + 12 * len(name), y0 + 46))
    return Page(number=1, width=1200, height=1200, words=words, rects=rects, source="tesseract")


APP_WEEK = {(gc.DAYS[d], s, e, n) for d, s, e, n in APP_WEEK_LESSONS}


def test_an_apps_letter_and_date_headers_and_printed_starts_make_the_axis() -> None:
    # "M12" … "F16": one letter and its date glued by OCR, a "T" garbled; no axis labels read.
    page = _app_page(["M12", "T13", "W14", "Tis", "F16"], label_axis=False)
    reading = read_calendar_view(page)
    assert reading is not None
    assert {(b.day, b.start_time, b.end_time, b.name) for b in reading.blocks} == APP_WEEK


def test_an_axis_of_bare_hours_is_read_and_period_numbers_are_not() -> None:
    page = _app_page(["M 12", "T 13", "W 14", "T 15", "F 16"], label_axis=True)
    reading = read_calendar_view(page)
    assert reading is not None
    assert {(b.day, b.start_time, b.end_time, b.name) for b in reading.blocks} == APP_WEEK
    from core.extraction.calendar_view import _axis_labels
    from core.extraction.lines import group_lines

    periods = [Word(str(n), 20, 100 + k * 120 - 8, 32, 100 + k * 120 + 8) for k, n in enumerate(range(1, 8))]
    assert _axis_labels(group_lines(periods), 80.0, 16.0) == []  # 1 … 7 are periods, not 01:00 …
