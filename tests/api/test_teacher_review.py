"""A teacher checks their own unsure result when the school allows it, and never anyone else's."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Account, invite, register
from tests.stack import Stack

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "synthetic"
FORBIDDEN = {"code": "forbidden", "message": "Your role does not allow this. Ask your school admin."}


def waiting_review(teacher: Account, photo: str) -> dict:
    """Upload a photo at the platform's bar (0.98, no second engine), so a person must check it."""
    response = teacher.upload(CORPUS / photo, content_type="image/png")
    assert response.status_code == 202, response.text
    job = teacher.wait_for_job(response.json()["jobId"])
    assert job["status"] == "review", job
    return job


def allow_teachers(admin: Account, on: bool) -> None:
    school = admin.user["tenantId"]
    response = admin.client.put(f"/schools/{school}/settings", json={"teachersReviewOwn": on})
    assert response.status_code == 200, response.text


def test_with_the_setting_off_a_teacher_is_refused_as_before(stack: Stack) -> None:
    admin = register(stack)
    teacher = invite(admin)
    job = waiting_review(teacher, "000_days_cols_png.png")
    review = next(r for r in admin.client.get("/reviews").json() if r["jobId"] == job["id"])

    settings = admin.client.get(f"/schools/{admin.user['tenantId']}/settings").json()["settings"]
    assert settings["teachersReviewOwn"] is False  # the default
    for response in (
        teacher.client.get("/reviews"),
        teacher.client.get(f"/reviews/{review['id']}"),
        teacher.client.post(f"/reviews/{review['id']}", json={"timeblocks": []}),
        # Refused before the request is read, as before: a bad body or query changes nothing.
        teacher.client.post(f"/reviews/{review['id']}", json={"lessons": "all of them"}),
        teacher.client.get("/reviews?status=everything"),
    ):
        assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert admin.client.get(f"/reviews/{review['id']}").json()["status"] == "open"


def test_a_teacher_completes_their_own_review_and_sees_no_one_elses(stack: Stack) -> None:
    admin = register(stack)
    allow_teachers(admin, True)
    ann, ben = invite(admin, name="Ann"), invite(admin, name="Ben")
    mine = waiting_review(ann, "000_days_cols_png.png")
    theirs = waiting_review(ben, "001_days_rows_png.png")
    everyone = {r["jobId"]: r["id"] for r in admin.client.get("/reviews").json()}

    queue = ann.client.get("/reviews").json()
    assert [r["jobId"] for r in queue] == [mine["id"]]
    # Ben's review is as absent to Ann as another school's: reading or completing it is a 404.
    other = everyone[theirs["id"]]
    assert ann.client.get(f"/reviews/{other}").status_code == 404
    refused = ann.client.post(f"/reviews/{other}", json={"timeblocks": []})
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"

    own = ann.client.get(f"/reviews/{everyone[mine['id']]}")
    assert own.status_code == 200 and own.json()["documentUrl"].endswith("/file")
    lesson = {"name": "Chemistry", "day": "Monday", "startTime": "09:00", "endTime": "10:00"}
    done = ann.client.post(f"/reviews/{everyone[mine['id']]}", json={"timeblocks": [lesson]})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done" and done.json()["reviewerId"] == ann.user["id"]
    assert ann.client.get(f"/jobs/{mine['id']}").json()["status"] == "completed"
    blocks = ann.client.get(f"/timetables/{mine['timetableId']}/timeblocks").json()
    assert [(b["name"], b["startTime"]) for b in blocks] == [("Chemistry", "09:00")]
    # Ben's stays open for him and the reviewers; a reviewer still sees it in the queue.
    assert [r["jobId"] for r in ben.client.get("/reviews").json()] == [theirs["id"]]
    assert theirs["id"] in [r["jobId"] for r in admin.client.get("/reviews").json()]

    # Turning the setting off takes the screen away again.
    allow_teachers(admin, False)
    assert ben.client.get("/reviews").status_code == 403


def test_a_teacher_of_another_school_never_sees_the_review(stack: Stack) -> None:
    north, south = register(stack), register(stack)
    allow_teachers(north, True)
    allow_teachers(south, True)
    waiting = waiting_review(invite(north), "000_days_cols_png.png")
    review = next(r for r in north.client.get("/reviews").json() if r["jobId"] == waiting["id"])
    outsider = invite(south)
    assert outsider.client.get("/reviews").json() == []
    assert outsider.client.get(f"/reviews/{review['id']}").status_code == 404
