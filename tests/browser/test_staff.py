"""Staff in the app: a school admin invites a colleague (the link is shown with a copy button, since
no email is set up), the colleague opens the link and joins, the admin changes their role, cannot
remove the school's only school admin, and removes the colleague. Teachers see no Staff screen."""

from __future__ import annotations

import uuid
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import register_school, sign_in, teacher
from tests.browser.test_accessibility import serious
from tests.support.stacks import Stack


def test_an_admin_invites_a_colleague_who_joins_then_changes_their_role_and_removes_them(
    browser: Browser, page: Page, stack: Stack, shots: Path
) -> None:
    school = register_school(stack, accept=None)
    admin = school.admin
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, school, admin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", name="Staff", exact=True)).to_be_visible()

    email = f"cleo-{uuid.uuid4().hex[:8]}@oakfield.example"
    page.get_by_label("Their email").fill(email)
    page.get_by_label("Their role").select_option(label="Teacher")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("No email was sent")).to_be_visible()
    link = page.locator("#invite-link").input_value()
    assert link.startswith(f"{stack.base_url}/t/{school.slug}/app/#/join/"), link
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    waiting = page.get_by_role("list", name="Invites waiting")
    expect(waiting.locator(f'[data-email="{email}"]')).to_contain_text("Teacher")
    page.screenshot(path=shots / "staff-invite.png", full_page=True)

    # The colleague opens the link in their own browser and joins.
    other = browser.new_context(base_url=stack.base_url, viewport={"width": 390, "height": 844})
    try:
        joiner = other.new_page()
        joiner.goto(link)  # exactly as shown: it points at this server
        joiner.get_by_label("Your name").fill("Cleo Colleague")
        joiner.get_by_label("Password").fill("cleo-lesson-plan-7")
        joiner.get_by_role("button", name="Join").click()
        expect(joiner.get_by_role("heading", name="Upload a timetable")).to_be_visible()
        # A teacher has no Staff screen.
        expect(joiner.get_by_role("navigation", name="Main").get_by_role("link", name="Staff")).to_be_hidden()
    finally:
        other.close()

    page.reload()
    people = page.get_by_role("list", name="People")
    row = people.locator(f'[data-email="{email}"]')
    expect(row).to_contain_text("Cleo Colleague")
    expect(page.get_by_role("list", name="Invites waiting")).to_be_hidden()  # the invite was used

    page.get_by_label("Role of Cleo Colleague").select_option(label="Reviewer")
    expect(page.get_by_role("status").filter(has_text="Cleo Colleague is now Reviewer.")).to_be_visible()
    with admin.client as client:
        roles = {u["email"]: u["role"] for u in client.get(f"/schools/{school.id}/users").json()}
    assert roles[email] == "reviewer"

    # The only school admin can neither step down nor be removed: said in plain words.
    page.get_by_label("Role of Ada Admin").select_option(label="Teacher")
    only = "Ada Admin is your school's only school admin"
    expect(page.get_by_text(f"{only}, so they keep that role")).to_be_visible()
    expect(page.get_by_label("Role of Ada Admin")).to_have_value("school_admin")
    page.get_by_role("button", name="Remove Ada Admin").click()
    page.get_by_role("button", name="Yes, remove").click()
    expect(page.get_by_text(f"{only}, so they cannot be removed")).to_be_visible()
    page.screenshot(path=shots / "staff-last-admin.png", full_page=True)

    page.get_by_role("button", name="Remove Cleo Colleague").click()
    page.get_by_role("button", name="Yes, remove").click()
    expect(page.get_by_text("Cleo Colleague was removed.")).to_be_visible()
    expect(row).to_have_count(0)
    with stack.client() as anon:
        gone = anon.post("/auth/login", json={"email": email, "password": "cleo-lesson-plan-7"})
    assert gone.status_code == 401


def wider_than(page: Page, width: int) -> list[str]:
    """The elements that reach past ``width``: what makes the page scroll sideways."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll("body, body *")]
            .filter((e) => e.getBoundingClientRect().right > width + 0.5)
            .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)
            .slice(0, 12)""",
        width,
    )


def test_the_staff_screen_fits_a_phone(page: Page, stack: Stack, shots: Path) -> None:
    school = register_school(stack, accept=None)
    colleague = teacher(stack, school)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, school, school.admin)
    page.goto(school.app_url + "#/staff")
    page.get_by_label("Their email").fill(f"long.name.{uuid.uuid4().hex}@a-rather-long-school-domain.example")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator("#invite-link")).to_be_visible()
    people = page.get_by_role("list", name="People")
    expect(people.locator(f'[data-email="{colleague.email}"]')).to_be_visible()
    page.screenshot(path=shots / "staff-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wider_than(page, 390)
    assert serious(page) == []
