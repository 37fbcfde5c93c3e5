"""Sign-up in the app: on a fresh install a teacher opens /app/, creates their school's account and
uploads the first timetable; the API's own refusals are shown; a school's own address has no sign-up."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import DOCUMENTS, register_school
from tests.support.stacks import Stack

# A text PDF: read without OCR, so it completes at the default acceptance threshold of a new school.
DOCUMENT = DOCUMENTS / "003_days_cols_pdf_text.pdf"
AXE = Axe()


def open_form(page: Page) -> None:
    page.goto("/app/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="New here? Create your school's account").click()
    expect(page.get_by_role("heading", name="Create your school's account")).to_be_visible()


def fill(page: Page, email: str, password: str, school: str = "") -> None:
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_label("School name").fill(school or f"Riverside {uuid.uuid4().hex[:6]}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create the account").click()


def test_create_account_then_upload_the_first_timetable(page: Page, stack: Stack, shots: Path) -> None:
    email = f"hopper-{uuid.uuid4().hex[:8]}@riverside.example"
    open_form(page)
    page.screenshot(path=shots / "sign-up.png")
    # The fields say what they hold, so browsers and password managers fill them in.
    autocomplete = {
        "Your name": "name",
        "School name": "organization",
        "Email": "email",
        "Password": "new-password",
    }
    for label, wanted in autocomplete.items():
        expect(page.get_by_label(label)).to_have_attribute("autocomplete", wanted)

    fill(page, email, "short")
    expect(page.get_by_role("alert")).to_contain_text("Choose a password of at least 10 characters")
    expect(page.get_by_label("Password")).to_be_focused()

    page.get_by_label("Password").fill("river-timetable-2026")
    page.get_by_role("button", name="Create the account").click()

    # Signed in and on Upload, ready for the first timetable.
    expect(page.get_by_role("heading", name="Upload a timetable")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.locator("#file-input").set_input_files(DOCUMENT)
    grid = page.get_by_role("region", name=re.compile("Week of"))
    expect(grid).to_be_visible()
    expect(page.locator("button.lesson").first).to_be_visible()

    # The account is real: the same email and password sign in through the API, as the school's admin.
    with stack.client() as anon:
        response = anon.post("/auth/login", json={"email": email, "password": "river-timetable-2026"})
    assert response.status_code == 200, response.text
    with stack.client(response.json()["accessToken"]) as api:
        me = api.get("/auth/me").json()
        assert me["name"] == "Grace Hopper" and me["role"] == "school_admin"
        assert len(api.get("/timetables").json()["items"]) == 1


def test_email_taken_is_explained_and_the_form_passes_axe(page: Page, stack: Stack) -> None:
    taken = register_school(stack, accept=None).admin.email
    open_form(page)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in AXE.run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []

    fill(page, taken, "river-timetable-2026")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("An account with this email exists")
    alert.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_school_address_offers_no_sign_up(page: Page, stack: Stack) -> None:
    school = register_school(stack, accept=None)
    page.goto(school.app_url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Open the invite link your school admin sent you")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Create your school"))).to_have_count(0)
