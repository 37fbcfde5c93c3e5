"""Through the real pipeline and review API: a document below the bar tells the uploader and the
school's reviewers and admins; the reviewer's correction tells the uploader it is ready."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.notifications.conftest import PDF, inbox, join, new_school, wait_final
from tests.support.fakes.sendgrid_server import FakeSendGrid


def test_review_needed_then_done_is_told_to_the_right_people(
    client: TestClient, sendgrid: FakeSendGrid, unsure: None
) -> None:
    admin = new_school(client)
    # This school leaves checks to its reviewers (by default the uploader checks their own).
    reviewers = {"checkedBy": "reviewers"}
    assert (
        client.put(f"/schools/{admin.tenant_id}/settings", json=reviewers, headers=admin.headers).status_code
        == 200
    )
    reviewer = join(client, admin, "reviewer", name="Rita Reviewer")
    teacher = join(client, admin, name="Tom Teacher")
    with PDF.open("rb") as f:
        ids = client.post("/documents/upload", files={"file": (PDF.name, f)}, headers=teacher.headers).json()
    job = wait_final(client, teacher, ids["jobId"])
    assert job["status"] == "review"

    for person in (teacher, reviewer, admin):
        [email] = inbox(sendgrid, person.email, 1)
        assert email.subject == f"A timetable waits for review: {PDF.name}"
    assert "/admin/reviews" in inbox(sendgrid, reviewer.email)[0].text
    assert "we tell you when it is ready" in inbox(sendgrid, teacher.email)[0].text

    [review] = [
        r for r in client.get("/reviews", headers=reviewer.headers).json() if r["jobId"] == ids["jobId"]
    ]
    lessons = [{"name": "Mathematics", "day": "Monday", "startTime": "09:00", "endTime": "10:00"}]
    done = client.post(f"/reviews/{review['id']}", json={"timeblocks": lessons}, headers=reviewer.headers)
    assert done.status_code == 200, done.text

    [_, ready] = inbox(sendgrid, teacher.email, 2)
    assert ready.subject == f"Your reviewed timetable is ready: {PDF.name}"
    assert f"/app/#/timetables/{job['timetableId']}" in ready.text
    assert len(inbox(sendgrid, reviewer.email)) == 1  # the reviewer is not told of their own work
