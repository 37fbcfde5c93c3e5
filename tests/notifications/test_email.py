"""Email through SendGrid's API (a local fake of it): who gets what, in the school's branding,
with retries, a per-person hourly limit, and nothing broken when email is not set up."""

from __future__ import annotations

import os

import pytest
from litestar.testing import TestClient

from core.engines import DocumentUnreadable
from core.jobs import pipeline
from tests.notifications.conftest import PDF, SENDER, inbox, join, log_rows, new_school, tell, wait_final
from tests.support.fakes.sendgrid_server import FakeSendGrid


def test_a_document_that_cannot_be_read_emails_its_uploader(
    client: TestClient, sendgrid: FakeSendGrid, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreadable(ctx: pipeline.StageContext) -> None:
        raise DocumentUnreadable("The page is blank. Photograph the timetable itself.")

    monkeypatch.setitem(pipeline.STAGE_FUNCTIONS, "read", unreadable)
    admin = new_school(client)
    teacher = join(client, admin, name="Tom Teacher")
    with PDF.open("rb") as f:
        files = {"file": ("week.pdf", f, "application/pdf")}
        job_id = client.post("/documents/upload", files=files, headers=teacher.headers).json()["jobId"]
    assert wait_final(client, teacher, job_id)["status"] == "failed"

    [email] = inbox(sendgrid, teacher.email, 1)
    assert email.from_email == SENDER
    assert email.subject == "Your timetable could not be read: week.pdf"
    assert "Hello Tom Teacher" in email.text and "The page is blank. Photograph the timetable" in email.text
    assert f"/app/#/jobs/{job_id}" in email.text and f"/app/#/jobs/{job_id}" in email.html
    assert inbox(sendgrid, admin.email) == []  # the admin did not upload it


def test_completion_email_wears_the_schools_branding(client: TestClient, sendgrid: FakeSendGrid) -> None:
    admin = new_school(client)
    branding = {
        "displayName": "Oakfield Primary",
        "primaryColor": "#8a1538",
        "logoUrl": "https://cdn.test/oak.png",
    }
    assert (
        client.put(f"/schools/{admin.tenant_id}/settings", json=branding, headers=admin.headers).status_code
        == 200
    )
    teacher = join(client, admin)

    tell(teacher, "processing_complete", message="'week.pdf' is ready: 32 lessons found.")

    [email] = inbox(sendgrid, teacher.email, 1)
    assert email.subject == "Your timetable is ready: your document"
    assert "background:#8a1538" in email.html and 'src="https://cdn.test/oak.png"' in email.html
    assert 'alt="Oakfield Primary"' in email.html and "Oakfield Primary" in email.text
    assert "32 lessons found" in email.text and "32 lessons found" in email.html


def test_a_review_is_announced_to_the_schools_reviewers_and_admins_only(
    client: TestClient, sendgrid: FakeSendGrid
) -> None:
    admin = new_school(client)
    reviewer = join(client, admin, "reviewer", name="Rita Reviewer")
    teacher, colleague = join(client, admin), join(client, admin)
    other_admin = new_school(client)
    other_reviewer = join(client, other_admin, "reviewer")
    # Where the school leaves checks to its reviewers (by default the uploader checks their own).
    reviewers = {"checkedBy": "reviewers"}
    assert (
        client.put(f"/schools/{admin.tenant_id}/settings", json=reviewers, headers=admin.headers).status_code
        == 200
    )

    tell(teacher, "hitl_required", message="'week.pdf' needs a review before it is final.")

    for person in (teacher, reviewer, admin):
        assert [m.subject for m in inbox(sendgrid, person.email, 1) if "review" in m.subject.lower()]
    [to_reviewer] = [m for m in inbox(sendgrid, reviewer.email) if "waits for review" in m.subject]
    assert "/admin/reviews" in to_reviewer.text and "needs a person to check it" in to_reviewer.text
    [to_teacher] = [m for m in inbox(sendgrid, teacher.email) if "waits for review" in m.subject]
    assert "/admin/reviews" not in to_teacher.text and "/app/#/jobs/" in to_teacher.text
    for outsider in (colleague, other_admin, other_reviewer):
        assert not [m for m in inbox(sendgrid, outsider.email) if "review" in m.subject.lower()]


def test_by_default_a_document_to_check_is_announced_to_its_uploader_alone(
    client: TestClient, sendgrid: FakeSendGrid
) -> None:
    admin = new_school(client)
    reviewer = join(client, admin, "reviewer", name="Rita Reviewer")
    teacher = join(client, admin)
    tell(teacher, "hitl_required", message="'week.pdf' needs a review before it is final.")
    [to_teacher] = [m for m in inbox(sendgrid, teacher.email, 1) if "waits for review" in m.subject]
    assert "confirm them" in to_teacher.text and "/app/#/jobs/" in to_teacher.text
    tell(teacher, "processing_complete")  # sent after: once it has arrived, nothing else is coming
    assert [m for m in inbox(sendgrid, teacher.email, 2)]
    for staff in (reviewer, admin):
        assert not [m for m in inbox(sendgrid, staff.email) if "review" in m.subject.lower()]


def test_sendgrid_busy_is_retried_until_it_accepts(client: TestClient, sendgrid: FakeSendGrid) -> None:
    teacher = join(client, new_school(client))
    calls = sendgrid.calls
    sendgrid.fail_next(1, 429)
    tell(teacher, "processing_complete")
    assert len(inbox(sendgrid, teacher.email)) == 1 and sendgrid.calls == calls + 2

    sendgrid.fail_next(2, 503)
    tell(teacher, "processing_failed")
    assert len(inbox(sendgrid, teacher.email)) == 2 and sendgrid.calls == calls + 5
    assert [r["status"] for r in log_rows(teacher, channel="email")] == ["sent", "sent"]


def test_sendgrid_down_is_logged_and_nothing_else_breaks(client: TestClient, sendgrid: FakeSendGrid) -> None:
    teacher = join(client, new_school(client))
    sendgrid.fail_next(4, 500)  # every one of the four tries
    tell(teacher, "processing_complete")  # returns: a failed email does not fail the job
    assert inbox(sendgrid, teacher.email) == []
    [row] = log_rows(teacher, channel="email")
    assert row["status"] == "failed" and "500" in row["detail"] and "4 tries" in row["detail"]


def test_at_most_the_hourly_limit_of_emails_reaches_a_person(
    client: TestClient, sendgrid: FakeSendGrid
) -> None:
    teacher = join(client, new_school(client))
    os.environ["TIMETABLER_EMAIL_RATE_LIMIT"] = "2"
    try:
        for _ in range(3):
            tell(teacher, "processing_complete")
    finally:
        del os.environ["TIMETABLER_EMAIL_RATE_LIMIT"]
    assert len(inbox(sendgrid, teacher.email)) == 2
    statuses = sorted(r["status"] for r in log_rows(teacher, channel="email"))
    assert statuses == ["rate_limited", "sent", "sent"]


def test_the_same_notification_twice_is_emailed_once(client: TestClient, sendgrid: FakeSendGrid) -> None:
    teacher = join(client, new_school(client))
    job_id = tell(teacher, "processing_complete")
    tell(teacher, "processing_complete", job_id=job_id)  # a redelivered notify stage
    assert len(inbox(sendgrid, teacher.email)) == 1


def test_without_a_key_email_is_skipped_with_the_reason(client: TestClient, sendgrid: FakeSendGrid) -> None:
    teacher = join(client, new_school(client))
    key = os.environ.pop("TIMETABLER_SENDGRID_API_KEY")
    try:
        tell(teacher, "processing_complete")
    finally:
        os.environ["TIMETABLER_SENDGRID_API_KEY"] = key
    assert inbox(sendgrid, teacher.email) == []
    [row] = log_rows(teacher, channel="email")
    assert row["status"] == "skipped" and "TIMETABLER_SENDGRID_API_KEY" in row["detail"]


def test_a_refused_setting_skips_email_naming_it(client: TestClient, sendgrid: FakeSendGrid) -> None:
    teacher = join(client, new_school(client))
    os.environ["TIMETABLER_EMAIL_RATE_LIMIT"] = "ten"
    try:
        tell(teacher, "processing_complete")
    finally:
        del os.environ["TIMETABLER_EMAIL_RATE_LIMIT"]
    assert inbox(sendgrid, teacher.email) == []
    [row] = log_rows(teacher, channel="email")
    assert row["status"] == "skipped"
    assert row["detail"].startswith("TIMETABLER_EMAIL_RATE_LIMIT='ten' is refused: Expected `int`"), row


def test_an_invite_link_is_emailed(client: TestClient, sendgrid: FakeSendGrid) -> None:
    admin = new_school(client, "Birchwood Academy")
    made = client.post(
        f"/schools/{admin.tenant_id}/invites",
        json={"email": "new.reviewer@school.test", "role": "reviewer"},
        headers=admin.headers,
    ).json()
    [email] = sendgrid.wait_for("new.reviewer@school.test")
    assert email.subject == "Join Birchwood Academy on Timetabler"
    assert made["inviteUrl"] in email.text and made["inviteUrl"] in email.html
    assert "Ada Admin invited you" in email.text and "as reviewer" in email.text


def test_a_job_that_fails_again_after_a_retry_is_told_again(
    client: TestClient, sendgrid: FakeSendGrid, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreadable(ctx: pipeline.StageContext) -> None:
        raise DocumentUnreadable("The page is blank. Photograph the timetable itself.")

    monkeypatch.setitem(pipeline.STAGE_FUNCTIONS, "read", unreadable)
    teacher = join(client, new_school(client))
    with PDF.open("rb") as f:
        files = {"file": ("week.pdf", f, "application/pdf")}
        job_id = client.post("/documents/upload", files=files, headers=teacher.headers).json()["jobId"]
    assert wait_final(client, teacher, job_id)["status"] == "failed"
    assert len(inbox(sendgrid, teacher.email, 1)) == 1

    assert client.post(f"/jobs/{job_id}/retry", headers=teacher.headers).status_code == 202
    assert wait_final(client, teacher, job_id)["status"] == "failed"
    assert [m.subject for m in inbox(sendgrid, teacher.email, 2)] == [
        "Your timetable could not be read: week.pdf"
    ] * 2
