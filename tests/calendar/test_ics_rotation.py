"""Rotating timetables in the calendar a teacher imports: a two-week timetable's lessons every other
week from the school's Week A, a cycle timetable's lessons on the dates of their cycle day."""

from __future__ import annotations

import uuid

from icalendar import Calendar

from core.calendar.ics import TimetableForCalendar, build_calendar
from core.calendar.term import term_of
from core.schools.settings import effective
from core.timetables.rotation import make_rotation
from tests.calendar.test_ics import UPDATED, events, occurrences

TERM = {
    "termStart": "2026-09-07",
    "termEnd": "2026-12-18",
    "holidays": [{"start": "2026-10-26", "end": "2026-10-30", "name": "Half term"}],
}
SHORT_TERM = {  # four weeks with one day off, a Thursday
    "termStart": "2026-09-07",
    "termEnd": "2026-10-02",
    "holidays": [{"start": "2026-09-17", "end": "2026-09-17", "name": "Training day"}],
}


def block(name: str, day: str, week: str | None = None) -> dict:
    return {
        "id": uuid.uuid4(),
        "day": day,
        "week": week,
        "start_time": "09:00",
        "end_time": "10:00",
        "name": name,
    }


def export(settings: dict, blocks: list[dict], rotation) -> Calendar:
    term = term_of(effective({}, settings))
    timetable = TimetableForCalendar(
        id=uuid.uuid4(), name="Mine", updated_at=UPDATED, blocks=blocks, rotation=rotation
    )
    return Calendar.from_ical(build_calendar([timetable], term, domain="timetabler.test", name="Mine"))


def dates(event: object) -> list[str]:
    return [when.date().isoformat() for when in occurrences(event)]


def test_two_week_lessons_repeat_fortnightly_from_the_schools_week_a() -> None:
    rotation = make_rotation("two_week", ["A", "B"])
    found = events(
        export(
            {**TERM, "rotationStart": "2026-09-07"},
            [block("Maths", "Monday", "A"), block("Art", "Monday", "B")],
            rotation,
        )
    )
    maths, art = found["Maths"], found["Art"]
    assert maths["RRULE"]["INTERVAL"] == [2] and maths["RRULE"]["FREQ"] == ["WEEKLY"]
    assert dates(maths) == [
        "2026-09-07",
        "2026-09-21",
        "2026-10-05",
        "2026-10-19",
        "2026-11-02",
        "2026-11-16",
        "2026-11-30",
        "2026-12-14",
    ]
    # Half term's Monday is a Week B Monday: Art skips it, and the weeks go on counting through it.
    assert dates(art) == ["2026-09-14", "2026-09-28", "2026-10-12", "2026-11-09", "2026-11-23", "2026-12-07"]


def test_week_a_can_start_after_the_term_does() -> None:
    # The school says 16 September (a Wednesday) is in Week A: the term's first week is Week B.
    rotation = make_rotation("two_week", ["1", "2"])
    found = events(export({**TERM, "rotationStart": "2026-09-16"}, [block("Maths", "Monday", "1")], rotation))
    assert dates(found["Maths"])[:3] == ["2026-09-14", "2026-09-28", "2026-10-12"]


def test_cycle_lessons_fall_on_the_dates_of_their_cycle_day_holidays_skipped() -> None:
    rotation = make_rotation("cycle", cycle_days=[f"Day {n}" for n in range(1, 7)])
    calendar = export(SHORT_TERM, [block("Maths", "Day 1"), block("Art", "Day 6")], rotation)
    on = {}
    for event in calendar.walk("VEVENT"):
        assert "RRULE" not in event  # each date is its own event
        on.setdefault(str(event["SUMMARY"]), []).append(event["DTSTART"].dt.date().isoformat())
    assert sorted(on["Maths"]) == ["2026-09-07", "2026-09-15", "2026-09-24", "2026-10-02"]
    assert sorted(on["Art"]) == ["2026-09-14", "2026-09-23", "2026-10-01"]
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids)  # one UID per date, stable across exports


def test_a_cycle_that_runs_through_holidays_counts_them() -> None:
    rotation = make_rotation("cycle", cycle_days=[f"Day {n}" for n in range(1, 7)])
    calendar = export({**SHORT_TERM, "cycleCountsHolidays": True}, [block("Maths", "Day 1")], rotation)
    assert sorted(e["DTSTART"].dt.date().isoformat() for e in calendar.walk("VEVENT")) == [
        "2026-09-07",
        "2026-09-15",
        "2026-09-23",
        "2026-10-01",
    ]
