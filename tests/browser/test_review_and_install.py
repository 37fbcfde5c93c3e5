"""A reviewer checks a document beside its original; the app installs with the school's own name,
colours and icons."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHOTO, Account, register_school, sign_in
from tests.support.stacks import Stack


def test_reviewer_corrects_a_document_beside_its_original(page: Page, stack: Stack, shots: Path) -> None:
    # The platform's default bar (0.98) with no second engine: a photo goes to a person.
    school = register_school(stack, accept=None)
    admin: Account = school.admin
    with admin.client as api, PHOTO.open("rb") as photo:
        job_id = api.post("/documents/upload", files={"file": ("blurry.png", photo, "image/png")}).json()[
            "jobId"
        ]
    job = admin.wait_for_job(job_id)
    assert job["status"] == "review", job

    sign_in(page, school, admin)
    page.get_by_role("link", name="History").click()
    page.get_by_role("row", name=re.compile("blurry.png")).get_by_role("link", name="Check it").click()
    original = page.get_by_role("img", name="The original: blurry.png")
    expect(original).to_be_visible()
    assert page.evaluate("document.querySelector('.original img').naturalWidth") > 100
    first = page.locator(".draft .lesson").first
    expect(first).to_be_visible()
    page.screenshot(path=shots / "review.png")
    first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Lesson").fill("Checked lesson")
    dialog.get_by_label("Ends").fill("06:00")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_contain_text("before it starts")  # the API's words
    dialog.get_by_label("Ends").fill("23:00")
    dialog.get_by_label("Starts").fill("22:00")
    dialog.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="These lessons are right: confirm").click()
    # Confirmed: the app leaves the check for the saved timetable (the draft showed the edit too).
    expect(page).to_have_url(re.compile(r"#/timetables/"))
    expect(page.get_by_role("button", name=re.compile("^Checked lesson, .* 22:00 to 23:00"))).to_be_visible()

    with admin.client as api:
        done = api.get(f"/jobs/{job_id}").json()
        blocks = api.get(f"/timetables/{done['timetableId']}/timeblocks").json()
    assert done["status"] == "completed"
    assert [(b["startTime"], b["endTime"]) for b in blocks if b["name"] == "Checked lesson"] == [
        ("22:00", "23:00")
    ]


def test_manifest_and_icons_wear_the_school_brand(page: Page, stack: Stack) -> None:
    school = register_school(stack, accept=None, primaryColor="#7a1f5c", displayName="St Hilda's College")
    page.goto(school.app_url)
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    assert href == f"{school.app_url}manifest.webmanifest"
    assert page.locator('link[rel="apple-touch-icon"]').count() == 1
    assert page.locator('meta[name="apple-mobile-web-app-capable"]').get_attribute("content") == "yes"
    manifest = page.request.get(href)
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["name"] == "St Hilda's College timetable"
    assert body["short_name"] == "St Hilda's"
    assert (body["theme_color"], body["start_url"], body["scope"]) == (
        "#7a1f5c",
        f"{school.app_url}#/",
        school.app_url,
    )
    purposes = {(i["sizes"], i["purpose"]) for i in body["icons"]}
    assert purposes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in [*body["icons"], {"src": f"{school.app_url}icons/apple-touch-icon.png", "sizes": "180x180"}]:
        response = page.request.get(icon["src"])
        image = Image.open(io.BytesIO(response.body()))
        size = int(icon["sizes"].split("x")[0])
        assert (response.headers["content-type"], image.size) == ("image/png", (size, size))
        # The school's colour fills the icon (sampled inside the rounded corners).
        assert image.convert("RGB").getpixel((size // 8, size // 2)) == (0x7A, 0x1F, 0x5C)
    # Another school's address is not a page of this one.
    assert page.request.get("/t/no-such-school/app/").status == 404
