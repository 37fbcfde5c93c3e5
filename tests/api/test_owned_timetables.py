"""Timetables a teacher owns: rename, delete with undo, one current timetable (the home page's and the
calendar feed's), duplicates noticed by their bytes, and each person's own timetable and history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from icalendar import Calendar

from core.plugin_kit.samples import timetable_pdf
from tests.support.accounts import Account, invite, register
from tests.support.stacks import Stack

LESSON = {"day": "Monday", "startTime": "09:00", "endTime": "10:00"}
# A text PDF is read at about 0.94: below the default accept bar, so these schools accept lower.
EASY = {"acceptThreshold": 0.5, "secondaryOcrThreshold": 0.5, "llmThreshold": 0.5}


def make(account: Account, name: str, subject: str | None = None) -> dict[str, Any]:
    body = {"name": name, "timeblocks": [{"name": subject or name, **LESSON}]}
    response = account.client.post("/timetables", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def current(account: Account) -> httpx.Response:
    return account.client.get("/timetables/current")


def easy_school(stack: Stack) -> tuple[Account, Account]:
    admin = register(stack, name="Grace Admin")
    assert admin.client.put(f"/schools/{admin.user['tenantId']}/settings", json=EASY).status_code == 200
    return admin, invite(admin, name="Ada Teacher")


def pdf(folder: Path, copy: int) -> Path:
    """The sample text PDF; each copy number gives other bytes (a comment after the end marker)."""
    path = timetable_pdf(folder / f"week-{copy}.pdf")
    path.write_bytes(path.read_bytes() + b"%% copy %d\n" % copy)
    return path


def unsure_pdf(folder: Path) -> Path:
    """The sample PDF with subjects no school teaches (same lengths, so the file stays valid): read
    with too little confidence to be accepted, it waits for a person's check."""
    path = timetable_pdf(folder / "unsure.pdf")
    data = path.read_bytes()
    for subject in (b"Maths", b"English", b"Science", b"History", b"Music", b"French", b"Drama"):
        data = data.replace(
            b"(" + subject + b")", b"(" + b"Qx" * (len(subject) // 2) + b"z" * (len(subject) % 2) + b")"
        )
    path.write_bytes(data)
    return path


def upload_and_wait(account: Account, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    sent = account.upload(path, content_type="application/pdf")
    assert sent.status_code == 202, sent.text
    job = account.wait_for_job(sent.json()["jobId"])
    assert job["status"] == "completed", job
    return sent.json(), job


def test_rename_a_timetable(stack: Stack) -> None:
    teacher = register(stack)
    timetable = make(teacher, "week-a-scan-0042")
    renamed = teacher.client.patch(f"/timetables/{timetable['id']}", json={"name": "  Week A  "})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Week A"
    assert renamed.json()["timeblocks"][0]["name"] == "week-a-scan-0042"  # the lessons are untouched
    assert teacher.client.get(f"/timetables/{timetable['id']}").json()["name"] == "Week A"
    assert [t["name"] for t in teacher.client.get("/timetables").json()["items"]] == ["Week A"]

    blank = teacher.client.patch(f"/timetables/{timetable['id']}", json={"name": "   "})
    assert blank.status_code == 400
    assert blank.json()["code"] == "invalid_name" and "Give the timetable a name" in blank.json()["message"]
    assert teacher.client.get(f"/timetables/{timetable['id']}").json()["name"] == "Week A"
    # Someone else's timetable cannot be renamed (nor seen).
    other = register(stack)
    assert other.client.patch(f"/timetables/{timetable['id']}", json={"name": "Mine"}).status_code == 404


def test_delete_then_undo(stack: Stack) -> None:
    teacher = register(stack)
    older = make(teacher, "Autumn", "Chemistry")
    newer = make(teacher, "Spring", "Physics")
    assert current(teacher).json()["id"] == newer["id"]

    assert teacher.client.delete(f"/timetables/{newer['id']}").status_code == 204
    assert teacher.client.get(f"/timetables/{newer['id']}").status_code == 404
    assert [t["id"] for t in teacher.client.get("/timetables").json()["items"]] == [older["id"]]
    assert current(teacher).json()["id"] == older["id"]  # the one before takes over
    assert teacher.client.get(f"/timetables/{newer['id']}/export.ics").status_code == 404

    # Another person cannot bring it back, nor learn that it exists.
    assert register(stack).client.post(f"/timetables/{newer['id']}/restore").status_code == 404

    restored = teacher.client.post(f"/timetables/{newer['id']}/restore")
    assert restored.status_code == 200, restored.text
    back = restored.json()
    assert (back["name"], [b["name"] for b in back["timeblocks"]], back["isCurrent"]) == (
        "Spring",
        ["Physics"],
        True,
    )
    assert current(teacher).json()["id"] == newer["id"]
    assert teacher.client.get("/timetables").json()["total"] == 2

    # Deleting the last one leaves no current timetable, with a plain answer.
    for timetable in (older, newer):
        assert teacher.client.delete(f"/timetables/{timetable['id']}").status_code == 204
    none = current(teacher)
    assert none.status_code == 404 and none.json()["message"].startswith("You have no timetable yet")


def test_the_newest_finished_upload_is_current_unless_the_teacher_picks_another(
    stack: Stack, tmp_path: Path
) -> None:
    admin, teacher = easy_school(stack)
    assert current(teacher).status_code == 404
    _, first = upload_and_wait(teacher, pdf(tmp_path, 1))
    mine = current(teacher)
    assert mine.status_code == 200, mine.text
    assert mine.json()["id"] == first["timetableId"] and mine.json()["isCurrent"] is True
    assert len(mine.json()["timeblocks"]) >= 6  # with its lessons, ready for the home page

    _, second = upload_and_wait(teacher, pdf(tmp_path, 2))
    assert current(teacher).json()["id"] == second["timetableId"]

    chosen = teacher.client.put("/timetables/current", json={"timetableId": first["timetableId"]})
    assert chosen.status_code == 200, chosen.text
    assert current(teacher).json()["id"] == first["timetableId"]
    flags = {t["id"]: t["isCurrent"] for t in teacher.client.get("/timetables").json()["items"]}
    assert flags == {first["timetableId"]: True, second["timetableId"]: False}

    _, third = upload_and_wait(teacher, pdf(tmp_path, 3))  # a new upload takes over again
    assert current(teacher).json()["id"] == third["timetableId"]

    # Only one's own timetable can be one's current one.
    colleague = invite(admin, name="Colleague")
    refused = colleague.client.put("/timetables/current", json={"timetableId": first["timetableId"]})
    assert refused.status_code == 404


def poll(stack: Stack, url: str) -> httpx.Response:
    assert url.startswith(stack.base_url), url  # the feed link names the address the server listens on
    return httpx.get(url, timeout=30)


def summaries(response: httpx.Response) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_calendar_feed_carries_only_the_current_timetable(stack: Stack) -> None:
    teacher = register(stack)
    chemistry = make(teacher, "Autumn", "Chemistry")
    physics = make(teacher, "Spring", "Physics")
    url = teacher.client.post("/me/calendar-feed").json()["url"]
    assert summaries(poll(stack, url)) == ["Physics"]  # not every timetable ever made

    teacher.client.put("/timetables/current", json={"timetableId": chemistry["id"]})
    assert summaries(poll(stack, url)) == ["Chemistry"]
    # The other one is kept and still exports on its own.
    older = teacher.client.get(f"/timetables/{physics['id']}/export.ics")
    assert older.status_code == 200 and summaries(older) == ["Physics"]

    teacher.client.delete(f"/timetables/{chemistry['id']}")
    assert summaries(poll(stack, url)) == ["Physics"]
    teacher.client.delete(f"/timetables/{physics['id']}")
    assert summaries(poll(stack, url)) == []


def test_an_upload_of_the_same_bytes_says_when_it_came_before(stack: Stack, tmp_path: Path) -> None:
    admin, teacher = easy_school(stack)
    path = pdf(tmp_path, 1)
    first, first_job = upload_and_wait(teacher, path)
    assert first.get("duplicateOf") is None

    again = teacher.upload(path, name="timetable (1).pdf", content_type="application/pdf")
    assert again.status_code == 202, again.text
    duplicate = again.json()["duplicateOf"]
    made = teacher.client.get(f"/documents/{first['documentId']}").json()["createdAt"]
    assert duplicate["documentId"] == first["documentId"]
    assert duplicate["timetableId"] == first_job["timetableId"]
    assert duplicate["filename"] == "week-1.pdf" and duplicate["uploadedAt"][:19] == made[:19]
    assert (
        duplicate["message"].startswith("You uploaded this file on ") and "week-1.pdf" in duplicate["message"]
    )
    # Nothing is lost: the new copy is kept and read too.
    second_job = teacher.wait_for_job(again.json()["jobId"])
    assert second_job["status"] == "completed" and second_job["timetableId"] != first_job["timetableId"]
    assert teacher.client.get("/documents").json()["total"] == 2

    # Another file is no duplicate, and a colleague's identical file is not the teacher's.
    other = teacher.upload(pdf(tmp_path, 2), content_type="application/pdf").json()
    assert other.get("duplicateOf") is None
    colleague = admin.upload(path, content_type="application/pdf").json()
    assert colleague.get("duplicateOf") is None
    for sent in (other, colleague):
        (teacher if sent is other else admin).wait_for_job(sent["jobId"])


def test_an_admin_opens_their_own_timetable_not_a_colleagues(stack: Stack) -> None:
    admin = register(stack, name="Grace Admin")
    own = make(admin, "Grace's week", "Assembly")
    teacher = invite(admin, name="Ada Teacher")
    make(teacher, "Ada's week", "Latin")  # newer, and the admin may see it

    home = current(admin)
    assert home.status_code == 200 and home.json()["id"] == own["id"]
    assert [b["name"] for b in home.json()["timeblocks"]] == ["Assembly"]
    assert current(teacher).json()["name"] == "Ada's week"
    mine = admin.client.get("/timetables", params={"mine": "true"}).json()
    assert [t["name"] for t in mine["items"]] == ["Grace's week"] and mine["total"] == 1
    everyone = admin.client.get("/timetables").json()
    assert sorted(t["name"] for t in everyone["items"]) == ["Ada's week", "Grace's week"]


def test_history_is_ones_own_by_default_in_the_app_and_names_the_uploader(
    stack: Stack, tmp_path: Path
) -> None:
    admin, teacher = easy_school(stack)
    sent = teacher.upload(pdf(tmp_path, 1), content_type="application/pdf").json()
    teacher.wait_for_job(sent["jobId"])

    school = admin.client.get("/documents").json()["items"]
    assert [(d["id"], d["uploaderName"]) for d in school] == [(sent["documentId"], "Ada Teacher")]
    assert admin.client.get("/documents", params={"mine": "true"}).json() == {
        "items": [],
        "total": 0,
        "limit": 50,
        "offset": 0,
    }
    own = teacher.client.get("/documents", params={"mine": "true"}).json()["items"]
    assert [(d["id"], d["uploaderName"], d["timetableDeleted"]) for d in own] == [
        (sent["documentId"], "Ada Teacher", False)
    ]
    # A deleted timetable shows in the history as deleted, so it can be restored from there.
    timetable = own[0]["timetableId"]
    assert teacher.client.delete(f"/timetables/{timetable}").status_code == 204
    assert teacher.client.get("/documents").json()["items"][0]["timetableDeleted"] is True


def test_a_timetable_waiting_for_a_check_becomes_current_once_checked(stack: Stack, tmp_path: Path) -> None:
    admin = register(stack, name="Grace Admin")  # the default bar, and no second engine
    teacher = invite(admin, name="Ada Teacher")
    earlier = make(teacher, "By hand", "Latin")
    sent = teacher.upload(unsure_pdf(tmp_path), content_type="application/pdf").json()
    job = teacher.wait_for_job(sent["jobId"])
    assert job["status"] == "review", job
    assert current(teacher).json()["id"] == earlier["id"]  # a draft is not lived by yet
    early = teacher.client.put("/timetables/current", json={"timetableId": job["timetableId"]})
    assert early.status_code == 409 and "not finished yet" in early.json()["message"]

    review = next(r for r in admin.client.get("/reviews").json() if r["jobId"] == job["id"])
    lessons = [{"name": "Maths", "day": "Monday", "startTime": "09:00", "endTime": "10:00"}]
    checked = admin.client.post(f"/reviews/{review['id']}", json={"timeblocks": lessons})
    assert checked.status_code in (200, 201), checked.text
    now_current = current(teacher).json()
    assert now_current["id"] == job["timetableId"]
    assert [b["name"] for b in now_current["timeblocks"]] == ["Maths"]
