"""Who checks a document that was not read surely enough: the school's `checkedBy`. By default its
uploader checks and confirms their own (and nobody else's); with "reviewers" a teacher is refused as
before; a stored `teachersReviewOwn` still reads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from core.schools.settings import effective, sources
from tests.support.accounts import Account, invite, register
from tests.support.stacks import Stack
from tests.support.unsure import UNKNOWN, unsure_png

FORBIDDEN = {"code": "forbidden", "message": "Your role does not allow this. Ask your school admin."}
INTERNAL_WORDS = ("LLM", "OCR", "not needed", "tesseract", "engine", "threshold")


@pytest.fixture(scope="module")
def unsure(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unsure_png(tmp_path_factory.mktemp("unsure") / "my week.png")


def waiting_review(teacher: Account, document: Path) -> dict:
    """Upload a reading that scores below the platform's bar (0.98, no second engine set up)."""
    response = teacher.upload(document, content_type="image/png")
    assert response.status_code == 202, response.text
    job = teacher.wait_for_job(response.json()["jobId"])
    assert job["status"] == "review", job
    return job


def set_checked_by(admin: Account, value: object, key: str = "checkedBy") -> dict:
    school = admin.user["tenantId"]
    response = admin.client.put(f"/schools/{school}/settings", json={key: value})
    assert response.status_code == 200, response.text
    return response.json()


def test_by_default_the_uploader_checks_and_confirms_their_own_and_nobody_elses(
    stack: Stack, unsure: Path
) -> None:
    admin = register(stack)
    settings = admin.client.get(f"/schools/{admin.user['tenantId']}/settings").json()
    assert (settings["settings"]["checkedBy"], settings["sources"]["checkedBy"]) == ("uploader", "default")
    ann, ben = invite(admin, name="Ann"), invite(admin, name="Ben")
    mine = waiting_review(ann, unsure)
    theirs = waiting_review(ben, unsure)

    queue = ann.client.get("/reviews").json()
    assert [r["jobId"] for r in queue] == [mine["id"]]
    everyone = {r["jobId"]: r["id"] for r in admin.client.get("/reviews").json()}
    # Ben's check is as absent to Ann as another school's: reading or completing it is a 404.
    other = everyone[theirs["id"]]
    assert ann.client.get(f"/reviews/{other}").status_code == 404
    assert ann.client.get(f"/reviews/{other}/preview.png").status_code == 404
    refused = ann.client.post(f"/reviews/{other}", json={"timeblocks": []})
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"

    own = ann.client.get(f"/reviews/{everyone[mine['id']]}").json()
    assert own["checkedBy"] == "uploader" and own["documentUrl"].endswith("/file")
    # The reason is in plain words, and the lessons to look at are marked with why.
    assert own["reason"].startswith("We are not sure we read every lesson right")
    assert not any(word.lower() in own["reason"].lower() for word in INTERNAL_WORDS), own["reason"]
    names = {b["id"]: b["name"] for b in own["timeblocks"]}
    doubted = {names[d["timeblockId"]]: d["why"] for d in own["doubts"]}
    assert set(UNKNOWN) <= set(doubted), doubted
    assert "the name is not a subject we know" in doubted["Zorbing"]
    assert "Maths" not in doubted

    # A wrong row is named: its number, day, time and name, and what is wrong.
    lessons = [
        {"name": b["name"], "day": b["day"], "startTime": b["startTime"], "endTime": b["endTime"]}
        for b in own["timeblocks"]
    ]
    broken = [dict(lesson) for lesson in lessons]
    broken[1] = {**broken[1], "endTime": "08:00"}
    bad = ann.client.post(f"/reviews/{own['id']}", json={"timeblocks": broken})
    assert bad.status_code == 400
    row = broken[1]
    assert bad.json()["message"] == (
        f"Row 2 ({row['day']} {row['startTime']}, {row['name']}): "
        f"The lesson ends (08:00) before it starts ({row['startTime']})."
    )

    done = ann.client.post(f"/reviews/{own['id']}", json={"timeblocks": lessons})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done" and done.json()["reviewerId"] == ann.user["id"]
    assert ann.client.get(f"/jobs/{mine['id']}").json()["status"] == "completed"
    # What the uploader confirmed teaches the school's vocabulary, as a reviewer's correction does:
    # the same document read again knows its names now and is accepted with no check.
    again = ann.upload(unsure, content_type="image/png").json()["jobId"]
    assert ann.wait_for_job(again)["status"] == "completed"

    # Ben's stays open for him, and the school's admin still sees it in the queue.
    assert [r["jobId"] for r in ben.client.get("/reviews").json()] == [theirs["id"]]
    assert theirs["id"] in [r["jobId"] for r in admin.client.get("/reviews").json()]


def test_with_reviewers_only_a_teacher_is_refused_as_before(stack: Stack, unsure: Path) -> None:
    admin = register(stack)
    set_checked_by(admin, "reviewers")
    teacher = invite(admin)
    job = waiting_review(teacher, unsure)
    review = next(r for r in admin.client.get("/reviews").json() if r["jobId"] == job["id"])
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

    # "both": the teacher checks their own again, beside the reviewers.
    assert set_checked_by(admin, "both")["settings"]["checkedBy"] == "both"
    assert [r["jobId"] for r in teacher.client.get("/reviews").json()] == [job["id"]]


def test_the_old_teachers_review_own_setting_still_reads(stack: Stack) -> None:
    admin = register(stack)
    body = set_checked_by(admin, True, key="teachersReviewOwn")
    assert body["settings"]["checkedBy"] == "both" and "teachersReviewOwn" not in body["settings"]
    assert body["overrides"] == {"checkedBy": "both"}
    assert set_checked_by(admin, False, key="teachersReviewOwn")["settings"]["checkedBy"] == "reviewers"
    wrong = admin.client.put(f"/schools/{admin.user['tenantId']}/settings", json={"checkedBy": "the cat"})
    assert wrong.status_code == 400 and "uploader, reviewers or both" in wrong.json()["message"]


def test_a_pdf_is_shown_beside_the_draft_as_a_picture_of_its_first_page(
    stack: Stack, unsure: Path, tmp_path: Path
) -> None:
    scan = tmp_path / "scanned week.pdf"
    with Image.open(unsure) as page:
        page.convert("RGB").save(scan, "PDF", resolution=150)
    teacher = invite(register(stack))
    response = teacher.upload(scan, content_type="application/pdf")
    assert response.status_code == 202, response.text
    job = teacher.wait_for_job(response.json()["jobId"])
    assert job["status"] == "review", job
    [summary] = teacher.client.get("/reviews").json()
    review = teacher.client.get(f"/reviews/{summary['id']}").json()
    assert review["previewUrl"] == f"/api/v1/reviews/{summary['id']}/preview.png"
    picture = teacher.client.get(f"/reviews/{summary['id']}/preview.png")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(picture.content)) as drawn:
        assert drawn.width > 500 and drawn.height > 300


def test_settings_stored_under_the_old_name_read_as_checked_by() -> None:
    # Stored before `checkedBy` existed (never rewritten): true let teachers check beside reviewers.
    assert effective({}, {"teachersReviewOwn": True}).checked_by == "both"
    assert effective({"teachersReviewOwn": False}, {}).checked_by == "reviewers"
    assert effective({"teachersReviewOwn": False}, {"checkedBy": "uploader"}).checked_by == "uploader"
    assert sources({}, {"teachersReviewOwn": True})["checkedBy"] == "school"
    assert effective({}, {}).checked_by == "uploader"


def test_a_teacher_of_another_school_never_sees_the_review(stack: Stack, unsure: Path) -> None:
    north, south = register(stack), register(stack)
    waiting = waiting_review(invite(north), unsure)
    review = next(r for r in north.client.get("/reviews").json() if r["jobId"] == waiting["id"])
    outsider = invite(south)
    assert outsider.client.get("/reviews").json() == []
    assert outsider.client.get(f"/reviews/{review['id']}").status_code == 404
