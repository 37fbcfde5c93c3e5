"""Deleting a school or a person leaves nothing of them in the database, storage or Redis, on both
stacks; another school is untouched and the worker keeps working."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import DOCUMENTS
from tests.privacy.scan import database_dump, rows_of, traces
from tests.support.accounts import Account, invite, platform_admin, register
from tests.support.stacks import Stack

TEXT_PDF = DOCUMENTS / "003_days_cols_pdf_text.pdf"
PUSH = {"endpoint": "https://push.example.test/send/{}", "keys": {"p256dh": "B" * 87, "auth": "A" * 22}}


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:12]}"


def use_everything(person: Account) -> dict[str, str]:
    """A person who uploaded, got a timetable and set every preference; returns their ids."""
    upload = person.upload(TEXT_PDF).json()
    job = person.wait_for_job(upload["jobId"])
    assert job["status"] == "completed", job
    client = person.client
    push = {**PUSH, "endpoint": PUSH["endpoint"].format(uuid.uuid4().hex)}
    assert client.post("/me/push-subscriptions", json=push).status_code == 201
    assert client.put("/me/notification-preferences", json={"email": False}).status_code == 200
    assert client.post("/me/calendar-feed").status_code == 201
    return {
        "document": upload["documentId"],
        "job": upload["jobId"],
        "timetable": job["timetableId"],
        "endpoint": push["endpoint"],
    }


def needles_of(*people: Account) -> list[str]:
    out = []
    for person in people:
        out += [person.user["id"], person.email, person.user["name"]]
    return out


def test_deleting_a_school_leaves_nothing_of_it(stack: Stack) -> None:
    root = platform_admin(stack)
    name = unique("Doomed Academy")
    head = register(stack, school=name, name=unique("Headteacher"))
    teacher = invite(head, name=unique("Teacher"))
    school_id = head.user["tenantId"]
    slug = root.client.get(f"/schools/{school_id}").json()["slug"]
    ids = use_everything(teacher) | {f"head-{k}": v for k, v in use_everything(head).items()}
    assert head.client.put(f"/schools/{school_id}/credentials", json={"gcvApiKey": "gcv-" + uuid.uuid4().hex})
    assert head.client.put(f"/schools/{school_id}/settings", json={"retentionDays": 30}).status_code == 200
    # A document still in the pipeline when the school goes: its queued messages must go too.
    late = teacher.upload(TEXT_PDF).json()
    other = register(stack, name=unique("Bystander"))
    kept = use_everything(other)

    wrong = root.client.request("DELETE", f"/schools/{school_id}", json={"confirm": "not-the-slug"})
    assert wrong.status_code == 400 and slug in wrong.json()["message"]
    assert head.client.request("DELETE", f"/schools/{school_id}", json={"confirm": slug}).status_code == 403
    gone = root.client.request("DELETE", f"/schools/{school_id}", json={"confirm": slug})
    assert gone.status_code == 204, gone.text

    needles = [
        school_id,
        slug,
        name,
        *needles_of(head, teacher),
        *ids.values(),
        late["documentId"],
        late["jobId"],
    ]
    assert traces(stack, needles) == []
    # Kept for billing: the school's usage, with nothing that names a person.
    usage = rows_of(database_dump(stack), "retained_usage")
    assert any(school_id in row for row in usage)
    assert not any(n in row for row in usage for n in needles_of(head, teacher))
    # Its people are signed out for good; the other school keeps everything and still gets work done.
    assert teacher.client.get("/auth/me").status_code == 401
    assert root.client.get(f"/schools/{school_id}").status_code == 404
    assert other.client.get(f"/timetables/{kept['timetable']}").status_code == 200
    again = other.upload(TEXT_PDF).json()
    assert other.wait_for_job(again["jobId"])["status"] == "completed"


def test_deleting_a_person_leaves_nothing_of_them(stack: Stack) -> None:
    head = register(stack, name=unique("Head"))
    teacher = invite(head, name=unique("Leaving Teacher"))
    colleague = invite(head, name=unique("Staying Teacher"))
    ids = use_everything(teacher)
    mine = use_everything(colleague)
    assert head.client.put(
        f"/schools/{head.user['tenantId']}/users/{teacher.user['id']}/role", json={"role": "reviewer"}
    )

    # A colleague cannot delete them; the head can (and only people of their own school).
    assert colleague.client.delete(f"/users/{teacher.user['id']}").status_code == 403
    assert head.client.delete(f"/users/{uuid.uuid4()}").status_code == 404
    assert head.client.delete(f"/users/{teacher.user['id']}").status_code == 204

    assert traces(stack, [*needles_of(teacher), *ids.values()]) == []
    assert teacher.client.get("/auth/me").status_code == 401
    assert colleague.client.get(f"/timetables/{mine['timetable']}").status_code == 200
    log: list[dict[str, Any]] = head.client.get(f"/schools/{head.user['tenantId']}/audit").json()
    assert any(entry["action"] == "delete_user" for entry in log)


def test_a_person_deletes_their_own_account(stack: Stack) -> None:
    head = register(stack, name=unique("Head"))
    teacher = invite(head, name=unique("Self Deleter"))
    ids = use_everything(teacher)
    assert teacher.client.delete("/me").status_code == 204
    assert traces(stack, [*needles_of(teacher), *ids.values()]) == []
    with stack.client() as client:
        login = client.post("/auth/login", json={"email": teacher.email, "password": teacher.password})
    assert login.status_code == 401
