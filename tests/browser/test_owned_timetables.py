"""Timetables a person owns, in the app: the Timetable page opens one's own current timetable (a
school admin's too), the switcher tells copies apart, rename, delete with Undo in the toast, a file
uploaded twice is recognised, and History shows one's own uploads first and colleagues' with names."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from core.plugin_kit.samples import timetable_pdf
from tests.browser.conftest import TIMEOUT_MS, make_timetable, register_school, sign_in, teacher
from tests.support.stacks import Stack


def names(account: object) -> list[str]:
    with account.client as client:  # type: ignore[attr-defined]
        return [t["name"] for t in client.get("/timetables", params={"mine": "true"}).json()["items"]]


def test_rename_and_delete_with_undo_on_ones_own_timetable(page: Page, stack: Stack, shots: Path) -> None:
    school = register_school(stack)
    admin = school.admin
    make_timetable(admin, "Week A")
    make_timetable(admin, "scan_0042")
    colleague = teacher(stack, school)
    make_timetable(colleague, "Tom's week")  # the newest in the school: not the admin's to open

    sign_in(page, school, admin)
    expect(page.get_by_role("heading", name="scan_0042", level=1)).to_be_visible()
    switcher = page.get_by_role("combobox")
    options = [o.strip() for o in switcher.locator("option").all_inner_texts()]
    assert len(options) == 2 and all(re.search(r" · \d{1,2} [A-Z][a-z]{2}", o) for o in options), options
    assert options[0].startswith("scan_0042 · ") and options[0].endswith("(current)")
    assert options[1].startswith("Week A · ")

    page.get_by_role("button", name="Rename").click()
    dialog = page.get_by_role("dialog", name="Rename this timetable")
    dialog.get_by_label("Name").fill("   ")
    dialog.get_by_role("button", name="Save name").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Give the timetable a name")
    dialog.get_by_label("Name").fill("Week B")
    dialog.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("heading", name="Week B", level=1)).to_be_visible()
    expect(page.locator("#toast")).to_contain_text("Renamed to Week B.")
    assert names(admin) == ["Week B", "Week A"]
    page.screenshot(path=str(shots / "timetable-renamed.png"), full_page=True)

    page.get_by_role("button", name="Delete timetable").click()
    toast = page.locator("#toast")
    expect(toast).to_contain_text("Week B deleted.")
    expect(page.get_by_role("heading", name="Week A", level=1)).to_be_visible()  # the one before takes over
    assert names(admin) == ["Week A"]
    page.screenshot(path=str(shots / "timetable-deleted-undo.png"), full_page=True)
    toast.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("heading", name="Week B", level=1)).to_be_visible()
    expect(toast).to_contain_text("Week B is back.")
    assert names(admin) == ["Week B", "Week A"]
    page.goto(school.app_url + "#/")
    expect(page.get_by_role("heading", name="Week B", level=1)).to_be_visible()  # current again

    # An older one can be made current again: the home page then opens it.
    older = page.get_by_role("combobox").locator("option", has_text="Week A · ").get_attribute("value")
    page.get_by_role("combobox").select_option(older)
    expect(page.get_by_role("heading", name="Week A", level=1)).to_be_visible()
    page.get_by_role("button", name="Make this my current timetable").click()
    expect(page.locator("#toast")).to_contain_text("Week A is now your current timetable")
    page.goto(school.app_url + "#/timetables")
    page.goto(school.app_url + "#/")
    expect(page.get_by_role("heading", name="Week A", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Make this my current timetable")).to_have_count(0)

    # On a phone the actions stay reachable and the page does not scroll sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("button", name="Delete timetable")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "phone-timetable-actions.png"), full_page=True)


def test_the_same_file_twice_and_whose_uploads_history_shows(
    page: Page, browser: Browser, stack: Stack, shots: Path, tmp_path: Path
) -> None:
    school = register_school(stack)  # accepts a text PDF's reading, so uploads finish by themselves
    tom = teacher(stack, school)
    pdf = timetable_pdf(tmp_path / "autumn-week.pdf")

    sign_in(page, school, tom)
    page.goto(school.app_url + "#/upload")
    page.locator("#file-input").set_input_files(str(pdf))
    expect(page.get_by_role("heading", name="autumn-week", level=1)).to_be_visible(timeout=TIMEOUT_MS)

    page.goto(school.app_url + "#/upload")
    page.locator("#file-input").set_input_files(str(pdf))
    notice = page.get_by_role("heading", name=re.compile(r"^You uploaded this on \d{1,2} [A-Z][a-z]{2}"))
    expect(notice).to_be_visible()
    page.screenshot(path=str(shots / "upload-duplicate.png"), full_page=True)
    page.get_by_role("link", name=re.compile(r"^Open the one from ")).click()
    expect(page.get_by_role("heading", name="autumn-week", level=1)).to_be_visible()
    with tom.client as client:  # the second copy finishes too
        tom.wait_for_job(client.get("/documents").json()["items"][0]["jobId"])
    page.reload()
    switcher = page.get_by_role("combobox")
    expect(switcher.locator("option")).to_have_count(2)
    copies = switcher.locator("option").all_inner_texts()
    assert len(set(copies)) == 2 and all(c.startswith("autumn-week · ") for c in copies), copies

    page.goto(school.app_url + "#/history")
    rows = page.locator("table.history tbody tr")
    expect(rows).to_have_count(2)  # the second copy was kept, not thrown away

    # The school admin's History starts with their own uploads (none); the school's name who sent each.
    admin_context = browser.new_context(base_url=stack.base_url, viewport={"width": 1280, "height": 860})
    admin_context.set_default_timeout(TIMEOUT_MS)
    admin_page = admin_context.new_page()
    try:
        sign_in(admin_page, school, school.admin)
        admin_page.goto(school.app_url + "#/history")
        expect(admin_page.get_by_text("You have not uploaded anything yet.")).to_be_visible()
        admin_page.get_by_role("button", name="Everyone at the school").click()
        table = admin_page.locator("table.history")
        expect(table.locator("tbody tr")).to_have_count(2)
        expect(table.locator(".uploader").first).to_have_text("by Tom Teacher")
        admin_page.screenshot(path=str(shots / "history-uploader.png"), full_page=True)
        admin_page.set_viewport_size({"width": 390, "height": 844})
        expect(table.locator(".uploader").first).to_be_visible()
        assert admin_page.evaluate("document.documentElement.scrollWidth") <= 390
        admin_page.screenshot(path=str(shots / "phone-history-uploader.png"), full_page=True)
    finally:
        admin_context.close()
