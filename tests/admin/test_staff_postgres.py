"""The console's new pages on PostgreSQL with row-level security (the app's role owns no table),
over HTTP like a browser: a platform admin creates a district and a school, invites its school
admin, who joins by the link's page; the staff and billing pages read the school's own rows."""

from __future__ import annotations

import re
import uuid

import httpx

from tests.admin.conftest import csrf_of, row, text
from tests.admin.test_postgres import browser
from tests.support.accounts import platform_admin
from tests.support.stacks import Stack


def test_a_new_school_gets_its_admin_through_the_console(pg_stack: Stack) -> None:
    root = browser(pg_stack, platform_admin(pg_stack).email)
    made = submit(root, "/admin/", {"name": "Cedar PG"}, action="/admin/districts")
    district_path = str(made.url.path)
    assert "Cedar PG was created" in text(made.text), made.text[:2000]
    school = submit(
        root,
        district_path,
        {"name": "Willow PG", "district_id": district_path.rsplit("/", 1)[1], "back": "district"},
        action="/admin/schools",
    )
    staff_path = str(school.url.path)
    assert staff_path.endswith("/staff") and "Invite its school admin" in text(school.text)

    email = f"head-{uuid.uuid4().hex[:6]}@willow.test"
    invited = submit(
        root, staff_path, {"email": email, "role": "school_admin"}, action=f"{staff_path}/invite"
    )
    link = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', invited.text).group(1)
    token = link.rsplit("/", 1)[1]
    with httpx.Client(base_url=pg_stack.base_url, timeout=60) as guest:
        form = guest.get(f"/invite/{token}")
        joined = guest.post(
            f"/invite/{token}",
            data={"name": "Hana Head", "password": "willow head password", "csrf_token": csrf_of(form)},
        )
    assert "Welcome to Willow PG" in text(joined.text), joined.text[:2000]

    head = browser(pg_stack, email, "willow head password")
    page = head.get(staff_path)
    assert page.status_code == 200
    assert row(page.text, f'data-person="{email}"').startswith("Hana Head (you)")
    refused = submit(
        head, staff_path, {"role": "teacher"}, action=f"{staff_path}/{_id(page.text, email)}/role"
    )
    assert "only school admin" in text(refused.text)
    billing = head.get(staff_path.replace("/staff", "/billing"))
    assert billing.status_code == 200 and "Free plan" in text(billing.text)
    assert "Billing is off on this installation" in text(billing.text)


def submit(client: httpx.Client, page_path: str, data: dict[str, str], action: str) -> httpx.Response:
    """Post one of a page's forms with its CSRF token and follow where it leads."""
    page = client.get(page_path)
    assert page.status_code == 200, page.text
    return client.post(action, data={**data, "csrf_token": csrf_of(page)}, follow_redirects=True)


def _id(page: str, email: str) -> str:
    match = re.search(rf'data-person="{re.escape(email)}".*?/staff/([0-9a-f-]{{36}})/role', page, re.S)
    assert match, "no role form for that person"
    return match.group(1)
