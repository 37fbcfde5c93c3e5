"""A deleted timetable can be restored for 30 days; then the periodic maintenance removes it for good
(every second here, hourly by default)."""

from __future__ import annotations

import time

from tests.privacy.scan import run_sql
from tests.support.accounts import register
from tests.support.stacks import Stack

LESSON = {"name": "Latin", "day": "Monday", "startTime": "09:00", "endTime": "10:00"}


def test_deleted_timetables_are_removed_for_good_after_their_undo_window(stack: Stack) -> None:
    teacher = register(stack)
    old, recent = (
        teacher.client.post("/timetables", json={"name": name, "timeblocks": [LESSON]}).json()
        for name in ("Last year", "Last week")
    )
    for timetable in (old, recent):
        assert teacher.client.delete(f"/timetables/{timetable['id']}").status_code == 204
    # The first was deleted long ago: its 30 days to undo are over.
    if stack.postgres is None:
        age = "deleted_at = '2020' || substr(deleted_at, 5)"
    else:
        age = "deleted_at = deleted_at - interval '31 days'"
    run_sql(stack, f"UPDATE timetables SET {age} WHERE id = '{old['id']}'")
    deadline = time.monotonic() + 60
    while run_sql(stack, f"SELECT count(*) FROM timetables WHERE id = '{old['id']}'").strip() != "0":
        assert time.monotonic() < deadline, "the maintenance run did not remove the old deleted timetable"
        time.sleep(0.5)
    assert teacher.client.post(f"/timetables/{old['id']}/restore").status_code == 404
    lessons = f"SELECT count(*) FROM timeblocks WHERE timetable_id = '{old['id']}'"
    assert run_sql(stack, lessons).strip() == "0"
    # Still held while it can be restored, so a data export shows it, marked deleted.
    exported = {t["id"]: t for t in teacher.client.get("/me/export").json()["timetables"]}
    assert old["id"] not in exported and exported[recent["id"]]["deletedAt"] is not None
    back = teacher.client.post(f"/timetables/{recent['id']}/restore")
    assert back.status_code == 200 and back.json()["timeblocks"][0]["name"] == "Latin"
