"""Every endpoint of one school, tried by every kind of user of another school and district.

A leak is any answer that differs from the answer for an id that does not exist: a foreign id must
be indistinguishable from a missing one (404, or 403 where the role alone forbids the endpoint).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import DOCUMENTS
from tests.support.accounts import Account, DistrictSetup

BLOCK = {"name": "X", "day": "Monday", "startTime": "08:00", "endTime": "09:00"}


def endpoints(ids: dict[str, str]) -> list[tuple[str, str, Any]]:
    d, j, t, b, s, u, n, i = (
        ids[k] for k in ("document", "job", "timetable", "block", "school", "user", "district", "invite")
    )
    return [
        ("GET", f"/timetables/{t}/export.ics", None),
        ("GET", f"/timetables/{t}/export.csv", None),
        ("GET", f"/documents/{d}/file", None),
        ("DELETE", f"/users/{u}", None),
        ("DELETE", f"/schools/{s}", {"confirm": ids["slug"]}),
        ("GET", f"/schools/{s}/credentials", None),
        ("PUT", f"/schools/{s}/credentials", {"gcvApiKey": "stolen-key-0000"}),
        ("GET", f"/districts/{n}/audit", None),
        # Another person's browser: removing it is a no-op, answered exactly like an unknown one.
        ("DELETE", "/me/push-subscriptions", {"endpoint": ids["endpoint"]}),
        ("GET", f"/documents/{d}", None),
        ("GET", f"/documents/{d}/status", None),
        ("DELETE", f"/documents/{d}", None),
        ("GET", f"/jobs/{j}", None),
        ("POST", f"/jobs/{j}/retry", None),
        ("GET", f"/timetables/{t}", None),
        ("PUT", f"/timetables/{t}", {"name": "taken"}),
        ("DELETE", f"/timetables/{t}", None),
        ("PATCH", f"/timetables/{t}", {"name": "taken"}),
        ("POST", f"/timetables/{t}/restore", None),
        ("PUT", "/timetables/current", {"timetableId": t}),
        ("GET", f"/timetables/{t}/timeblocks", None),
        ("POST", f"/timetables/{t}/timeblocks", BLOCK),
        ("PUT", f"/timeblocks/{b}", {"name": "taken"}),
        ("DELETE", f"/timeblocks/{b}", None),
        ("GET", f"/schools/{s}", None),
        ("GET", f"/schools/{s}/settings", None),
        (
            "PUT",
            f"/schools/{s}/settings",
            {"acceptThreshold": 0.1, "secondaryOcrThreshold": 0.1, "llmThreshold": 0.1},
        ),
        ("POST", f"/schools/{s}/invites", {"email": "spy@evil.test", "role": "school_admin"}),
        ("GET", f"/schools/{s}/invites", None),
        ("DELETE", f"/schools/{s}/invites/{i}", None),
        ("GET", f"/schools/{s}/users", None),
        ("PUT", f"/schools/{s}/users/{u}/role", {"role": "school_admin"}),
        ("GET", f"/schools/{s}/audit", None),
        ("GET", f"/districts/{n}", None),
        ("GET", f"/districts/{n}/settings", None),
        ("PUT", f"/districts/{n}/settings", {"retentionDays": 1}),
        (
            "POST",
            f"/districts/{n}/admins",
            {"email": "spy2@evil.test", "name": "Spy", "password": "long password 1"},
        ),
    ]


def call(account: Account, method: str, path: str, body: Any) -> tuple[int, str]:
    response = account.client.request(method, path, json=body)
    return response.status_code, response.json().get("code", "") if response.content else ""


@pytest.fixture(scope="module")
def owned(districts: tuple[DistrictSetup, DistrictSetup]) -> dict[str, str]:
    north = districts[0]
    teacher = north.school.teacher
    upload = teacher.upload(DOCUMENTS / "003_days_cols_pdf_text.pdf").json()
    job = teacher.wait_for_job(upload["jobId"])
    block = teacher.client.get(f"/timetables/{job['timetableId']}").json()["timeblocks"][0]
    # A document waiting for review: North asks for certainty while it is uploaded.
    admin = north.school.admin
    strict = {"acceptThreshold": 1.0, "secondaryOcrThreshold": 1.0, "llmThreshold": 1.0}
    before = admin.client.get(f"/schools/{north.school.id}/settings").json()["overrides"]
    assert admin.client.put(f"/schools/{north.school.id}/settings", json=strict).status_code == 200
    waiting = teacher.upload(DOCUMENTS / "000_days_cols_png.png").json()  # read by OCR: never 1.0
    assert teacher.wait_for_job(waiting["jobId"])["status"] == "review"
    restore = {key: before.get(key) for key in strict}
    assert admin.client.put(f"/schools/{north.school.id}/settings", json=restore).status_code == 200
    review = next(r for r in admin.client.get("/reviews").json() if r["jobId"] == waiting["jobId"])
    endpoint = f"https://push.example.test/send/{uuid.uuid4().hex}"
    push = {"endpoint": endpoint, "keys": {"p256dh": "B" * 87, "auth": "A" * 22}}
    assert teacher.client.post("/me/push-subscriptions", json=push).status_code == 201
    waiting_invite = admin.client.post(
        f"/schools/{north.school.id}/invites", json={"email": f"{uuid.uuid4().hex[:8]}@north.test"}
    )
    assert waiting_invite.status_code == 201, waiting_invite.text
    return {
        "invite": waiting_invite.json()["id"],
        "slug": admin.client.get(f"/schools/{north.school.id}").json()["slug"],
        "endpoint": endpoint,
        "review": review["id"],
        "document": upload["documentId"],
        "job": upload["jobId"],
        "timetable": job["timetableId"],
        "block": block["id"],
        "school": north.school.id,
        "user": teacher.user["id"],
        "district": north.id,
    }


INTRUDERS = ["teacher", "reviewer", "school_admin", "district_admin"]


@pytest.mark.parametrize("who", INTRUDERS)
def test_nothing_of_another_school_or_district_leaks(
    districts: tuple[DistrictSetup, DistrictSetup], owned: dict[str, str], who: str
) -> None:
    north, south = districts
    people = {"teacher": south.school.teacher, "reviewer": south.school.reviewer}
    people |= {"school_admin": south.school.admin, "district_admin": south.admin}
    intruder = people[who]
    missing = {key: str(uuid.uuid4()) for key in owned}
    for (method, path, body), (_, missing_path, _) in zip(endpoints(owned), endpoints(missing), strict=True):
        real = call(intruder, method, path, body)
        # Removing a browser that is not yours is a silent no-op (204), the same as an unknown one.
        assert real[0] in (403, 404) or path == "/me/push-subscriptions", (who, method, path, real)
        assert real == call(intruder, method, missing_path, body), (who, method, path)
    # Lists show nothing of North, and North's data is untouched.
    if who != "district_admin":
        documents = intruder.client.get("/documents").json()["items"]
        assert owned["document"] not in {d["id"] for d in documents}
        assert owned["timetable"] not in {t["id"] for t in intruder.client.get("/timetables").json()["items"]}
    teacher = north.school.teacher
    timetable = teacher.client.get(f"/timetables/{owned['timetable']}").json()
    assert timetable["name"] != "taken" and any(b["id"] == owned["block"] for b in timetable["timeblocks"])
    settings = north.school.admin.client.get(f"/schools/{north.school.id}/settings").json()["settings"]
    assert settings["acceptThreshold"] != 0.1
    assert (
        north.admin.client.get(f"/districts/{north.id}/settings").json()["overrides"].get("retentionDays")
        != 1
    )
    assert teacher.client.get("/auth/me").json()["role"] == "teacher"
    assert north.school.admin.client.get(f"/reviews/{owned['review']}").json()["status"] == "open"
    # The people, the school and the teacher's browser are all still there.
    export = teacher.client.get("/me/export").json()
    assert [p["endpoint"] for p in export["preferences"]["pushSubscriptions"]] == [owned["endpoint"]]
    assert north.school.admin.client.get(f"/schools/{north.school.id}").status_code == 200
    pending = north.school.admin.client.get(f"/schools/{north.school.id}/invites", params={"pending": "true"})
    assert owned["invite"] in {i["id"] for i in pending.json()}
