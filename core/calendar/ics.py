"""Timetables as iCalendar: one weekly event per lesson over the term, holidays left out.

A two-week timetable's lesson repeats every other week (INTERVAL=2) from the first date of its week
on or after the term's start, the weeks counted from the school's rotation start. A cycle
timetable's lesson falls on dates, not weekdays: one event on each school day that is its cycle day.

Times are local to the school (DTSTART/DTEND with TZID and a VTIMEZONE), so Google, Apple and
Outlook keep lessons at 09:00 across daylight-saving changes. UIDs are the block's id at the
product's domain, so importing again updates events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from icalendar import Calendar, Event, vRecur

from core.calendar.term import Term, assumption
from core.extraction.columns import is_break_text
from core.timetables.blocks import DAYS
from core.timetables.rotation import WEEKLY, Rotation, cycle_days_between, week_on

PRODID = "-//Timetabler//Timetabler Calendar Export 1.0//EN"
# "Room 12", "Rm B4", "room: Lab 2" in a lesson's notes: the nearest thing to a room we keep.
_ROOM = re.compile(r"(?i)\b(?:room|rm)\b[.:]?\s*([A-Za-z0-9][\w-]{0,19})")


@dataclass(frozen=True)
class TimetableForCalendar:
    id: Any
    name: str
    updated_at: dt.datetime
    blocks: list[dict[str, Any]]  # rows of timeblocks: id, day, week, start_time, end_time, name, notes
    rotation: Rotation = WEEKLY


def room_in(notes: str | None) -> str | None:
    match = _ROOM.search(notes or "")
    return f"Room {match.group(1)}" if match else None


def first_on_or_after(start: dt.date, weekday: int) -> dt.date:
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def _at(day: dt.date, hhmm: str, term: Term) -> dt.datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=term.zone)


def _first_date(block: dict[str, Any], rotation: Rotation, term: Term) -> dt.date:
    """The lesson's first date on or after the term's start: its weekday, and on a two-week
    timetable the first such day in the lesson's week."""
    first = first_on_or_after(term.start, DAYS.index(block["day"]))
    if rotation.kind == "two_week" and week_on(first, rotation, term.rotation_anchor) != block.get("week"):
        first += dt.timedelta(weeks=1)
    return first


def _lesson(
    block: dict[str, Any], timetable: TimetableForCalendar, term: Term, uid: str, day: dt.date
) -> Event:
    event = Event()
    event.add("uid", uid)
    # Without METHOD, DTSTAMP is the information's last revision: the same timetable gives the
    # same bytes, so a polling calendar app can be answered "not modified".
    event.add("dtstamp", timetable.updated_at.astimezone(dt.UTC))
    event.add("summary", block["name"])
    event.add("dtstart", _at(day, block["start_time"], term))
    event.add("dtend", _at(day, block["end_time"], term))
    # What the export assumed about the term, where a teacher opening a lesson in their calendar sees it.
    description = "\n\n".join(part for part in (block.get("notes"), assumption(term)) if part)
    if description:
        event.add("description", description)
    room = room_in(block.get("notes"))
    if room:
        event.add("location", room)
    event.add("categories", [timetable.name or "Timetable"])
    return event


def repeating_event(
    block: dict[str, Any], timetable: TimetableForCalendar, term: Term, domain: str
) -> Event | None:
    """A lesson on a weekday as one event repeating every week (every other week on a two-week
    timetable), or None when it never falls inside the term."""
    if block["day"] not in DAYS:
        return None
    rotation = timetable.rotation
    first = _first_date(block, rotation, term)
    if first > term.end:
        return None
    event = _lesson(block, timetable, term, f"{block['id']}@{domain}", first)
    interval = 2 if rotation.kind == "two_week" else 1
    # UNTIL is in UTC when DTSTART has a zone (RFC 5545 3.3.10): the end of the term's last day.
    until = _at(term.end, "23:59", term).astimezone(dt.UTC)
    rule = (
        {"freq": "WEEKLY", "until": until}
        if interval == 1
        else {"freq": "WEEKLY", "interval": 2, "until": until}
    )
    event.add("rrule", vRecur(rule))
    skipped = sorted(
        d
        for d in term.holidays
        if first <= d <= term.end
        and d.weekday() == first.weekday()
        and (d - first).days % (7 * interval) == 0
    )
    if skipped:
        event.add("exdate", [_at(day, block["start_time"], term) for day in skipped])
    return event


def cycle_events(
    block: dict[str, Any], timetable: TimetableForCalendar, term: Term, domain: str, days: dict[dt.date, str]
) -> list[Event]:
    """A lesson on a cycle day as one event on each school day of the term that is that cycle day.
    Each has its own UID (the lesson's id and the date), so a changed calendar updates in place."""
    return [
        _lesson(block, timetable, term, f"{block['id']}-{day:%Y%m%d}@{domain}", day)
        for day, cycle_day in sorted(days.items())
        if cycle_day == block["day"] and day >= term.start
    ]


def lesson_events(timetable: TimetableForCalendar, term: Term, domain: str) -> list[Event]:
    """Every lesson of a timetable as calendar events over the term."""
    blocks = [b for b in timetable.blocks if term.include_breaks or not is_break_text(b["name"])]
    if timetable.rotation.kind == "cycle":
        days = cycle_days_between(
            term.rotation_anchor,
            term.end,
            timetable.rotation,
            term.holidays,
            count_holidays=term.cycle_counts_holidays,
        )
        return [event for block in blocks for event in cycle_events(block, timetable, term, domain, days)]
    events = (repeating_event(block, timetable, term, domain) for block in blocks)
    return [event for event in events if event is not None]


def build_calendar(
    timetables: Iterable[TimetableForCalendar], term: Term, *, domain: str, name: str
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", term.zone.key)
    calendar.add("x-timetabler-term-start", term.start.isoformat())
    calendar.add("x-timetabler-term-end", term.end.isoformat())
    # The school set no term: the events run over a default stretch and the file says so.
    calendar.add("x-timetabler-term-source", "default" if term.is_default else "school")
    note = assumption(term)
    if note:
        calendar.add("x-wr-caldesc", note)  # shown by calendar apps for a subscribed calendar
    for timetable in timetables:
        for event in lesson_events(timetable, term, domain):
            calendar.add_component(event)
    # A VTIMEZONE for the zone the events name (Outlook needs it to import), with whole years of
    # its rules around the term so no clock change near the term's ends is missed.
    calendar.add_missing_timezones(
        first_date=dt.date(term.start.year, 1, 1), last_date=dt.date(term.end.year, 12, 31)
    )
    return calendar.to_ical()
