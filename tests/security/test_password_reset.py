"""Password reset by email link, against the fake SendGrid: the same 202 for every email (no account
enumeration), a link to the school's app that works once and for 30 minutes, the password policy on
the new password, and every session of the account ended."""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from core.schools.creation import slugify
from tests.browser.conftest import ARGS, CHROMIUM
from tests.browser.test_accessibility import serious
from tests.notifications.conftest import email_env
from tests.security.conftest import OPEN_ADDRESS
from tests.support.accounts import Account, register
from tests.support.fakes.sendgrid_server import FakeSendGrid
from tests.support.stacks import Stack, running_stack

NEW_PASSWORD = "a fresh spring morning"


@pytest.fixture(scope="module")
def mail_stack(sendgrid: FakeSendGrid, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    env = {**OPEN_ADDRESS, **email_env(sendgrid)}
    with running_stack("sqlite", tmp_path_factory.mktemp("reset-stack"), env, worker=False) as running:
        yield running


def _ask(stack: Stack, email: str) -> httpx.Response:
    with stack.client() as client:
        return client.post("/auth/password-reset", json={"email": email})


def _confirm(stack: Stack, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    with stack.client() as client:
        return client.post("/auth/password-reset/confirm", json={"token": token, "password": password})


def _login(stack: Stack, email: str, password: str) -> httpx.Response:
    with stack.client() as client:
        return client.post("/auth/login", json={"email": email, "password": password})


def _emailed_token(stack: Stack, sendgrid: FakeSendGrid, account: Account, count: int = 1) -> str:
    message = sendgrid.wait_for(account.email, count=count)[-1]
    found = re.search(r"(\S+)/t/([a-z0-9-]+)/app/#/reset/([A-Za-z0-9_-]+)", message.text)
    assert found, message.text
    # TIMETABLER_PUBLIC_URL when set, else the address the server listens on (its own port).
    assert found.group(1) == stack.env.get("TIMETABLER_PUBLIC_URL", stack.base_url)
    assert found.group(2) == slugify(account.user["school"])  # the school's own app
    assert found.group(0) in message.html  # the button and the address in the HTML too
    assert "30 minutes" in message.text and message.subject == "Reset your Timetabler password"
    return found.group(3)


def test_the_link_arrives_sets_the_password_once_and_ends_every_session(
    mail_stack: Stack, sendgrid: FakeSendGrid
) -> None:
    account = register(mail_stack)
    other_device = _login(mail_stack, account.email, account.password).json()
    assert _ask(mail_stack, account.email).status_code == 202
    earlier = _emailed_token(mail_stack, sendgrid, account)
    asked = _ask(mail_stack, account.email.upper())  # emails are matched without case
    assert asked.status_code == 202
    token = _emailed_token(mail_stack, sendgrid, account, count=2)
    assert token != earlier

    weak = _confirm(mail_stack, token, "password123")
    assert weak.status_code == 400 and weak.json()["code"] == "weak_password"  # the link still works
    assert _confirm(mail_stack, token).status_code == 204

    assert _login(mail_stack, account.email, account.password).status_code == 401
    assert _login(mail_stack, account.email, NEW_PASSWORD).status_code == 200
    # Every session that existed before is over: access tokens and refresh tokens alike.
    for tokens in (
        other_device,
        {"accessToken": account.access_token, "refreshToken": account.refresh_token},
    ):
        assert mail_stack.client(tokens["accessToken"]).get("/auth/me").status_code == 401
        with mail_stack.client() as client:
            refreshed = client.post("/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
            assert refreshed.status_code == 401

    reused = _confirm(mail_stack, token, "yet another fine phrase")
    assert reused.status_code == 410 and reused.json()["code"] == "reset_used"
    assert "Ask for a new one" in reused.json()["message"]
    assert _login(mail_stack, account.email, "yet another fine phrase").status_code == 401
    # The earlier link, never used, went with the reset.
    assert _confirm(mail_stack, earlier, "yet another fine phrase").json()["code"] == "reset_used"


def test_an_unknown_email_gets_the_same_answer_and_no_email(
    mail_stack: Stack, sendgrid: FakeSendGrid
) -> None:
    stranger = f"{uuid.uuid4().hex[:10]}@school.test"
    unknown = _ask(mail_stack, stranger)
    account = register(mail_stack)
    known = _ask(mail_stack, account.email)
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert unknown.status_code == 202 and "If an account uses this email" in unknown.json()["message"]
    _emailed_token(mail_stack, sendgrid, account)  # the known one's email came (after the unknown's ask)
    assert sendgrid.to(stranger) == []


def test_an_expired_or_made_up_link_is_refused(mail_stack: Stack, sendgrid: FakeSendGrid) -> None:
    account = register(mail_stack)
    _ask(mail_stack, account.email)
    token = _emailed_token(mail_stack, sendgrid, account)
    # Half an hour later (the row's expiry moved into the past, as the clock would).
    with sqlite3.connect(mail_stack.data_dir / "timetabler.sqlite3") as db:
        db.execute("UPDATE password_resets SET expires_at = '2020-01-01 00:00:00+00:00'")
    expired = _confirm(mail_stack, token)
    assert expired.status_code == 410 and expired.json()["code"] == "reset_expired"
    assert "expired" in expired.json()["message"]
    made_up = _confirm(mail_stack, "x" * 43)
    assert made_up.status_code == 400 and made_up.json()["code"] == "reset_invalid"
    assert _login(mail_stack, account.email, account.password).status_code == 200


def test_asking_again_and_again_is_throttled_for_every_email_alike(mail_stack: Stack) -> None:
    account = register(mail_stack)
    stranger = f"{uuid.uuid4().hex[:10]}@school.test"
    for email in (account.email, stranger):
        answers = [_ask(mail_stack, email).status_code for _ in range(6)]
        assert answers == [202] * 5 + [429], (email, answers)
        throttled = _ask(mail_stack, email)
        assert throttled.json()["code"] == "too_many_attempts" and int(throttled.headers["retry-after"]) > 0
    # Asking for links does not lock the account's sign-in.
    assert _login(mail_stack, account.email, account.password).status_code == 200


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def test_forgetting_a_password_in_the_app_from_the_email_to_signing_in(
    mail_stack: Stack, sendgrid: FakeSendGrid, browser: Browser
) -> None:
    account = register(mail_stack)
    app = f"/t/{slugify(account.user['school'])}/app/"
    context = browser.new_context(base_url=mail_stack.base_url)
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto(f"{app}#/signin")
        page.get_by_role("link", name="Forgot your password?").click()
        expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
        assert serious(page) == []
        page.get_by_label("Email").fill(account.email)
        page.get_by_role("button", name="Email me a link").click()
        expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
        assert serious(page) == []  # axe-core: no serious or critical accessibility violation
        expect(page.get_by_role("status")).to_contain_text("If an account uses this email")

        token = _emailed_token(mail_stack, sendgrid, account)
        page.goto(f"{app}#/reset/{token}")  # the emailed link, on this server
        expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
        page.get_by_label("New password").fill("short")
        page.get_by_role("button", name="Save the new password").click()
        expect(page.get_by_role("alert")).to_contain_text("at least 10 characters")
        assert serious(page) == []
        page.get_by_label("New password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Save the new password").click()
        expect(page.get_by_role("heading", name="Password changed")).to_be_visible()

        page.get_by_role("link", name="Sign in").click()
        page.get_by_label("Email").fill(account.email)
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_hidden()
        assert _login(mail_stack, account.email, NEW_PASSWORD).status_code == 200

        page.goto(f"{app}#/reset/{token}")  # the same link again is spent
        page.get_by_label("New password").fill("yet another fine phrase")
        page.get_by_role("button", name="Save the new password").click()
        expect(page.get_by_role("alert")).to_contain_text("used already")
        expect(page.get_by_role("link", name="Ask for a new link.")).to_be_visible()
    finally:
        context.close()


def test_one_address_asking_for_many_accounts_is_throttled(throttle_stack: Stack) -> None:
    """The throttle stack lets an address fail 4 times: asking for links counts, whatever the email."""
    transport = httpx.HTTPTransport(local_address="127.0.0.3")
    with httpx.Client(
        base_url=throttle_stack.base_url + "/api/v1", transport=transport, timeout=60
    ) as client:
        for i in range(4):
            asked = client.post("/auth/password-reset", json={"email": f"someone{i}@school.test"})
            assert asked.status_code == 202
        held = client.post("/auth/password-reset", json={"email": "someone9@school.test"})
        assert held.status_code == 429 and "network address" in held.json()["message"]
        guess = client.post("/auth/password-reset/confirm", json={"token": "guess", "password": NEW_PASSWORD})
        assert guess.status_code == 429  # nor can it go on guessing links
    with throttle_stack.client() as other:  # another address is not held up
        assert other.post("/auth/password-reset", json={"email": "someone9@school.test"}).status_code == 202
