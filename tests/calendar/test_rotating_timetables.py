"""Two-week and cycle timetables through the API: made and edited by a teacher, exported to a
calendar whose dates follow the school's calendar, and "what is on this date" answered."""

from __future__ import annotations

import random
from pathlib import Path

from icalendar import Calendar

from bench import corpus_gen as cg
from tests.calendar.conftest import School
from tests.calendar.test_ics import occurrences
from tests.support.stacks import Stack

TERM = {
    "termStart": "2026-09-07",
    "termEnd": "2026-10-02",
    "holidays": [{"start": "2026-09-17", "end": "2026-09-17", "name": "Training day"}],
    "rotationStart": "2026-09-07",
}


def lesson(name: str, day: str, week: str | None = None) -> dict:
    return {"name": name, "day": day, "week": week, "startTime": "09:00", "endTime": "10:00"}


def make(school: School, body: dict) -> dict:
    made = school.teacher.client.post("/timetables", json=body)
    assert made.status_code == 201, made.text
    return made.json()


def on_date(school: School, timetable_id: str, day: str) -> dict:
    response = school.teacher.client.get(f"/timetables/{timetable_id}/days/{day}")
    assert response.status_code == 200, response.text
    return response.json()


def calendar_dates(school: School, timetable_id: str) -> dict[str, list[str]]:
    response = school.teacher.client.get(f"/timetables/{timetable_id}/export.ics")
    assert response.status_code == 200, response.text
    on: dict[str, list[str]] = {}
    for event in Calendar.from_ical(response.content).walk("VEVENT"):
        when = occurrences(event) if "RRULE" in event else [event["DTSTART"].dt]
        on.setdefault(str(event["SUMMARY"]), []).extend(d.date().isoformat() for d in when)
    return {name: sorted(days) for name, days in on.items()}


def test_a_two_week_timetable_keeps_both_weeks_and_exports_them_fortnightly(
    stack: Stack, school: School
) -> None:
    school.set(**TERM)
    timetable = make(
        school,
        {
            "name": "Two weeks",
            "rotation": "two_week",
            "timeblocks": [lesson("Maths", "Monday", "A"), lesson("Art", "Monday", "Week B")],
        },
    )
    assert timetable["rotation"] == "two_week" and timetable["weeks"] == ["A", "B"]
    assert [(b["name"], b["week"]) for b in timetable["timeblocks"]] == [("Maths", "A"), ("Art", "B")]
    assert calendar_dates(school, timetable["id"]) == {
        "Maths": ["2026-09-07", "2026-09-21"],
        "Art": ["2026-09-14", "2026-09-28"],
    }
    day = on_date(school, timetable["id"], "2026-09-14")
    assert day["week"] == "B" and [b["name"] for b in day["timeblocks"]] == ["Art"]
    # Moving a lesson to the other week moves it in the calendar too.
    art = next(b for b in timetable["timeblocks"] if b["name"] == "Art")
    moved = school.teacher.client.put(f"/timeblocks/{art['id']}", json={"week": "A", "day": "Tuesday"})
    assert moved.status_code == 200 and moved.json()["week"] == "A"
    assert calendar_dates(school, timetable["id"])["Art"] == ["2026-09-08", "2026-09-22"]


def test_a_six_day_cycle_follows_the_school_calendar_and_its_settings(stack: Stack, school: School) -> None:
    school.set(**TERM)
    timetable = make(
        school,
        {
            "name": "Six days",
            "rotation": "cycle",
            "cycleDays": ["1", "2", "3", "4", "5", "6"],
            "timeblocks": [lesson("Maths", "Day 1"), lesson("Art", "day 6")],
        },
    )
    assert timetable["cycleDays"] == [f"Day {n}" for n in range(1, 7)]
    assert calendar_dates(school, timetable["id"]) == {
        "Maths": ["2026-09-07", "2026-09-15", "2026-09-24", "2026-10-02"],
        "Art": ["2026-09-14", "2026-09-23", "2026-10-01"],
    }
    client = school.teacher.client
    assert on_date(school, timetable["id"], "2026-09-18")["cycleDay"] == "Day 3"
    holiday = on_date(school, timetable["id"], "2026-09-17")
    assert holiday["schoolDay"] is False and holiday["timeblocks"] == []
    # The school says its cycle runs on through days off: the calendar is made again from it.
    school.set(cycleCountsHolidays=True)
    assert calendar_dates(school, timetable["id"])["Maths"] == [
        "2026-09-07",
        "2026-09-15",
        "2026-09-23",
        "2026-10-01",
    ]
    assert on_date(school, timetable["id"], "2026-09-18")["cycleDay"] == "Day 4"
    # Days renamed A–F: each lesson keeps its place in the cycle; a shorter cycle would strand Art.
    url = f"/timetables/{timetable['id']}"
    lettered = client.patch(url, json={"cycleDays": ["A", "B", "C", "D", "E", "F"]})
    assert lettered.status_code == 200, lettered.text
    assert sorted((b["name"], b["day"]) for b in lettered.json()["timeblocks"]) == [
        ("Art", "Day F"),
        ("Maths", "Day A"),
    ]
    shorter = client.patch(url, json={"cycleDays": ["A", "B", "C", "D"]})
    assert (
        shorter.status_code == 409 and "Day F, which the new cycle does not have" in shorter.json()["message"]
    )


def test_lessons_that_do_not_fit_the_rotation_are_refused_saying_what_to_use(
    stack: Stack, school: School
) -> None:
    client = school.teacher.client
    refused = client.post(
        "/timetables",
        json={"rotation": "cycle", "cycleDays": ["1", "2"], "timeblocks": [lesson("Maths", "Monday")]},
    )
    assert refused.status_code == 400 and "Use Day 1 … Day 2" in refused.json()["message"]
    no_week = client.post(
        "/timetables", json={"rotation": "two_week", "timeblocks": [lesson("Maths", "Monday")]}
    )
    assert (
        no_week.status_code == 400 and "Say which week the lesson is in: A or B" in no_week.json()["message"]
    )
    weekly = client.post("/timetables", json={"timeblocks": [lesson("Maths", "Day 3")]})
    assert weekly.status_code == 400 and "'Day 3' is not a day" in weekly.json()["message"]


def test_changing_the_rotation_moves_the_lessons_and_never_loses_one(stack: Stack, school: School) -> None:
    client = school.teacher.client
    timetable = make(school, {"name": "Mine", "timeblocks": [lesson("Maths", "Monday")]})
    assert timetable["rotation"] == "weekly" and timetable["timeblocks"][0]["week"] is None
    url = f"/timetables/{timetable['id']}"
    two = client.patch(url, json={"rotation": "two_week", "weeks": ["Odd", "Even"]})
    assert two.status_code == 200, two.text
    assert [b["week"] for b in two.json()["timeblocks"]] == ["Odd"]  # into the first week
    added = client.post(f"{url}/timeblocks", json=lesson("Art", "Monday", "even"))
    assert added.status_code == 201 and added.json()["week"] == "Even"
    folded = client.patch(url, json={"rotation": "weekly"})
    assert folded.status_code == 409 and "lessons in both weeks" in folded.json()["message"]
    to_cycle = client.patch(url, json={"rotation": "cycle", "cycleDays": ["A", "B", "C"]})
    assert (
        to_cycle.status_code == 409
        and "Delete the lessons or make a new timetable" in to_cycle.json()["message"]
    )
    kept = client.get(url).json()
    assert kept["rotation"] == "two_week" and sorted(b["name"] for b in kept["timeblocks"]) == [
        "Art",
        "Maths",
    ]


def test_an_uploaded_two_week_timetable_becomes_a_fortnightly_calendar(
    stack: Stack, school: School, tmp_path: Path
) -> None:
    rng = random.Random("uploaded fortnight")
    first, second = cg.fortnight(cg.random_week(rng))
    style = cg.random_style(rng)
    pdf = cg.pages_pdf(
        [cg.table_canvas(week, style, True) for week in (first, second)], tmp_path / "fortnight.pdf"
    )
    school.set(**TERM)
    uploaded = school.teacher.upload(pdf)
    assert uploaded.status_code == 202, uploaded.text
    job = school.teacher.wait_for_job(uploaded.json()["jobId"])
    timetable = school.teacher.client.get(f"/timetables/{job['timetableId']}").json()
    assert timetable["rotation"] == "two_week" and timetable["weeks"] == ["A", "B"]
    # Each week's first Monday lesson (not a break) is in its week, and on that week's Mondays.
    dates = calendar_dates(school, timetable["id"])
    for label, week, mondays in (
        ("A", first, ["2026-09-07", "2026-09-21"]),
        ("B", second, ["2026-09-14", "2026-09-28"]),
    ):
        lessons = [b for b in week.truth() if b["day"] == "Monday" and b["name"] not in ("Break", "Lunch")]
        monday = min(lessons, key=lambda b: b["startTime"])
        assert any(b["week"] == label and b["name"] == monday["name"] for b in timetable["timeblocks"])
        assert set(mondays) <= set(dates[monday["name"]])


# The school days of TERM and their cycle days, counted by hand from its calendar: Day 1 on Monday
# 7 September, one cycle day per school day, Thursday 17 September (a training day) skipped.
SIX_DAY_TERM = {
    "Day 1": ["2026-09-07", "2026-09-15", "2026-09-24", "2026-10-02"],
    "Day 2": ["2026-09-08", "2026-09-16", "2026-09-25"],
    "Day 3": ["2026-09-09", "2026-09-18", "2026-09-28"],
    "Day 4": ["2026-09-10", "2026-09-21", "2026-09-29"],
    "Day 5": ["2026-09-11", "2026-09-22", "2026-09-30"],
    "Day 6": ["2026-09-14", "2026-09-23", "2026-10-01"],
}


def test_an_uploaded_six_day_cycle_becomes_a_calendar_on_the_schools_cycle_days(
    stack: Stack, school: School, tmp_path: Path
) -> None:
    rng = random.Random("uploaded six-day cycle")
    week, style = cg.random_week(rng, list(SIX_DAY_TERM)), cg.random_style(rng)
    style.day_fmt = "full"  # "Day 1" … "Day 6" over the columns
    cg.render_pdf(cg.table_canvas(week, style, True), tmp_path / "six days.pdf")
    school.set(**TERM)
    uploaded = school.teacher.upload(tmp_path / "six days.pdf")
    assert uploaded.status_code == 202, uploaded.text
    job = school.teacher.wait_for_job(uploaded.json()["jobId"])
    timetable = school.teacher.client.get(f"/timetables/{job['timetableId']}").json()
    assert timetable["rotation"] == "cycle" and timetable["cycleDays"] == list(SIX_DAY_TERM)
    truth = week.truth()
    assert sorted((b["day"], b["startTime"], b["name"]) for b in timetable["timeblocks"]) == sorted(
        (b["day"], b["startTime"], b["name"]) for b in truth
    )
    # Every lesson on every date of the term its cycle day falls on, and on no other (breaks and
    # lunch are not put in a calendar unless the school asks).
    breaks = {label for _, _, label in week.periods if not label.isdigit()}
    expected: dict[str, list[str]] = {}
    for block in (b for b in truth if b["name"] not in breaks):
        expected.setdefault(block["name"], []).extend(SIX_DAY_TERM[block["day"]])
    assert calendar_dates(school, timetable["id"]) == {name: sorted(d) for name, d in expected.items()}
