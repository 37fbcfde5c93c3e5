"""Browser tests: Debian's Chromium, headless, driven by Playwright against a real `timetabler serve`.

One server on the embedded defaults for the folder; each test gets its own browser context (its
own storage, service workers and IndexedDB), so tests do not see each other's sessions.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.conftest import DOCUMENTS
from tests.support.accounts import FINAL
from tests.support.stacks import Stack, running_stack

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A ruled PNG with days as columns: Tesseract reads it in a few seconds.
PHOTO = DOCUMENTS / "000_days_cols_png.png"
TIMEOUT_MS = 90_000
# Reading a photo takes seconds on a busy machine: wait on states, generously, never on the clock.
expect.set_options(timeout=TIMEOUT_MS)


def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: docs/screenshots when TIMETABLER_SCREENSHOTS names it, else a temp folder."""
    wanted = os.environ.get("TIMETABLER_SCREENSHOTS")
    return Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = screenshot_dir(tmp_path_factory)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    with running_stack("sqlite", tmp_path_factory.mktemp("browser-stack"), {}, worker=False) as running:
        yield running


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    # One Chromium for the folder, closed when the run leaves it: Playwright's sync API holds an
    # event loop while it runs, which would break the asyncio.run() of other folders' tests.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser, stack: Stack) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=stack.base_url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@dataclass
class Account:
    stack: Stack
    email: str
    password: str
    access_token: str
    user: dict[str, Any]

    @property
    def client(self) -> httpx.Client:
        return self.stack.client(self.access_token)

    def wait_for_job(self, job_id: str, timeout: float = 180) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self.client as client:
            while time.monotonic() < deadline:
                job = client.get(f"/jobs/{job_id}").json()
                if job["status"] in FINAL:
                    return job
                time.sleep(0.5)
        raise AssertionError(f"job {job_id} did not finish:\n{self.stack.log_tail()}")


@dataclass
class School:
    admin: Account
    slug: str
    id: str

    @property
    def app_url(self) -> str:
        return f"/t/{self.slug}/app/"


def register_school(stack: Stack, *, accept: float | None = 0.5, **branding: str) -> School:
    """A school whose admin registered through the API; `accept` lowers the bar so photos complete."""
    name = f"Oakfield {uuid.uuid4().hex[:6]}"
    email = f"admin-{uuid.uuid4().hex[:8]}@oakfield.example"
    password = "correct horse battery"
    with stack.client() as client:
        body = client.post(
            "/auth/register", json={"email": email, "password": password, "name": "Ada Admin", "school": name}
        ).json()
    admin = Account(stack, email, password, body["accessToken"], body["user"])
    school_id = body["user"]["tenantId"]
    settings: dict[str, Any] = dict(branding)
    if accept is not None:
        settings.update(acceptThreshold=accept, secondaryOcrThreshold=accept, llmThreshold=accept)
    if settings:
        with admin.client as client:
            response = client.put(f"/schools/{school_id}/settings", json=settings)
            assert response.status_code == 200, response.text
    with admin.client as client:
        slug = client.get(f"/schools/{school_id}").json()["slug"]
    return School(admin=admin, slug=slug, id=school_id)


def invite_token(school: School, email: str, role: str = "teacher") -> str:
    with school.admin.client as client:
        response = client.post(f"/schools/{school.id}/invites", json={"email": email, "role": role})
    assert response.status_code == 201, response.text
    return response.json()["inviteUrl"].rsplit("/", 1)[1]


def teacher(stack: Stack, school: School) -> Account:
    """A teacher who joined by invite through the API (tests of other flows start signed up)."""
    email = f"teacher-{uuid.uuid4().hex[:8]}@oakfield.example"
    token = invite_token(school, email)
    with stack.client() as client:
        body = client.post(
            "/auth/accept-invite", json={"token": token, "name": "Tom Teacher", "password": "lesson-plan-42"}
        ).json()
    return Account(stack, email, "lesson-plan-42", body["accessToken"], body["user"])


def sign_in(page: Page, school: School, account: Account) -> None:
    page.goto(school.app_url)
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").wait_for()


WEEK = [
    {"name": "Maths", "day": "Monday", "startTime": "08:30", "endTime": "09:20", "notes": "Room 7"},
    {"name": "English", "day": "Monday", "startTime": "09:20", "endTime": "10:10", "notes": "R12"},
    {"name": "Science", "day": "Tuesday", "startTime": "10:30", "endTime": "12:10", "notes": "Lab 2"},
    {"name": "French", "day": "Tuesday", "startTime": "13:00", "endTime": "13:50", "notes": "R4"},
    {"name": "History", "day": "Wednesday", "startTime": "13:00", "endTime": "13:50"},
    {"name": "Art", "day": "Thursday", "startTime": "08:30", "endTime": "10:10", "notes": "A1"},
    {"name": "Sport", "day": "Friday", "startTime": "13:00", "endTime": "14:40", "notes": "Gym"},
]


def make_timetable(account: Account, name: str = "Year 8 — autumn") -> dict[str, Any]:
    with account.client as client:
        response = client.post(
            "/timetables", json={"name": name, "teacher": "Tom Teacher", "timeblocks": WEEK}
        )
    assert response.status_code == 201, response.text
    return response.json()
