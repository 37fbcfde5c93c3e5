"""The secret calendar link: calendar apps poll it without signing in; rotating or revoking it
turns the old address off; it shows only its owner's own current timetable."""

from __future__ import annotations

import sqlite3

import httpx
import pytest
from icalendar import Calendar

from tests.calendar.conftest import School
from tests.support.stacks import Stack

LESSON = {"day": "Thursday", "startTime": "10:00", "endTime": "11:00"}


def poll(url: str, **headers: str) -> httpx.Response:
    """What a calendar app does: a plain GET of the address, no token."""
    return httpx.get(url, headers=headers, timeout=30)


def summaries(response: httpx.Response) -> set[str]:
    return {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_create_poll_rotate_and_revoke(stack: Stack, school: School) -> None:
    teacher = school.teacher
    for name in ("Chemistry", "Physics"):
        made = teacher.client.post(
            "/timetables", json={"name": name, "timeblocks": [{"name": name, **LESSON}]}
        )
        assert made.status_code == 201
    colleague = school.admin.client.post(
        "/timetables", json={"name": "Admin's", "timeblocks": [{"name": "Biology", **LESSON}]}
    )
    assert colleague.status_code == 201
    assert teacher.client.get("/me/calendar-feed").json() == {"active": False, "createdAt": None}

    created = teacher.client.post("/me/calendar-feed")
    assert created.status_code == 201, created.text
    url = created.json()["url"]
    # The address the server really listens on (not a fixed :8000): the link works as given.
    assert url.startswith(f"{stack.base_url}/calendar/") and url.endswith(".ics")
    assert teacher.client.get("/me/calendar-feed").json()["active"] is True

    local = url
    fed = poll(local)
    assert fed.status_code == 200, fed.text
    assert fed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert fed.headers["cache-control"].startswith("private")
    assert fed.headers["last-modified"].endswith("GMT")
    # The teacher's own current timetable (the newest): not a colleague's, nor older ones.
    assert summaries(fed) == {"Physics"}
    again = poll(local, **{"If-None-Match": fed.headers["etag"]})
    assert again.status_code == 304  # an unchanged calendar costs a polling app nothing

    rotated = teacher.client.post("/me/calendar-feed")
    new_local = rotated.json()["url"]
    assert new_local != local
    old = poll(local)
    assert old.status_code == 404
    made_up = poll(stack.base_url + "/calendar/" + "A" * 43 + ".ics")
    assert old.json() == made_up.json()
    assert old.json()["code"] == "not_found" and "Make a new one" in old.json()["message"]
    assert summaries(poll(new_local)) == {"Physics"}

    assert teacher.client.delete("/me/calendar-feed").status_code == 204
    revoked = poll(new_local)
    assert revoked.status_code == 404 and revoked.json() == made_up.json()
    assert teacher.client.get("/me/calendar-feed").json() == {"active": False, "createdAt": None}

    # The school's admins can see who made and turned off calendar links (never the links).
    log = school.admin.client.get(f"/schools/{school.id}/audit").json()
    feeds = [(e["action"], e["actorEmail"]) for e in log if e["action"].startswith("calendar_feed")]
    email = teacher.user["email"]
    made, off = ("calendar_feed_created", email), ("calendar_feed_revoked", email)
    assert feeds == [off, made, made]  # newest first
    assert "/calendar/" not in str(log)


def disable(stack: Stack, user_id: str) -> None:
    """What an operator does to an account that must stop working (there is no API for it yet)."""
    if stack.postgres is not None:
        stack.postgres.execute(f"UPDATE users SET is_active = false WHERE id = '{user_id}'")
        return
    with sqlite3.connect(stack.data_dir / "timetabler.sqlite3") as db:
        db.execute("UPDATE users SET is_active = 0 WHERE id = ?", (user_id,))


def test_a_link_stops_when_its_owner_is_disabled(stack: Stack, school: School) -> None:
    teacher = school.teacher
    teacher.client.post("/timetables", json={"name": "Art", "timeblocks": [{"name": "Art", **LESSON}]})
    url = teacher.client.post("/me/calendar-feed").json()["url"]
    local = url
    assert summaries(poll(local)) == {"Art"}
    disable(stack, teacher.user["id"])
    gone = poll(local)
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


@pytest.mark.parametrize("stack", ["postgres"], indirect=True)
def test_feeds_are_under_row_level_security(stack: Stack, school: School) -> None:
    """The open route finds a link across schools on purpose; the table itself stays fenced."""
    assert school.teacher.client.post("/me/calendar-feed").status_code == 201
    flags = stack.postgres.execute(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'calendar_feeds'"
    )
    assert flags == "t|t"

    def as_app(tenant: str | None) -> str:
        named = f"SELECT set_config('app.tenant_id', '{tenant}', false);" if tenant else ""
        sql = f"SET ROLE timetabler_app; {named} SELECT count(*) FROM calendar_feeds"
        return stack.postgres.execute(sql).splitlines()[-1]

    assert as_app(None) == "0"  # no school named: no link visible
    assert as_app(school.id) == "1"
    assert int(stack.postgres.execute("SELECT count(*) FROM calendar_feeds")) >= 1
