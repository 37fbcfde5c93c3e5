"""The dates a school's lessons repeat over: its term, or a stated default when none is set."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tenants.settings import SchoolSettings

DEFAULT_WEEKS = 15


@dataclass(frozen=True)
class Term:
    start: dt.date
    end: dt.date  # the last day with lessons, included
    holidays: frozenset[dt.date]  # every single day off inside the term
    zone: ZoneInfo
    include_breaks: bool
    is_default: bool  # the school set no term: the export says so


def holiday_days(settings: SchoolSettings) -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for holiday in settings.holidays:
        day = holiday.start
        while day <= holiday.end:
            days.add(day)
            day += dt.timedelta(days=1)
    return frozenset(days)


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
    return Term(
        start=start,
        end=end,
        holidays=holiday_days(settings),
        zone=zone,
        include_breaks=settings.calendar_include_breaks,
        is_default=is_default,
    )
