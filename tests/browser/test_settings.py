"""Settings: notification channels saved per person; a calendar subscription link that works until
it is revoked."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import make_timetable, register_school, sign_in, teacher
from tests.support.stacks import Stack


def test_notification_choices_and_calendar_link(page: Page, stack: Stack) -> None:
    school = register_school(stack)
    account = teacher(stack, school)
    make_timetable(account)
    sign_in(page, school, account)
    page.get_by_role("link", name="Settings").click()

    email = page.get_by_role("checkbox", name="Email")
    expect(email).to_be_checked()
    email.uncheck()
    expect(page.get_by_text("Saved.")).to_be_visible()
    with account.client as api:
        assert api.get("/me/notification-preferences").json() == {"email": False, "push": True, "inApp": True}

    page.get_by_role("button", name="Make a subscription link").click()
    link = page.get_by_label("Your link (copy it into your calendar app)")
    expect(link).to_be_visible()
    # The link starts with the address the server listens on (no TIMETABLER_PUBLIC_URL here): it
    # works exactly as shown, as a calendar app would use it.
    shown = link.input_value()
    url = urlsplit(shown).path
    assert shown == stack.base_url + url and url.startswith("/calendar/") and url.endswith(".ics")
    feed = page.request.get(shown)
    assert feed.status == 200 and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Maths" in feed.text()

    page.get_by_role("button", name="Revoke the link").click()
    expect(page.get_by_text("The link no longer works.")).to_be_visible()
    assert page.request.get(url).status == 404
    with account.client as api:
        assert api.get("/me/calendar-feed").json()["active"] is False

    # Signing out ends the session on this device and forgets its saved timetables.
    assert page.evaluate("TT.store.all('timetables').then((rows) => rows.length)") == 1
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("TT.store.all('timetables').then((rows) => rows.length)") == 0
    assert page.evaluate("TT.store.get('kv', 'refreshToken')") is None
