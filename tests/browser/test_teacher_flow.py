"""A teacher's day in the app: join by invite, photograph the timetable, watch it being read, fix a
lesson, take it to their calendar."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import icalendar
from playwright.sync_api import BrowserContext, Page, WebSocketRoute, expect

from tests.browser.conftest import PHOTO, invite_token, register_school
from tests.support.stacks import Stack


def test_join_upload_watch_edit_and_export(page: Page, stack: Stack, shots: Path) -> None:
    school = register_school(stack, primaryColor="#0b6e4f", displayName="Oakfield Academy")
    email = f"rivera-{uuid.uuid4().hex[:8]}@oakfield.example"
    token = invite_token(school, email)

    # The invite link opens the school's own app, in its colours.
    page.goto(f"{school.app_url}#/join/{token}")
    expect(page.get_by_role("heading", name="Join your school")).to_be_visible()
    expect(page.locator(".school")).to_have_text("Oakfield Academy")
    page.get_by_label("Your name").fill("Jo Rivera")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Join Oakfield Academy").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a password of at least")
    page.get_by_label("Password").fill("lesson-plan-42")
    page.get_by_role("button", name="Join Oakfield Academy").click()

    # Upload a photo: the progress bar, then the job's stages as they happen.
    pushed: list[dict] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: pushed.append(json.loads(frame))))
    expect(page.get_by_role("heading", name="Upload a timetable")).to_be_visible()
    page.screenshot(path=shots / "upload.png")
    # A slow phone connection (about 24 KB/s up), so the upload's progress bar can be seen moving.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    slow = {"offline": False, "latency": 100, "downloadThroughput": 200_000, "uploadThroughput": 24_000}
    cdp.send("Network.emulateNetworkConditions", slow)
    page.locator("#file-input").set_input_files(
        {"name": "Dr Mensah 5M.png", "mimeType": "image/png", "buffer": PHOTO.read_bytes()}
    )
    bar = page.get_by_role("progressbar", name="Upload progress")
    expect(bar).to_be_visible()
    expect(page.get_by_text(re.compile(r"Sending Dr Mensah 5M.png: [1-9]\d*%"))).to_be_visible()
    page.screenshot(path=shots / "upload-progress.png")
    cdp.send(
        "Network.emulateNetworkConditions",
        {**slow, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    expect(page.get_by_role("heading", name="Reading your timetable")).to_be_visible()
    steps = page.locator(".steps .step")
    expect(steps.first).to_be_visible()
    page.screenshot(path=shots / "progress.png")
    job_id = page.locator(".progress-card").get_attribute("data-job-id")
    assert job_id

    # The grid appears once the job completes: the photo's lessons, placed by day.
    grid = page.get_by_role("region", name=re.compile("Week of"))
    expect(grid).to_be_visible()
    expect(page.get_by_role("heading", name="Monday")).to_be_visible()
    lessons = page.locator("button.lesson")
    expect(lessons.first).to_be_visible()
    page.screenshot(path=shots / "grid.png", full_page=True)

    with stack.client() as anon:
        tokens = anon.post("/auth/login", json={"email": email, "password": "lesson-plan-42"}).json()
    api = stack.client(tokens["accessToken"])
    job = api.get(f"/jobs/{job_id}").json()
    assert job["status"] == "completed"
    # The stages came live over /ws (the page also polls, but the server pushed them; the page closes
    # its socket once the job row says the job ended, so the end event may come after it left).
    events = [m["data"] for m in pushed if m.get("type") == "job:status" and m["data"].get("jobId") == job_id]
    assert any(e["status"] == "running" for e in events), pushed
    timetable = api.get(f"/timetables/{job['timetableId']}").json()
    assert lessons.count() == len(timetable["timeblocks"]) > 0

    # Edit the first lesson: a wrong time gets the API's own message; a right one is saved.
    first = timetable["timeblocks"][0]
    page.locator(f'[data-block-id="{first["id"]}"]').click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Lesson").fill("Astronomy Club")
    dialog.get_by_label("Ends").fill("07:00")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_contain_text("ends (07:00) before it starts")
    page.screenshot(path=shots / "edit.png")
    dialog.get_by_label("Day").select_option("Friday")
    dialog.get_by_label("Starts").fill("14:00")
    dialog.get_by_label("Ends").fill("15:30")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(
        page.get_by_role("button", name=re.compile(r"^Astronomy Club, Friday 14:00 to 15:30"))
    ).to_be_visible()

    saved = api.get(f"/timetables/{timetable['id']}").json()["timeblocks"]
    edited = next(b for b in saved if b["id"] == first["id"])
    assert (edited["name"], edited["day"], edited["startTime"], edited["endTime"]) == (
        "Astronomy Club",
        "Friday",
        "14:00",
        "15:30",
    )
    assert edited["duration"] == 90

    # Add a lesson, then delete it again.
    page.get_by_role("button", name="Add lesson").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Lesson").fill("Form time")
    dialog.get_by_label("Day").select_option("Wednesday")
    dialog.get_by_label("Starts").fill("16:00")
    dialog.get_by_label("Ends").fill("16:20")
    dialog.get_by_role("button", name="Save").click()
    added = page.get_by_role("button", name=re.compile(r"^Form time, Wednesday 16:00 to 16:20"))
    expect(added).to_be_visible()
    assert any(b["name"] == "Form time" for b in api.get(f"/timetables/{timetable['id']}/timeblocks").json())
    page.on("dialog", lambda confirm: confirm.accept())
    added.click()
    page.get_by_role("dialog").get_by_role("button", name="Delete lesson").click()
    expect(added).to_be_hidden()
    assert not any(
        b["name"] == "Form time" for b in api.get(f"/timetables/{timetable['id']}/timeblocks").json()
    )

    # The calendar file holds the edited lesson as a weekly event.
    with page.expect_download() as download:
        page.get_by_role("button", name="Add to calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    summaries, names = {str(e.get("SUMMARY")) for e in events}, {b["name"] for b in saved}
    assert summaries <= names and names - summaries <= {"Break", "Lunch"}  # breaks stay off calendars
    further = [e for e in events if str(e.get("SUMMARY")) == "Astronomy Club"]
    assert len(further) == 1
    start = further[0].decoded("DTSTART")
    assert (start.strftime("%A %H:%M"), further[0].get("RRULE")["FREQ"]) == ("Friday 14:00", ["WEEKLY"])
    api.close()


def test_phone_shows_one_day_at_a_time_with_lessons_sized_by_length(
    context: BrowserContext, stack: Stack, shots: Path
) -> None:
    from tests.browser.conftest import make_timetable, sign_in, teacher

    school = register_school(stack)
    account = teacher(stack, school)
    made = make_timetable(account)
    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    sign_in(phone, school, account)
    expect(phone.get_by_role("heading", name="Year 8 — autumn")).to_be_visible()
    # One day at a time on a phone, chosen from the day buttons.
    days = phone.get_by_role("group", name="Day to show")
    days.get_by_role("button", name="Monday").click()
    expect(phone.get_by_role("button", name=re.compile("^Maths, Monday 08:30 to 09:20"))).to_be_visible()
    expect(phone.get_by_role("button", name=re.compile("^Science, Tuesday"))).to_be_hidden()
    phone.screenshot(path=shots / "phone-grid.png")
    days.get_by_role("button", name="Tuesday").click()
    expect(days.get_by_role("button", name="Tuesday")).to_have_attribute("aria-pressed", "true")
    # A lesson is as tall as it is long: Science (100 min) is twice French (50 min).
    science = phone.get_by_role("button", name=re.compile("^Science, Tuesday")).bounding_box()
    french = phone.get_by_role("button", name=re.compile("^French, Tuesday")).bounding_box()
    assert science and french and 1.8 < science["height"] / french["height"] < 2.2
    expect(phone.get_by_role("button", name=re.compile("^Maths, Monday"))).to_be_hidden()
    assert made["id"]


def test_a_file_that_is_not_a_timetable_is_refused_with_the_reason(page: Page, stack: Stack) -> None:
    from tests.browser.conftest import sign_in, teacher

    school = register_school(stack)
    account = teacher(stack, school)
    sign_in(page, school, account)
    page.get_by_role("link", name="Upload", exact=True).click()
    page.locator("#file-input").set_input_files(
        {"name": "shopping.txt", "mimeType": "text/plain", "buffer": b"milk, eggs, bread\n"}
    )
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("PDF")  # the API says which kinds of file it reads
    with account.client as api:
        assert api.get("/documents").json()["total"] == 0


def test_progress_keeps_moving_when_the_socket_is_refused(page: Page, stack: Stack) -> None:
    """A proxy that drops websockets must not freeze the progress: the page polls the job instead."""
    from tests.browser.conftest import sign_in, teacher

    school = register_school(stack)
    account = teacher(stack, school)
    refused: list[str] = []

    def refuse(ws: WebSocketRoute) -> None:
        refused.append(ws.url)
        ws.close(code=1011, reason="no websockets here")

    page.route_web_socket(re.compile(r"/ws$"), refuse)
    sign_in(page, school, account)
    page.get_by_role("link", name="Upload", exact=True).click()
    page.locator("#file-input").set_input_files(PHOTO)
    # With no socket, only polling can carry the page from the upload to the finished timetable
    # (the steps may flash by too fast to see: the photo is read in about a second).
    expect(page.get_by_role("region", name=re.compile("Week of"))).to_be_visible()
    assert refused  # the socket was tried, and refused
    opened = re.search(r"#/timetables/([0-9a-f-]+)$", page.url)
    assert opened
    with account.client as api:
        assert api.get(f"/timetables/{opened.group(1)}").json()["timeblocks"]
