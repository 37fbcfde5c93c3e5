"""End to end on the embedded stack as a user runs it (`timetabler serve`: SQLite, in-process
worker): a teacher subscribes their browser, uploads a corpus timetable through the API, and the
email reaches SendGrid's API (a local fake) in the school's branding while the push reaches the
browser (a local fake push service) encrypted, both pointing at the new timetable."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.notifications.conftest import PDF, email_env, inbox
from tests.support.accounts import Account, register
from tests.support.fakes.push_service import FakePushService
from tests.support.fakes.sendgrid_server import FakeSendGrid
from tests.support.stacks import Stack, running_stack

PUBLIC_URL = "https://timetables.oakfield.test"


@pytest.fixture(scope="module")
def stack(sendgrid: FakeSendGrid, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    env = {**email_env(sendgrid), "TIMETABLER_PUBLIC_URL": PUBLIC_URL}
    with running_stack("sqlite", Path(tmp_path_factory.mktemp("notify-stack")), env, worker=False) as running:
        yield running


def test_an_upload_ends_in_a_branded_email_and_a_push(
    stack: Stack, sendgrid: FakeSendGrid, push_service: FakePushService
) -> None:
    teacher: Account = register(stack, school=f"Oakfield {uuid.uuid4().hex[:6]}", name="Olive Teacher")
    branding = {
        "displayName": "Oakfield Primary",
        "primaryColor": "#0b6e4f",
        "logoUrl": "https://cdn.test/oak.png",
    }
    school = teacher.user["tenantId"]
    assert teacher.client.put(f"/schools/{school}/settings", json=branding).status_code == 200
    key = teacher.client.get("/push/public-key").json()["publicKey"]
    browser = push_service.subscribe(key)
    assert teacher.client.post("/me/push-subscriptions", json=browser).status_code == 201

    uploaded = teacher.upload(PDF)
    assert uploaded.status_code == 202, uploaded.text
    job = teacher.wait_for_job(uploaded.json()["jobId"])
    assert job["status"] == "completed", stack.log_tail()
    slug = teacher.client.get(f"/schools/{school}").json()["slug"]
    link = f"{PUBLIC_URL}/t/{slug}/app/#/timetables/{job['timetableId']}"  # the school's own app

    [email] = inbox(sendgrid, teacher.email, 1)
    assert email.subject == f"Your timetable is ready: {PDF.name}"
    assert "Hello Olive Teacher" in email.text and link in email.text and f'href="{link}"' in email.html
    assert "background:#0b6e4f" in email.html and 'src="https://cdn.test/oak.png"' in email.html
    blocks = teacher.client.get(f"/timetables/{job['timetableId']}").json()["timeblocks"]
    assert f"{len(blocks)} lessons found" in email.text

    [push] = push_service.wait_for(browser["endpoint"])
    assert push == {
        "title": "Your timetable is ready",
        "body": f"'{PDF.name}' is ready: {len(blocks)} lessons found.",
        "url": link,
        "kind": "processing_complete",
        "jobId": job["id"],
    }
