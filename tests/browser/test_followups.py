"""The teacher's app, continued: an invite link joins the school in the app, a teacher checks their own
unsure result when the school allows it, and a failed job reaches the teacher with a retry."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHOTO, Account, School, register_school, sign_in, teacher
from tests.support.stacks import Stack

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def damaged_docx() -> bytes:
    """A Word file with its document text but none of the package parts Word writes beside it
    ([Content_Types].xml, relationships): it passes the upload checks, and the reader cannot open it."""
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
        "<w:p><w:r><w:t>Notes from the staff meeting: bring your timetable on Monday.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


def invite_link(school: School, email: str, role: str) -> str:
    with school.admin.client as client:
        response = client.post(f"/schools/{school.id}/invites", json={"email": email, "role": role})
    assert response.status_code == 201, response.text
    return response.json()["inviteUrl"]


def test_the_invite_link_opens_the_app_and_joins_the_school(page: Page, stack: Stack) -> None:
    school = register_school(stack, displayName="Elm Park School")
    email = f"reviewer-{uuid.uuid4().hex[:8]}@elmpark.example"
    link = urlsplit(invite_link(school, email, "reviewer"))

    # Followed on this server: the school's own app opens on its join screen.
    page.goto(f"{link.path}#{link.fragment}")
    expect(page.get_by_role("heading", name="Join your school")).to_be_visible()
    page.get_by_label("Your name").fill("Rae Reviewer")
    page.get_by_label("Password").fill("marking-season-7")
    page.get_by_role("button", name="Join Elm Park School").click()
    expect(page.get_by_role("heading", name="Upload a timetable")).to_be_visible()

    with stack.client() as anon:
        tokens = anon.post("/auth/login", json={"email": email, "password": "marking-season-7"}).json()
    with stack.client(tokens["accessToken"]) as api:
        me = api.get("/auth/me").json()
    assert (me["tenantId"], me["role"], me["name"]) == (school.id, "reviewer", "Rae Reviewer")
    # The bare address sends a browser to the app as well.
    page.goto("/")
    assert urlsplit(page.url).path == "/app/"


def test_a_teacher_checks_their_own_result_when_the_school_allows_it(
    page: Page, stack: Stack, shots: Path
) -> None:
    school = register_school(stack, accept=None)  # the platform's bar: a photo goes to a person
    with school.admin.client as api:
        reviewers = api.put(f"/schools/{school.id}/settings", json={"checkedBy": "reviewers"})
        assert reviewers.status_code == 200, reviewers.text
    me: Account = teacher(stack, school)
    with me.client as api, PHOTO.open("rb") as photo:
        job_id = api.post("/documents/upload", files={"file": ("my week.png", photo, "image/png")}).json()[
            "jobId"
        ]
    assert me.wait_for_job(job_id)["status"] == "review"

    # Reviewers check at this school: the teacher may only look at the draft, and is told so.
    sign_in(page, school, me)
    page.get_by_role("link", name="History").click()
    row = page.get_by_role("row", name=re.compile("my week.png"))
    expect(row.get_by_role("link", name="See draft")).to_be_visible()
    expect(row).to_contain_text("Waiting for a reviewer")
    expect(row.get_by_role("link", name="Check it")).to_have_count(0)

    with school.admin.client as api:
        allowed = api.put(f"/schools/{school.id}/settings", json={"checkedBy": "uploader"})
        assert allowed.status_code == 200, allowed.text
    page.reload()
    row = page.get_by_role("row", name=re.compile("my week.png"))
    expect(row).to_contain_text("Needs your check")
    row.get_by_role("link", name="Check it").click()
    expect(page.get_by_role("img", name="The original: my week.png")).to_be_visible()
    assert page.evaluate("document.querySelector('.original img').naturalWidth") > 100

    page.locator(".draft .lesson").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Lesson").fill("Double Maths")
    dialog.get_by_label("Starts").fill("21:00")
    dialog.get_by_label("Ends").fill("22:30")
    dialog.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="These lessons are right: confirm").click()
    expect(page.get_by_text("Checked. Your timetable is ready.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Double Maths, .* 21:00 to 22:30"))).to_be_visible()

    with me.client as api:
        job = api.get(f"/jobs/{job_id}").json()
        blocks = api.get(f"/timetables/{job['timetableId']}/timeblocks").json()
    assert job["status"] == "completed" and job["decisions"][-1]["reviewer"] == me.user["id"]
    fixed = [(b["startTime"], b["endTime"]) for b in blocks if b["name"] == "Double Maths"]
    assert fixed == [("21:00", "22:30")]


def test_a_failed_job_reaches_the_teacher_who_retries_it_from_history(page: Page, stack: Stack) -> None:
    school = register_school(stack)
    me = teacher(stack, school)
    sign_in(page, school, me)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Upload").click()
    page.locator("#file-input").set_input_files(
        {
            "name": "staff notes.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "buffer": damaged_docx(),
        }
    )
    # The job view says what went wrong, in the reader's own words, and offers a way on.
    status = page.get_by_role("status").filter(has_text="It did not work")
    expect(status).to_be_visible()
    job_id = page.locator(".progress-card").get_attribute("data-job-id")
    with me.client as api:
        failed = api.get(f"/jobs/{job_id}").json()
    assert failed["status"] == "failed" and "Word file" in failed["error"] and "is damaged" in failed["error"]
    expect(status).to_have_text(f"It did not work: {failed['error']}")
    expect(page.get_by_role("button", name="Try again")).to_be_visible()

    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    page.get_by_role("link", name="History").click()
    row = page.get_by_role("row", name=re.compile("staff notes.docx"))
    expect(row).to_contain_text("Failed")
    expect(row).to_contain_text("is damaged")
    # The list itself names each document's job: no request per row.
    assert [p for p in asked if p.startswith("/api/v1/")] == ["/api/v1/documents"]
    row.get_by_role("button", name="Try staff notes.docx again").click()

    # Retried: the job view follows the same job, which runs again and fails again, later.
    expect(page.locator(f'.progress-card[data-job-id="{job_id}"]')).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="It did not work")).to_be_visible()
    again = me.wait_for_job(job_id)
    assert again["status"] == "failed" and again["finishedAt"] > failed["finishedAt"]
