"""axe-core on the main screens: no serious or critical accessibility violation anywhere."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import PHOTO, make_timetable, register_school, sign_in, teacher
from tests.support.stacks import Stack

AXE = Axe()


def serious(page: Page) -> list[str]:
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_main_screens_have_no_serious_violations(context: BrowserContext, stack: Stack, shots: Path) -> None:
    school = register_school(stack, primaryColor="#f2c200")  # a pale brand: text colours must adapt
    account = teacher(stack, school)
    make_timetable(account)
    with account.client as api, PHOTO.open("rb") as photo:
        assert api.post(
            "/documents/upload", files={"file": ("week-photo.png", photo, "image/png")}
        ).is_success
    page = context.new_page()
    found: dict[str, list[str]] = {}

    page.goto(school.app_url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.screenshot(path=shots / "sign-in.png")
    found["sign in"] = serious(page)

    sign_in(page, school, account)
    expect(page.get_by_role("button", name=re.compile("^Maths, Monday"))).to_be_visible()
    found["timetable"] = serious(page)

    page.get_by_role("button", name=re.compile("^Maths, Monday")).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    found["lesson editor"] = serious(page)
    page.keyboard.press("Escape")  # the dialog closes from the keyboard
    expect(page.get_by_role("dialog")).to_be_hidden()

    page.get_by_role("link", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", name="Upload a timetable")).to_be_visible()
    found["upload"] = serious(page)

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("row", name=re.compile("week-photo.png"))).to_be_visible()
    page.screenshot(path=shots / "history.png")
    found["history"] = serious(page)

    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.get_by_role("heading", name="Calendar subscription")).to_be_visible()
    page.screenshot(path=shots / "settings.png", full_page=True)
    found["settings"] = serious(page)

    assert {screen: v for screen, v in found.items() if v} == {}


def test_keyboard_alone_opens_and_saves_a_lesson(page: Page, stack: Stack) -> None:
    school = register_school(stack)
    account = teacher(stack, school)
    made = make_timetable(account)
    sign_in(page, school, account)
    expect(page.get_by_role("button", name=re.compile("^Maths, Monday"))).to_be_visible()
    maths = page.get_by_role("button", name=re.compile("^Maths, Monday"))
    maths.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Lesson")).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("Maths set 2")
    page.keyboard.press("Enter")  # submits the form
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("^Maths set 2, Monday 08:30"))).to_be_visible()
    with account.client as api:
        names = [b["name"] for b in api.get(f"/timetables/{made['id']}/timeblocks").json()]
    assert "Maths set 2" in names and "Maths" not in names
