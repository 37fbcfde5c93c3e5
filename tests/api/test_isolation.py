"""Nothing one school or teacher holds is seen by another: every attempt answers 404."""

from __future__ import annotations

from tests.conftest import DOCUMENTS
from tests.support.accounts import Account, invite, register
from tests.support.stacks import Stack


def owned_things(owner: Account) -> dict[str, str]:
    upload = owner.upload(DOCUMENTS / "003_days_cols_pdf_text.pdf").json()
    job = owner.wait_for_job(upload["jobId"])
    block = owner.client.get(f"/timetables/{job['timetableId']}").json()["timeblocks"][0]
    return {
        "document": upload["documentId"],
        "job": upload["jobId"],
        "timetable": job["timetableId"],
        "block": block["id"],
    }


def assert_cannot_touch(intruder: Account, owner: Account, things: dict[str, str]) -> None:
    c = intruder.client
    attempts = [
        c.get(f"/documents/{things['document']}"),
        c.get(f"/documents/{things['document']}/status"),
        c.delete(f"/documents/{things['document']}"),
        c.get(f"/jobs/{things['job']}"),
        c.post(f"/jobs/{things['job']}/retry"),
        c.get(f"/timetables/{things['timetable']}"),
        c.put(f"/timetables/{things['timetable']}", json={"name": "mine now"}),
        c.get(f"/timetables/{things['timetable']}/timeblocks"),
        c.post(
            f"/timetables/{things['timetable']}/timeblocks",
            json={"name": "X", "day": "Monday", "startTime": "08:00", "endTime": "09:00"},
        ),
        c.put(f"/timeblocks/{things['block']}", json={"name": "hijacked"}),
        c.delete(f"/timeblocks/{things['block']}"),
        c.delete(f"/timetables/{things['timetable']}"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert all(r.json()["code"] == "not_found" for r in attempts)
    assert c.get("/documents").json()["total"] == 0
    assert c.get("/timetables").json()["total"] == 0
    # The owner still has everything, unchanged.
    timetable = owner.client.get(f"/timetables/{things['timetable']}").json()
    assert timetable["name"] != "mine now"
    assert any(b["id"] == things["block"] and b["name"] != "hijacked" for b in timetable["timeblocks"])


def test_another_school_sees_nothing(stack: Stack) -> None:
    owner, outsider = register(stack), register(stack)
    assert owner.user["tenantId"] != outsider.user["tenantId"]
    assert_cannot_touch(outsider, owner, owned_things(owner))


def test_another_teacher_of_the_same_school_sees_nothing(stack: Stack) -> None:
    admin = register(stack, school="Isolation Academy")
    owner, colleague = invite(admin), invite(admin)
    things = owned_things(owner)
    assert_cannot_touch(colleague, owner, things)
    # The school's admin does see the school's documents.
    assert admin.client.get(f"/documents/{things['document']}").status_code == 200
