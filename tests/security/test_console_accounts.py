"""Accounts in the admin console and around it: sign-ins (API and console) in the school's audit log,
the console's sign-in throttled like the API's, console sessions that end from the API's session
list and logout, and district admins held to the password policy."""

from __future__ import annotations

import re
import uuid

import httpx

from tests.support.accounts import Account, platform_admin, register
from tests.support.stacks import Stack

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _console(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.base_url, timeout=60, follow_redirects=False)


def _console_sign_in(client: httpx.Client, email: str, password: str) -> httpx.Response:
    client.cookies.clear()
    form = client.get("/admin/login")
    token = _CSRF.search(form.text)
    assert token, form.text[:500]
    body = {"email": email, "password": password, "csrf_token": token.group(1), "next": "/admin/"}
    return client.post("/admin/login", data=body)


def _api_login(stack: Stack, email: str, password: str) -> httpx.Response:
    with stack.client() as client:
        return client.post("/auth/login", json={"email": email, "password": password})


def _signed_in_to_console(client: httpx.Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_school_admin_reads_api_and_console_sign_ins_in_the_audit_log(sqlite_stack: Stack) -> None:
    admin = register(sqlite_stack)
    assert _api_login(sqlite_stack, admin.email, "not the password at all").status_code == 401
    assert _api_login(sqlite_stack, admin.email, admin.password).status_code == 200
    with _console(sqlite_stack) as console:
        assert _console_sign_in(console, admin.email, "still not the password").status_code == 401
        assert _console_sign_in(console, admin.email, admin.password).status_code == 303
    log = admin.client.get(f"/schools/{admin.user['tenantId']}/audit")
    assert log.status_code == 200, log.text
    seen = sorted(
        (entry["after"]["via"], entry["outcome"], entry["actorEmail"])
        for entry in log.json()
        if entry["action"] == "sign_in"
    )
    assert seen == [
        ("api", "ok", admin.email),
        ("api", "refused", admin.email),
        ("console", "ok", admin.email),
        ("console", "refused", admin.email),
    ]
    assert all(e["reason"] == "wrong password" for e in log.json() if e["outcome"] == "refused")


def test_the_console_sign_in_is_throttled_with_a_clear_message(sqlite_stack: Stack) -> None:
    admin = register(sqlite_stack)
    with _console(sqlite_stack) as console:
        for _ in range(5):
            assert _console_sign_in(console, admin.email, "a wrong guess here").status_code == 401
        held = _console_sign_in(console, admin.email, admin.password)  # even the right password waits
        assert held.status_code == 429
        assert "Too many failed sign-ins for this account. Try again in 15 minutes" in held.text
        assert int(held.headers["retry-after"]) > 0
        assert "tt_admin_session" not in held.headers.get("set-cookie", "")
    # The API's sign-in counts the same failures.
    assert _api_login(sqlite_stack, admin.email, admin.password).status_code == 429


def _sessions(account: Account) -> list[dict]:
    listed = account.client.get("/auth/sessions")
    assert listed.status_code == 200, listed.text
    return listed.json()


def test_a_console_session_is_listed_and_ended_from_the_api(sqlite_stack: Stack) -> None:
    admin = register(sqlite_stack)
    with _console(sqlite_stack) as console:
        assert _console_sign_in(console, admin.email, admin.password).status_code == 303
        assert _signed_in_to_console(console)
        console_session = [s for s in _sessions(admin) if s["userAgent"].startswith("Admin console")]
        assert len(console_session) == 1 and not console_session[0]["current"]
        ended = admin.client.delete(f"/auth/sessions/{console_session[0]['id']}")
        assert ended.status_code == 204
        page = console.get("/admin/")
        assert page.status_code == 303 and page.headers["location"].startswith("/admin/login")
        assert admin.client.get("/auth/me").status_code == 200  # the API's own session goes on

        # Signing out everywhere through the API ends a console session too.
        assert _console_sign_in(console, admin.email, admin.password).status_code == 303
        assert _signed_in_to_console(console)
        assert admin.client.post("/auth/logout").status_code == 204
        assert not _signed_in_to_console(console)


def test_signing_out_of_the_console_ends_its_session_in_the_list(sqlite_stack: Stack) -> None:
    admin = register(sqlite_stack)
    with _console(sqlite_stack) as console:
        assert _console_sign_in(console, admin.email, admin.password).status_code == 303
        dashboard = console.get("/admin/")
        out = console.post("/admin/logout", data={"csrf_token": _CSRF.search(dashboard.text).group(1)})
        assert out.status_code == 303
    assert [s for s in _sessions(admin) if s["userAgent"].startswith("Admin console")] == []


def test_district_admin_passwords_follow_the_password_policy(sqlite_stack: Stack) -> None:
    root = platform_admin(sqlite_stack)
    district = root.client.post("/districts", json={"name": f"District {uuid.uuid4().hex[:6]}"})
    assert district.status_code == 201, district.text
    path = f"/districts/{district.json()['id']}/admins"
    email = f"da-{uuid.uuid4().hex[:8]}@district.test"
    for weak, reason in (("password1", "at least 10"), ("password123", "most common")):
        refused = root.client.post(path, json={"email": email, "name": "Dana", "password": weak})
        assert refused.status_code == 400 and refused.json()["code"] == "weak_password", refused.text
        assert reason in refused.json()["message"]
    made = root.client.post(path, json={"email": email, "name": "Dana", "password": "a district of lakes"})
    assert made.status_code == 201, made.text
    assert _api_login(sqlite_stack, email, "a district of lakes").status_code == 200
