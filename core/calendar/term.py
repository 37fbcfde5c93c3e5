"""The dates a school's lessons repeat over: its term, or a stated default when none is set.

With no term set, the default runs 15 weeks from this Monday. Schools that set no holidays either
get the breaks every UK-style school year has (the product's calendar is the UK's) left out of that
default: the weeks of Christmas Day and New Year's Day, and August. Whatever is assumed is said in
plain words in the export itself (`assumption`), so a calendar never silently covers a holiday."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.schools.settings import SchoolSettings

DEFAULT_WEEKS = 15


@dataclass(frozen=True)
class Term:
    start: dt.date
    end: dt.date  # the last day with lessons, included
    holidays: frozenset[dt.date]  # every single day off inside the term
    zone: ZoneInfo
    include_breaks: bool
    is_default: bool  # the school set no term: the export says so
    holidays_are_default: bool = False  # no holidays set: the default breaks above were used
    # Rotating timetables: a day of Week A / Day 1 of a cycle, and whether cycle days count holidays.
    rotation_start: dt.date | None = None  # None: the term's first day
    cycle_counts_holidays: bool = False

    @property
    def rotation_anchor(self) -> dt.date:
        return self.rotation_start or self.start


def holiday_days(settings: SchoolSettings) -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for holiday in settings.holidays:
        day = holiday.start
        while day <= holiday.end:
            days.add(day)
            day += dt.timedelta(days=1)
    return frozenset(days)


def default_breaks(start: dt.date, end: dt.date) -> frozenset[dt.date]:
    """The weekdays of the weeks holding Christmas Day and New Year's Day, and of August."""
    days: set[dt.date] = set()
    for year in range(start.year - 1, end.year + 1):
        for fixed in (dt.date(year, 12, 25), dt.date(year + 1, 1, 1)):
            monday = fixed - dt.timedelta(days=fixed.weekday())
            days.update(monday + dt.timedelta(days=n) for n in range(5))
    day = start
    while day <= end:
        if day.month == 8:
            days.add(day)
        day += dt.timedelta(days=1)
    return frozenset(d for d in days if start <= d <= end and d.weekday() < 5)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def assumption(term: Term) -> str | None:
    """What the export assumed because the school did not say, in words a teacher reads; None when
    the school set both its term and its holidays."""
    if term.is_default:
        when = f"every week from {_day(term.start)} to {_day(term.end)}"
        breaks = (
            "leaving out only the Christmas and New Year weeks and August, not your school's own holidays"
            if term.holidays_are_default
            else "leaving out the holidays your school set"
        )
        return (
            f"Your school has not set its term dates, so these lessons repeat {when}, {breaks}. "
            "A school admin can set the term and holidays in the school's settings."
        )
    if not term.holidays:
        return (
            f"Your school has set no holidays, so these lessons repeat every week from {_day(term.start)} "
            f"to {_day(term.end)}, holidays included. A school admin can add them in the school's settings."
        )
    return None


def term_of(settings: SchoolSettings, today: dt.date | None = None) -> Term:
    """The school's term; with none set, from this week's Monday for 15 weeks, so that an export
    still lands in the calendar at the right times and the teacher can see what to fix."""
    zone = ZoneInfo(settings.timezone)
    if settings.term_start is not None and settings.term_end is not None:
        start, end, is_default = settings.term_start, settings.term_end, False
    else:
        today = today or dt.datetime.now(zone).date()
        start = today - dt.timedelta(days=today.weekday())
        end, is_default = start + dt.timedelta(weeks=DEFAULT_WEEKS, days=-1), True
    holidays, guessed = holiday_days(settings), False
    if is_default and not holidays:
        holidays, guessed = default_breaks(start, end), True
    return Term(
        start=start,
        end=end,
        holidays=holidays,
        zone=zone,
        include_breaks=settings.calendar_include_breaks,
        is_default=is_default,
        holidays_are_default=guessed,
        rotation_start=settings.rotation_start,
        cycle_counts_holidays=settings.cycle_counts_holidays,
    )
