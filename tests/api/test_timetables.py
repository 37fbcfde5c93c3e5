"""Timetables and timeblocks through the API: create, list, edit, delete, and validation."""

from __future__ import annotations

from tests.support.accounts import Account, register
from tests.support.stacks import Stack

BLOCKS = [
    {"name": "Mathematics", "day": "Monday", "startTime": "08:30", "endTime": "09:20", "notes": "Rm 12"},
    {"name": "English", "day": "tue", "startTime": "9.20", "endTime": "10:10", "color": "#3366ff"},
]


def create(account: Account, **fields: object) -> dict:
    body = {"name": "Week A", "teacher": "Ms Lovelace", "className": "9B", "term": "Autumn", "year": 2026}
    response = account.client.post("/timetables", json={**body, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_a_timetable_with_blocks_and_read_it_back(stack: Stack, teacher: Account) -> None:
    created = create(teacher, timeblocks=BLOCKS)
    fetched = teacher.client.get(f"/timetables/{created['id']}").json()
    assert fetched["teacher"] == "Ms Lovelace" and fetched["className"] == "9B" and fetched["year"] == 2026
    blocks = fetched["timeblocks"]
    assert [(b["day"], b["startTime"], b["endTime"], b["duration"]) for b in blocks] == [
        ("Monday", "08:30", "09:20", 50),
        ("Tuesday", "09:20", "10:10", 50),
    ]
    assert blocks[0]["notes"] == "Rm 12" and blocks[1]["color"] == "#3366ff"


def test_edit_and_delete_timeblocks(stack: Stack, teacher: Account) -> None:
    timetable = create(teacher)
    added = teacher.client.post(
        f"/timetables/{timetable['id']}/timeblocks",
        json={"name": "Science", "day": "Wednesday", "startTime": "11:00", "endTime": "12:30"},
    )
    assert added.status_code == 201
    block = added.json()
    assert block["duration"] == 90
    moved = teacher.client.put(f"/timeblocks/{block['id']}", json={"day": "Thursday", "endTime": "11:45"})
    assert moved.status_code == 200
    assert (moved.json()["day"], moved.json()["duration"], moved.json()["name"]) == (
        "Thursday",
        45,
        "Science",
    )
    listed = teacher.client.get(
        f"/timetables/{timetable['id']}/timeblocks", params={"day": "Thursday"}
    ).json()
    assert [b["id"] for b in listed] == [block["id"]]
    assert teacher.client.delete(f"/timeblocks/{block['id']}").status_code == 204
    assert teacher.client.get(f"/timetables/{timetable['id']}/timeblocks").json() == []


def test_invalid_timeblocks_are_refused_with_what_to_fix(stack: Stack, teacher: Account) -> None:
    timetable = create(teacher)
    url = f"/timetables/{timetable['id']}/timeblocks"
    cases = [
        {"name": "Maths", "day": "Funday", "startTime": "08:00", "endTime": "09:00"},
        {"name": "Maths", "day": "Monday", "startTime": "25:00", "endTime": "26:00"},
        {"name": "Maths", "day": "Monday", "startTime": "10:00", "endTime": "09:00"},
        {"name": "  ", "day": "Monday", "startTime": "08:00", "endTime": "09:00"},
        {"name": "Maths", "day": "Monday", "startTime": "08:00", "endTime": "09:00", "color": "blue"},
    ]
    for body in cases:
        response = teacher.client.post(url, json=body)
        assert response.status_code == 400, body
        assert response.json()["code"] == "invalid_timeblock"
    assert teacher.client.get(url).json() == []


def test_update_and_delete_a_timetable(stack: Stack, teacher: Account) -> None:
    timetable = create(teacher, timeblocks=BLOCKS)
    updated = teacher.client.put(f"/timetables/{timetable['id']}", json={"name": "Week B", "term": None})
    assert updated.status_code == 200
    assert (updated.json()["name"], updated.json()["term"], updated.json()["teacher"]) == (
        "Week B",
        None,
        "Ms Lovelace",
    )
    assert teacher.client.delete(f"/timetables/{timetable['id']}").status_code == 204
    assert teacher.client.get(f"/timetables/{timetable['id']}").status_code == 404


def test_list_timetables_paginates_filters_and_sorts(stack: Stack) -> None:
    account = register(stack)
    for name, teacher_name in [("Alpha", "Mr Brown"), ("Beta", "Ms Green"), ("Gamma", "Mr Brown")]:
        create(account, name=name, teacher=teacher_name)
    everything = account.client.get("/timetables", params={"sort": "name"}).json()
    assert [t["name"] for t in everything["items"]] == ["Alpha", "Beta", "Gamma"] and everything["total"] == 3
    assert "timeblocks" not in everything["items"][0] or everything["items"][0]["timeblocks"] is None
    second = account.client.get("/timetables", params={"sort": "-name", "limit": 1, "offset": 1}).json()
    assert [t["name"] for t in second["items"]] == ["Beta"] and second["total"] == 3
    brown = account.client.get("/timetables", params={"q": "brown"}).json()
    assert sorted(t["name"] for t in brown["items"]) == ["Alpha", "Gamma"] and brown["total"] == 2
    assert account.client.get("/timetables", params={"limit": 0}).status_code == 400
