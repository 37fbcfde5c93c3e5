"""Every upload reaches its final screen: one that waits for a check (the default bar is high) and a
letter that is not a timetable; a finished job opened again by its address shows how it ended."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import register_school, sign_in, teacher
from tests.extraction import bad, gen
from tests.support.stacks import Stack

NOT_A_TIMETABLE = (
    "This does not look like a timetable: we found writing on it, but no days of the week with lesson "
    "times. Try a photo or file of the timetable itself."
)


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def upload(page: Page, path: Path) -> str:
    nav(page, "Upload")
    page.locator("#file-input").set_input_files(path)
    card = page.locator(".progress-card")
    expect(card).to_be_visible()
    return card.get_attribute("data-job-id") or ""


def expect_every_step_done(page: Page) -> None:
    steps = page.locator(".progress-card .step")
    expect(steps.first).to_be_visible()
    expect(page.locator(".progress-card .step:not(.done)")).to_have_count(0)


def test_an_upload_that_waits_for_a_check_reaches_its_final_screen(
    page: Page, stack: Stack, shots: Path, tmp_path: Path
) -> None:
    # Default settings: a photo read at about 0.97 is under the 0.98 bar and its uploader checks it,
    # so the page goes on to the check instead of freezing on "Working: processing…".
    school = register_school(stack, accept=None)
    sign_in(page, school, school.admin)
    job_id = upload(page, gen.table_png(gen.Spec(), tmp_path / "my week.png"))
    expect(page).to_have_url(re.compile(f"#/review/{job_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Check "))


def test_an_upload_waiting_for_a_reviewer_shows_so_and_again_when_reopened(
    page: Page, stack: Stack, shots: Path, tmp_path: Path
) -> None:
    school = register_school(stack, accept=None, checkedBy="reviewers")
    sign_in(page, school, teacher(stack, school))
    job_id = upload(page, gen.table_png(gen.Spec(), tmp_path / "my week.png"))

    # Not frozen on "Working: processing…": the page says what happens next, every step done.
    expect(page.get_by_role("status")).to_contain_text("Waiting for a reviewer")
    expect_every_step_done(page)
    card = page.locator(f'.progress-card[data-job-id="{job_id}"]')
    expect(card).to_have_attribute("data-status", "review")  # the job row's final status
    expect(card.get_by_role("link", name=re.compile("draft", re.I)).first).to_be_visible()
    page.screenshot(path=shots / "progress-review.png")

    # Opened again by its address (a bookmark, a notification's link): how it ended, steps done.
    page.goto(f"{school.app_url}#/upload")
    page.goto(f"{school.app_url}#/jobs/{job_id}")
    expect(page.locator(f'.progress-card[data-job-id="{job_id}"]')).to_have_attribute("data-status", "review")
    expect(page.locator(".status-line")).to_contain_text("Waiting for a reviewer")
    expect_every_step_done(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=shots / "progress-review-phone.png", full_page=True)


def test_a_letter_is_said_not_to_be_a_timetable_with_a_way_to_try_another(
    page: Page, stack: Stack, shots: Path, tmp_path: Path
) -> None:
    school = register_school(stack, accept=None)
    sign_in(page, school, school.admin)
    job_id = upload(page, bad.letter_pdf(tmp_path / "letter to parents.pdf"))

    expect(page.locator(".status-line")).to_have_text(NOT_A_TIMETABLE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Not a timetable")
    card = page.locator(f'.progress-card[data-job-id="{job_id}"]')
    expect(card).to_have_attribute("data-status", "failed")
    expect(card.get_by_role("button", name="Try again")).to_have_count(0)  # it would say the same
    another = card.get_by_role("link", name="Upload another file")
    expect(another).to_be_visible()
    page.screenshot(path=shots / "not-a-timetable.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=shots / "not-a-timetable-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})

    another.click()
    expect(page.get_by_role("heading", name="Upload a timetable")).to_be_visible()
    # No empty timetable was made: the Timetable page has none to open.
    nav(page, "Timetable")
    expect(page.get_by_text("You have no timetable yet.")).to_be_visible()

    # History keeps the file with its outcome, and offers another upload rather than a retry.
    nav(page, "History")
    row = page.get_by_role("row", name=re.compile("letter to parents.pdf"))
    expect(row).to_contain_text("Not a timetable")
    expect(row).to_contain_text(NOT_A_TIMETABLE)
    expect(row.get_by_role("link", name="Upload another")).to_be_visible()
    expect(row.get_by_role("button", name=re.compile("Try"))).to_have_count(0)
    page.screenshot(path=shots / "history-not-a-timetable.png")

    # Opened again by its address: the same outcome, said the same way.
    page.goto(f"{school.app_url}#/jobs/{job_id}")
    expect(page.locator(".status-line")).to_have_text(NOT_A_TIMETABLE)
    expect(page.get_by_role("link", name="Upload another file")).to_be_visible()
