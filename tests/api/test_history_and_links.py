"""The document list carries each document's latest job; invites link to the school's app; `/` opens it."""

from __future__ import annotations

import uuid
from urllib.parse import SplitResult, urlsplit

import httpx

from tests.conftest import DOCUMENTS
from tests.support.accounts import invite, register
from tests.support.stacks import Stack


def test_the_list_names_each_documents_latest_job_and_timetable(stack: Stack) -> None:
    admin = register(stack)
    school = admin.user["tenantId"]
    low = {"acceptThreshold": 0.5, "secondaryOcrThreshold": 0.5, "llmThreshold": 0.5}
    assert admin.client.put(f"/schools/{school}/settings", json=low).status_code == 200
    teacher = invite(admin)
    uploaded = teacher.upload(DOCUMENTS / "003_days_cols_pdf_text.pdf", content_type="application/pdf").json()
    job = teacher.wait_for_job(uploaded["jobId"])
    assert job["status"] == "completed", job

    page = teacher.client.get("/documents").json()
    assert page["total"] == 1
    row = page["items"][0]
    assert row["id"] == uploaded["documentId"] and row["filename"] == "003_days_cols_pdf_text.pdf"
    assert (row["jobId"], row["jobStatus"], row["jobStage"], row["timetableId"], row["jobError"]) == (
        job["id"],
        "completed",
        job["stage"],
        job["timetableId"],
        None,
    )
    # The single document's own view agrees with its row.
    one = teacher.client.get(f"/documents/{row['id']}").json()
    assert (one["jobId"], one["timetableId"]) == (row["jobId"], row["timetableId"])
    # A colleague's list holds none of it.
    assert invite(admin).client.get("/documents").json()["items"] == []


def invite_link(client: httpx.Client, school: str, role: str) -> SplitResult:
    email = f"{role}-{uuid.uuid4().hex[:8]}@school.test"
    made = client.post(f"/schools/{school}/invites", json={"email": email, "role": role})
    assert made.status_code == 201, made.text
    return urlsplit(made.json()["inviteUrl"])


def test_invites_for_teachers_and_reviewers_open_the_schools_app(stack: Stack) -> None:
    admin = register(stack)
    school = admin.user["tenantId"]
    slug = admin.client.get(f"/schools/{school}").json()["slug"]
    for role in ("teacher", "reviewer"):
        made = admin.client.post(
            f"/schools/{school}/invites", json={"email": f"{role}-x@school.test", "role": role}
        )
        link = urlsplit(made.json()["inviteUrl"])
        token = link.fragment.removeprefix("/join/")
        assert (link.path, link.fragment) == (f"/t/{slug}/app/", f"/join/{token}") and len(token) > 20
        page = httpx.get(stack.base_url + link.path)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    # A school admin works in the console, so their link opens the console's invite page.
    made = admin.client.post(
        f"/schools/{school}/invites", json={"email": "head@school.test", "role": "school_admin"}
    )
    link = urlsplit(made.json()["inviteUrl"])
    assert link.path.startswith("/invite/") and httpx.get(stack.base_url + link.path).status_code == 200


def test_invite_links_point_at_the_address_the_server_listens_on(stack: Stack) -> None:
    # The stack serves on a free port, not 8000: a link to :8000 would lead a colleague nowhere.
    admin = register(stack)
    link = invite_link(admin.client, admin.user["tenantId"], "teacher")
    assert f"{link.scheme}://{link.netloc}" == stack.base_url
    assert httpx.get(f"{stack.base_url}{link.path}").status_code == 200


def test_the_root_sends_browsers_to_the_app_and_clients_to_the_api(stack: Stack) -> None:
    browser = httpx.get(stack.base_url + "/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 302 and browser.headers["location"] == "/app/"
    client = httpx.get(stack.base_url + "/", headers={"Accept": "application/json"})
    assert client.status_code == 200 and client.json()["api"] == "/api/v1"
