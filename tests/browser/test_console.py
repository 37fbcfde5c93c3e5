"""The admin console in Chromium: a platform admin creates a district and a school in it and invites
the school's admin; the billing page shows the plan and this month's usage and opens Stripe Checkout
(the local fake Stripe); the console's main pages fit a 390 px phone with no sideways scroll."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from core.plugin_kit.samples import timetable_pdf
from tests.browser.conftest import Account, register_school
from tests.browser.test_staff import wider_than
from tests.support.fakes.stripe_server import FakeStripe
from tests.support.stacks import ROOT, Stack, running_stack

STRIPE_KEY = "sk_test_console"
ADMIN_PASSWORD = "platform admin password"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def billed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A server with billing on, talking to the fake Stripe on loopback (no network)."""
    with FakeStripe(api_key=STRIPE_KEY) as fake:
        fake.add_price("timetabler_school_monthly", unit_amount=4900)
        env = {"TIMETABLER_STRIPE_API_KEY": STRIPE_KEY, "TIMETABLER_STRIPE_API_BASE": fake.url}
        with running_stack("billed", tmp_path_factory.mktemp("billed"), env, worker=False) as running:
            yield running


def platform_admin(stack: Stack) -> str:
    email = f"root-{uuid.uuid4().hex[:8]}@platform.example"
    result = subprocess.run(
        [sys.executable, "-m", "core.cli", "create-admin", "--email", email],
        cwd=ROOT,
        env={**stack.env, "TIMETABLER_ADMIN_PASSWORD": ADMIN_PASSWORD},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return email


def console_sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/admin/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def fits_a_phone(page: Page, path: str, shots: Path, name: str) -> None:
    page.goto(path)
    expect(page.locator("main h1")).to_be_visible()
    page.screenshot(path=shots / f"console-phone-{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        path,
        wider_than(page, 390),
    )


def test_a_platform_admin_creates_a_district_and_a_school_and_the_console_fits_a_phone(
    browser: Browser, billed: Stack, shots: Path
) -> None:
    context = browser.new_context(base_url=billed.base_url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        console_sign_in(page, platform_admin(billed), ADMIN_PASSWORD)
        # A name with nothing in it is refused on the form, in words.
        page.get_by_label("District name").fill("   ")
        page.get_by_role("button", name="Create the district").click()
        expect(page.get_by_role("alert")).to_contain_text("Give the district a name.")

        district = f"Cedar {uuid.uuid4().hex[:4]}"
        page.get_by_label("District name").fill(district)
        page.get_by_role("button", name="Create the district").click()
        expect(page.get_by_role("heading", name=district)).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text(f"{district} was created")

        school = f"Willow {uuid.uuid4().hex[:4]}"
        page.get_by_label(f"Add a school to {district}").fill(school)
        page.get_by_role("button", name="Create the school").click()
        expect(page.get_by_role("heading", name=f"Staff of {school}")).to_be_visible()
        expect(page.get_by_role("status").first).to_contain_text("Invite its school admin")
        staff_path = page.url.split(billed.base_url, 1)[1].split("?")[0]
        school_path = staff_path.removesuffix("/staff")

        page.get_by_label("Their email").fill(f"head-{uuid.uuid4().hex[:6]}@willow.example")
        page.get_by_label("Their role").select_option(label="School admin")
        page.get_by_role("button", name="Invite", exact=True).click()
        expect(page.get_by_text("No email was sent")).to_be_visible()
        assert "/invite/" in page.locator("#invite-link").input_value()
        page.screenshot(path=shots / "console-new-school.png", full_page=True)

        page.goto("/admin/")
        expect(page.get_by_role("link", name=school)).to_be_visible()
        expect(page.get_by_role("link", name=district)).to_be_visible()

        page.set_viewport_size(PHONE)
        for name, path in [
            ("dashboard", "/admin/"),
            ("school", school_path),
            ("staff", staff_path),
            ("billing", f"{school_path}/billing"),
            ("district", page.get_by_role("link", name=district).get_attribute("href")),
            ("usage", "/admin/usage"),
            ("audit", "/admin/audit"),
            ("plugins", "/admin/plugins"),
            ("simulator", f"{school_path}/simulate"),
            ("reviews", "/admin/reviews"),
            ("sign-in", "/admin/login"),
        ]:
            fits_a_phone(page, path, shots, name)
    finally:
        context.close()


def test_the_billing_page_shows_the_plan_and_usage_and_opens_checkout(
    browser: Browser, billed: Stack, shots: Path, tmp_path: Path
) -> None:
    school = register_school(billed, accept=None)
    admin: Account = school.admin
    with admin.client as client, timetable_pdf(tmp_path / "week.pdf").open("rb") as pdf:
        uploaded = client.post("/documents/upload", files={"file": ("week.pdf", pdf, "application/pdf")})
    assert uploaded.status_code in (200, 201, 202), uploaded.text
    admin.wait_for_job(uploaded.json()["jobId"])

    context = browser.new_context(base_url=billed.base_url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        console_sign_in(page, admin.email, admin.password)
        page.goto(f"/admin/schools/{school.id}/billing")
        expect(page.locator("#plan")).to_contain_text("Free plan")
        expect(page.locator("#usage")).to_contain_text("1 of 20 documents used")
        page.screenshot(path=shots / "console-billing.png", full_page=True)

        # Checkout is Stripe's page: here the fake's address, answered in the browser (no network).
        def stripe_page(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html", body="<h1>Stripe Checkout</h1>")

        page.route("https://checkout.stripe.test/**", stripe_page)
        page.get_by_role("button", name="Choose the School plan (500 documents a month)").click()
        expect(page.get_by_role("heading", name="Stripe Checkout")).to_be_visible()
        assert page.url.startswith("https://checkout.stripe.test/c/pay/")

        # Back from Stripe: the school's billing page, and the portal is offered.
        page.goto("/admin/billing?checkout=success")
        expect(page.get_by_role("heading", name=f"Billing of {school.admin.user['school']}")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("Payment details received")
        expect(page.get_by_role("button", name="Manage payment, invoices or cancel (Stripe)")).to_be_visible()
    finally:
        context.close()
