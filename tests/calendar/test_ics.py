"""The iCalendar a teacher imports: weekly lessons on the right weekdays and local times, over the
term, without holidays, with UIDs that stay the same so a second import updates the first."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from core.calendar.ics import TimetableForCalendar, build_calendar
from core.calendar.term import term_of
from core.schools.settings import effective

LONDON = ZoneInfo("Europe/London")
SCHOOL = {
    "termStart": "2026-09-02",  # a Wednesday
    "termEnd": "2026-12-18",
    "holidays": [{"start": "2026-10-26", "end": "2026-10-30", "name": "Half term"}],
}
MATHS, ART, LUNCH = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
BLOCKS = [
    {
        "id": MATHS,
        "day": "Monday",
        "start_time": "09:00",
        "end_time": "10:00",
        "name": "Maths",
        "notes": "Room 12",
    },
    {
        "id": LUNCH,
        "day": "Monday",
        "start_time": "12:00",
        "end_time": "12:45",
        "name": "Lunch",
        "notes": None,
    },
    {"id": ART, "day": "Wednesday", "start_time": "13:15", "end_time": "14:05", "name": "Art", "notes": None},
]
UPDATED = dt.datetime(2026, 8, 30, 12, 0, tzinfo=dt.UTC)


def export(settings: dict, blocks: list[dict] = BLOCKS, today: dt.date | None = None) -> Calendar:
    term = term_of(effective({}, settings), today=today)
    timetable = TimetableForCalendar(id=uuid.uuid4(), name="Week A", updated_at=UPDATED, blocks=blocks)
    return Calendar.from_ical(build_calendar([timetable], term, domain="timetabler.test", name="Week A"))


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def occurrences(event: object) -> list[dt.datetime]:
    """The dates a calendar app shows: the rule's dates minus the excluded ones."""
    start = event["DTSTART"].dt
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    excluded = {d.dt for exdate in _list(event.get("EXDATE")) for d in exdate.dts}
    return [when for when in rule if when not in excluded]


def _list(value: object) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def test_each_lesson_repeats_weekly_on_its_day_at_local_times() -> None:
    found = events(export(SCHOOL))
    assert set(found) == {"Maths", "Art"}  # lunch is not a lesson unless the school asks for breaks
    maths, art = found["Maths"], found["Art"]
    # The term starts on a Wednesday: Art that day, Maths the Monday after.
    assert maths["DTSTART"].dt == dt.datetime(2026, 9, 7, 9, 0, tzinfo=LONDON)
    assert maths["DTEND"].dt == dt.datetime(2026, 9, 7, 10, 0, tzinfo=LONDON)
    assert art["DTSTART"].dt == dt.datetime(2026, 9, 2, 13, 15, tzinfo=LONDON)
    assert maths["DTSTART"].params["TZID"] == "Europe/London"
    rule = maths["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    # UNTIL is UTC (RFC 5545) and covers the whole last day of term.
    assert rule["UNTIL"][0] == dt.datetime(2026, 12, 18, 23, 59, tzinfo=LONDON).astimezone(dt.UTC)
    assert str(maths["LOCATION"]) == "Room 12" and str(maths["DESCRIPTION"]) == "Room 12"
    assert "LOCATION" not in art


def test_holidays_are_left_out_and_times_hold_across_the_clock_change() -> None:
    maths = events(export(SCHOOL))["Maths"]
    dates = occurrences(maths)
    assert dt.datetime(2026, 10, 26, 9, 0, tzinfo=LONDON) not in dates  # half term
    assert len(dates) == 14  # 15 Mondays from 7 September to 14 December, less half term
    assert all(d.weekday() == 0 and (d.hour, d.minute) == (9, 0) for d in dates)
    # British Summer Time ends on 25 October: 09:00 local is 08:00 UTC before and 09:00 UTC after.
    utc_hours = {d.astimezone(dt.UTC).hour for d in dates}
    assert utc_hours == {8, 9}
    assert dates[-1].date() == dt.date(2026, 12, 14)


def test_the_calendar_names_its_zone_so_calendar_apps_import_it() -> None:
    calendar = export({**SCHOOL, "timezone": "America/New_York"})
    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["America/New_York"]
    assert str(calendar["PRODID"]).startswith("-//Timetabler//")
    assert str(calendar["VERSION"]) == "2.0"
    art = events(calendar)["Art"]
    assert art["DTSTART"].dt == dt.datetime(2026, 9, 2, 13, 15, tzinfo=ZoneInfo("America/New_York"))
    assert art["DTSTAMP"].dt == UPDATED


def test_uids_are_stable_across_exports() -> None:
    first, second = export(SCHOOL), export(SCHOOL)
    uids = {str(e["SUMMARY"]): str(e["UID"]) for e in first.walk("VEVENT")}
    assert uids == {str(e["SUMMARY"]): str(e["UID"]) for e in second.walk("VEVENT")}
    assert uids["Maths"] == f"{MATHS}@timetabler.test"
    assert first.to_ical() == second.to_ical()  # same timetable, same bytes: ETags hold


def test_breaks_become_events_when_the_school_asks() -> None:
    found = events(export({**SCHOOL, "calendarIncludeBreaks": True}))
    assert set(found) == {"Maths", "Lunch", "Art"}


def test_without_a_term_the_export_uses_fifteen_weeks_from_this_monday_and_says_so() -> None:
    calendar = export({}, today=dt.date(2026, 11, 26))  # a Thursday
    assert str(calendar["X-TIMETABLER-TERM-SOURCE"]) == "default"
    assert str(calendar["X-TIMETABLER-TERM-START"]) == "2026-11-23"
    maths = events(calendar)["Maths"]
    dates = occurrences(maths)
    assert dates[0] == dt.datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
    # Not on Christmas week nor New Year's week: 15 Mondays less 21 and 28 December.
    assert dt.datetime(2026, 12, 21, 9, 0, tzinfo=LONDON) not in dates
    assert dt.datetime(2026, 12, 28, 9, 0, tzinfo=LONDON) not in dates
    assert len(dates) == 13 and dates[-1].date() == dt.date(2027, 3, 1)
    # Said where a teacher sees it: the calendar's description and each lesson's.
    said = str(calendar["X-WR-CALDESC"])
    assert "has not set its term dates" in said and "23 November 2026 to 7 March 2027" in said
    assert "Christmas and New Year weeks and August" in said
    assert str(maths["DESCRIPTION"]) == f"Room 12\n\n{said}"
    assert str(export(SCHOOL)["X-TIMETABLER-TERM-SOURCE"]) == "school"


def test_a_default_term_over_the_summer_leaves_out_august() -> None:
    art = events(export({}, today=dt.date(2027, 7, 14)))["Art"]  # Wednesdays from 14 July
    months = {d.month for d in occurrences(art)}
    assert 8 not in months and {7, 9} <= months


def test_a_term_with_no_holidays_says_that_holidays_are_included() -> None:
    calendar = export({"termStart": "2026-09-02", "termEnd": "2026-12-18"})
    assert "set no holidays" in str(calendar["X-WR-CALDESC"])
    assert "holidays included" in str(events(calendar)["Art"]["DESCRIPTION"])
    # A school that set both says nothing more than its own notes.
    full = export(SCHOOL)
    assert "X-WR-CALDESC" not in full and str(events(full)["Maths"]["DESCRIPTION"]) == "Room 12"


def test_a_lesson_whose_day_never_falls_in_the_term_is_left_out() -> None:
    short = {"termStart": "2026-09-07", "termEnd": "2026-09-08"}  # Monday and Tuesday only
    assert set(events(export(short))) == {"Maths"}
