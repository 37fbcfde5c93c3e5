"""A new school on default settings: a document that is not accepted goes to its uploader, who checks
it beside the original, corrects a marked lesson, confirms, and lands on the timetable. The check
screens fit a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Account, School, register_school, sign_in, teacher
from tests.support.stacks import Stack
from tests.support.unsure import unsure_png
from tests.unplaced_documents import days_with_bell_times_png

PHONE = {"width": 390, "height": 844}
INTERNAL = re.compile(r"LLM|OCR|not needed|tesseract|engine|threshold", re.I)


@pytest.fixture(scope="module")
def unsure(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unsure_png(tmp_path_factory.mktemp("own-check") / "my week.png")


def upload_for_check(account: Account, document: Path) -> str:
    with account.client as api, document.open("rb") as f:
        job_id = api.post("/documents/upload", files={"file": (document.name, f, "image/png")}).json()[
            "jobId"
        ]
    assert account.wait_for_job(job_id)["status"] == "review"
    return job_id


def test_the_uploader_checks_corrects_and_confirms_their_own_timetable(
    page: Page, stack: Stack, unsure: Path, shots: Path
) -> None:
    school = register_school(stack, accept=None)  # default settings: nobody else is there to check
    me = teacher(stack, school)
    sign_in(page, school, me)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Upload").click()
    page.locator("#file-input").set_input_files(str(unsure))
    job_id = page.locator(".progress-card").get_attribute("data-job-id")
    assert me.wait_for_job(job_id)["status"] == "review"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    row = page.get_by_role("row", name=re.compile("my week.png"))
    expect(row).to_contain_text("Needs your check")
    expect(row).to_contain_text("Open it to confirm the lessons.")
    row.get_by_role("link", name="Check it").click()

    # The draft beside the original, the doubtful lessons marked, the reason in plain words.
    original = page.get_by_role("img", name="The original: my week.png")
    expect(original).to_be_visible()
    assert page.evaluate("document.querySelector('.original img').naturalWidth") > 100
    reason = page.locator(".reason")
    expect(reason).to_contain_text("We are not sure we read every lesson right")
    assert not INTERNAL.search(reason.inner_text())
    marked = page.locator(".lesson.doubtful")
    expect(marked).to_have_count(2)
    zorbing = page.get_by_role("button", name=re.compile(r"^Zorbing, Monday 10:00 to 11:00\. Check this one"))
    expect(zorbing).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile(r"^Maths, Monday 09:00 to 10:00\. Edit lesson"))
    ).to_be_visible()
    page.screenshot(path=shots / "teacher-review.png")

    # Correct the doubtful cell in the grid's editor; it is no longer marked.
    zorbing.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Lesson").fill("Zoology")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator(".lesson.doubtful")).to_have_count(1)
    expect(
        page.get_by_role("button", name=re.compile(r"^Zoology, Monday 10:00 to 11:00\. Edit lesson"))
    ).to_be_visible()

    page.get_by_role("button", name="These lessons are right: confirm").click()
    expect(page.get_by_text("Checked. Your timetable is ready.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Zoology, Monday 10:00 to 11:00"))).to_be_visible()
    with me.client as api:
        job = api.get(f"/jobs/{job_id}").json()
        names = sorted(b["name"] for b in api.get(f"/timetables/{job['timetableId']}/timeblocks").json())
    assert job["status"] == "completed" and page.url.endswith(f"#/timetables/{job['timetableId']}")
    assert "Zoology" in names and "Zorbing" not in names and "Quidlet" in names and len(names) == 9


def test_where_reviewers_check_the_teacher_is_told_to_wait(page: Page, stack: Stack, unsure: Path) -> None:
    school = register_school(stack, accept=None)
    with school.admin.client as api:
        assert api.put(f"/schools/{school.id}/settings", json={"checkedBy": "reviewers"}).status_code == 200
    me = teacher(stack, school)
    upload_for_check(me, unsure)
    sign_in(page, school, me)
    page.get_by_role("link", name="History").click()
    row = page.get_by_role("row", name=re.compile("my week.png"))
    expect(row).to_contain_text("Waiting for a reviewer")
    expect(row.get_by_role("link", name="Check it")).to_have_count(0)


def test_the_check_screens_fit_a_phone(browser: Browser, stack: Stack, unsure: Path, shots: Path) -> None:
    school: School = register_school(stack, accept=None)
    admin = school.admin
    job_id = upload_for_check(admin, unsure)
    context = browser.new_context(base_url=stack.base_url, viewport=PHONE, device_scale_factor=1)
    try:
        page = context.new_page()
        sign_in(page, school, admin)
        page.goto(f"{school.app_url}#/review/{job_id}")
        expect(page.get_by_role("img", name="The original: my week.png")).to_be_visible()
        expect(page.get_by_role("button", name="These lessons are right: confirm")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=shots / "phone-check.png", full_page=True)

        # The console's review screen, signed in as the school's admin.
        with admin.client as api:
            review = next(r for r in api.get("/reviews").json() if r["jobId"] == job_id)
        page.goto("/admin/login")
        page.get_by_label("Email").fill(admin.email)
        page.get_by_label("Password").fill(admin.password)
        page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
        page.goto(f"/admin/schools/{school.id}/reviews/{review['id']}")
        expect(page.get_by_role("img", name=re.compile("The uploaded document"))).to_be_visible()
        assert not INTERNAL.search(page.locator("#review-reason").inner_text())
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=shots / "phone-console-review.png", full_page=True)
    finally:
        context.close()


def test_a_table_whose_lessons_could_not_be_placed_is_checked_from_what_was_read(
    page: Page, stack: Stack, shots: Path, tmp_path: Path
) -> None:
    # A ruled week with day names and the school's bell times printed apart, joined to no period:
    # not "not a timetable", but the uploader's own check, told what was read.
    document = days_with_bell_times_png(tmp_path / "our week.png")
    school = register_school(stack, accept=None)
    me = teacher(stack, school)
    sign_in(page, school, me)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Upload").click()
    page.locator("#file-input").set_input_files(str(document))
    expect(page).to_have_url(re.compile(r"#/review/"))  # the check opens, no refusal

    reason = page.locator(".reason")
    expect(reason).to_have_text(
        "We could read a table with 6 rows and 6 columns, the days Monday–Friday and 5 times, but could "
        "not place the lessons. Add them from your original below."
    )
    assert not INTERNAL.search(reason.inner_text())
    expect(page.get_by_role("img", name="The original: our week.png")).to_be_visible()
    read = page.get_by_role("region", name="What we could read")
    expect(read).to_contain_text("Days: Monday · Tuesday · Wednesday · Thursday · Friday")
    expect(read).to_contain_text("08:30\u2060–\u206009:20 · 09:25\u2060–\u206010:15")
    page.screenshot(path=shots / "nothing-placed-check.png", full_page=True)

    # "Add lesson" starts at the first empty slot of what was read: Monday's first period, then its second.
    for name, start, end in (("Maths", "08:30", "09:20"), ("English", "09:25", "10:15")):
        page.get_by_role("button", name="Add lesson").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_label("Day")).to_have_value("Monday")
        expect(dialog.get_by_label("Starts")).to_have_value(start)
        expect(dialog.get_by_label("Ends")).to_have_value(end)
        dialog.get_by_label("Lesson").fill(name)
        dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name=re.compile(r"^English, Monday 09:25 to 10:15"))).to_be_visible()
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=shots / "nothing-placed-check-phone.png", full_page=True)

    page.get_by_role("button", name="These lessons are right: confirm").click()
    expect(page.get_by_text("Checked. Your timetable is ready.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/timetables/[0-9a-f-]+$"))
    with me.client as api:
        blocks = api.get(f"/timetables/{page.url.rsplit('/', 1)[-1]}/timeblocks").json()
    assert sorted((b["name"], b["startTime"]) for b in blocks) == [("English", "09:25"), ("Maths", "08:30")]
