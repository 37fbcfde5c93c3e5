"""On a phone with no signal: the installed app still opens the timetable, and a photo taken offline
waits in the device and is sent when the connection returns."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import PHOTO, make_timetable, register_school, sign_in, teacher
from tests.support.stacks import Stack


def test_offline_reload_shows_the_timetable_and_queues_an_upload(
    context: BrowserContext, stack: Stack, shots: Path
) -> None:
    school = register_school(stack)
    account = teacher(stack, school)
    made = make_timetable(account, name="Offline week")
    page = context.new_page()
    sign_in(page, school, account)
    expect(page.get_by_role("heading", name="Offline week")).to_be_visible()
    # The service worker has installed (the shell is cached) and controls the page.
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("status").filter(has_text="You are offline")).to_be_visible()
    expect(page.get_by_role("heading", name="Offline week")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Science, Tuesday 10:30 to 12:10"))).to_be_visible()
    expect(page.get_by_text("Saved copy")).to_be_visible()

    page.get_by_role("link", name="Upload", exact=True).click()
    page.locator("#file-input").set_input_files(
        {"name": "taken-offline.png", "mimeType": "image/png", "buffer": PHOTO.read_bytes()}
    )
    waiting = page.get_by_role("region", name="Waiting to be sent")
    expect(waiting).to_contain_text("taken-offline.png")
    page.screenshot(path=shots / "offline-queue.png")
    with account.client as api:
        names = [d["filename"] for d in api.get("/documents").json()["items"]]
    assert "taken-offline.png" not in names  # really held on the device

    context.set_offline(False)
    expect(page.get_by_text(re.compile("Sent taken-offline.png"))).to_be_visible()
    expect(waiting).to_be_hidden()
    with account.client as api:
        documents = api.get("/documents").json()["items"]
    sent = [d for d in documents if d["filename"] == "taken-offline.png"]
    assert len(sent) == 1
    with account.client as api:
        assert api.get(f"/documents/{sent[0]['id']}").json()["jobId"]  # and it is being read
    assert made["id"]
