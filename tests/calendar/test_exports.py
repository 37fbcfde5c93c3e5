"""Exports through the API: the ICS and CSV a teacher downloads, and nothing of another school's."""

from __future__ import annotations

import csv
import io

from icalendar import Calendar

from tests.calendar.conftest import School
from tests.support.accounts import register
from tests.support.stacks import Stack

TERM = {
    "termStart": "2026-09-07",
    "termEnd": "2026-12-18",
    "holidays": [{"start": "2026-10-26", "end": "2026-10-30", "name": "Half term"}],
    "timezone": "Europe/London",
}
BLOCKS = [
    {"name": "Maths", "day": "Monday", "startTime": "09:00", "endTime": "10:00", "notes": "Room 12"},
    {"name": "=1+1", "day": "Tuesday", "startTime": "11:00", "endTime": "11:50"},
    {"name": "Lunch", "day": "Monday", "startTime": "12:00", "endTime": "12:45"},
]


def make_timetable(school: School, name: str = "Week A") -> dict:
    made = school.teacher.client.post("/timetables", json={"name": name, "timeblocks": BLOCKS})
    assert made.status_code == 201, made.text
    return made.json()


def test_the_ics_download_holds_the_lessons_over_the_schools_term(stack: Stack, school: School) -> None:
    school.set(**TERM)
    timetable = make_timetable(school)
    response = school.teacher.client.get(f"/timetables/{timetable['id']}/export.ics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"  # once, not twice
    assert response.headers["content-disposition"].startswith('attachment; filename="Week-A.ics"')
    assert response.headers["x-timetabler-term"] == "school"
    calendar = Calendar.from_ical(response.content)
    found = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(found) == {"Maths", "=1+1"}  # lunch left out by default
    maths = found["Maths"]
    assert maths["DTSTART"].dt.isoformat() == "2026-09-07T09:00:00+01:00"
    assert [d.dt.date().isoformat() for d in maths["EXDATE"].dts] == ["2026-10-26"]
    assert str(maths["LOCATION"]) == "Room 12"
    block_ids = {b["name"]: b["id"] for b in timetable["timeblocks"]}
    assert str(maths["UID"]) == f"{block_ids['Maths']}@127.0.0.1"


def test_reexporting_after_an_edit_keeps_uids_and_changes_the_etag(stack: Stack, school: School) -> None:
    timetable = make_timetable(school)
    url = f"/timetables/{timetable['id']}/export.ics"
    first = school.teacher.client.get(url)
    assert first.headers["x-timetabler-term"] == "default"  # no term set: said so
    assert first.headers["x-timetabler-holidays"] == "default"  # nor holidays: the default breaks
    unchanged = school.teacher.client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    maths = next(b for b in timetable["timeblocks"] if b["name"] == "Maths")
    renamed = school.teacher.client.put(f"/timeblocks/{maths['id']}", json={"name": "Further Maths"})
    assert renamed.status_code == 200
    second = school.teacher.client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200 and second.headers["etag"] != first.headers["etag"]
    before = {str(e["UID"]): str(e["SUMMARY"]) for e in Calendar.from_ical(first.content).walk("VEVENT")}
    after = {str(e["UID"]): str(e["SUMMARY"]) for e in Calendar.from_ical(second.content).walk("VEVENT")}
    assert set(before) == set(after)  # the calendar app updates the same events
    assert after[f"{maths['id']}@127.0.0.1"] == "Further Maths"


def test_the_csv_download_has_a_row_per_lesson_and_no_formulas(stack: Stack, school: School) -> None:
    timetable = make_timetable(school)
    response = school.teacher.client.get(f"/timetables/{timetable['id']}/export.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="Week-A.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Day", "Start", "End", "Subject", "Notes", "Confidence", "Page"]
    assert [r[:4] for r in rows[1:]] == [
        ["Monday", "09:00", "10:00", "Maths"],
        ["Monday", "12:00", "12:45", "Lunch"],
        ["Tuesday", "11:00", "11:50", "'=1+1"],
    ]


def test_another_schools_timetable_is_not_found(stack: Stack, school: School) -> None:
    timetable = make_timetable(school)
    outsider = register(stack)  # the admin of another school
    for kind in ("ics", "csv"):
        theirs = outsider.client.get(f"/timetables/{timetable['id']}/export.{kind}")
        nobody = outsider.client.get(f"/timetables/00000000-0000-4000-8000-000000000000/export.{kind}")
        assert theirs.status_code == nobody.status_code == 404
        assert theirs.json() == nobody.json() == {"code": "not_found", "message": "Timetable was not found."}
    with stack.client() as anonymous:
        assert anonymous.get(f"/timetables/{timetable['id']}/export.ics").status_code == 401


def test_school_settings_show_the_term_and_refuse_nonsense(stack: Stack, school: School) -> None:
    school.set(**TERM)
    shown = school.admin.client.get(f"/schools/{school.id}/settings").json()
    assert shown["settings"]["termStart"] == "2026-09-07" and shown["sources"]["termStart"] == "school"
    assert shown["settings"]["holidays"] == TERM["holidays"] and shown["sources"]["timezone"] == "school"
    assert shown["settings"]["calendarIncludeBreaks"] is False
    assert shown["sources"]["calendarIncludeBreaks"] == "default"
    bad = school.admin.client.put(f"/schools/{school.id}/settings", json={"termEnd": "2026-09-01"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_settings"
    assert "before or on the day it starts" in bad.json()["message"]
    kept = school.admin.client.get(f"/schools/{school.id}/settings").json()
    assert kept["settings"]["termEnd"] == "2026-12-18"  # nothing half-saved
