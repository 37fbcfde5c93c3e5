"""Accounts against an attacker: the password policy, sign-in throttling per account and per address
(X-Forwarded-For believed only from a trusted proxy), sessions listed and ended by their user, and
logout and password changes that end sessions at once."""

from __future__ import annotations

import uuid

import httpx

from tests.support.accounts import Account, invite, register
from tests.support.stacks import Stack


def _login(stack: Stack, email: str, password: str, **kwargs) -> httpx.Response:
    with stack.client() as client:
        return client.post("/auth/login", json={"email": email, "password": password}, **kwargs)


def _sign_up(stack: Stack, password: str, email: str | None = None) -> httpx.Response:
    email = email or f"{uuid.uuid4().hex[:10]}@school.test"
    body = {"email": email, "password": password, "name": "Pat", "school": f"School {uuid.uuid4().hex[:8]}"}
    with stack.client() as client:
        return client.post("/auth/register", json=body)


def test_the_password_policy_refuses_short_common_and_email_passwords(sqlite_stack: Stack) -> None:
    refusals = {
        "nine char": "at least 10 characters",
        "password123": "most common",
        "Qwertyuiop": "most common",
        "aaaaaaaaaaaa": "most common",
        "grace.hopper-1906": "email",
    }
    for password, reason in refusals.items():
        response = _sign_up(sqlite_stack, password, email=f"grace.hopper{uuid.uuid4().hex[:4]}@navy.test")
        if password == "grace.hopper-1906":  # the email's own name inside the password
            response = _sign_up(sqlite_stack, password, email="grace.hopper@navy.test")
        assert response.status_code == 400, (password, response.text)
        assert response.json()["code"] == "weak_password"
        assert reason in response.json()["message"], (password, response.json())
    assert _sign_up(sqlite_stack, "tea at half past ten").status_code == 201


def test_an_invite_is_accepted_only_with_a_good_password(sqlite_stack: Stack) -> None:
    admin = register(sqlite_stack)
    made = admin.client.post(
        f"/schools/{admin.user['tenantId']}/invites", json={"email": "kim@school.test", "role": "teacher"}
    )
    token = made.json()["inviteUrl"].rsplit("/", 1)[1]
    with sqlite_stack.client() as client:
        weak = client.post(
            "/auth/accept-invite", json={"token": token, "name": "Kim", "password": "1234567890"}
        )
        assert weak.status_code == 400 and weak.json()["code"] == "weak_password"
        good = client.post(
            "/auth/accept-invite", json={"token": token, "name": "Kim", "password": "a kettle of fish"}
        )
        assert good.status_code == 201, good.text


def test_five_failures_make_an_account_wait_with_retry_after(sqlite_stack: Stack) -> None:
    account = register(sqlite_stack)
    for _ in range(5):
        assert _login(sqlite_stack, account.email, "not my password").status_code == 401
    throttled = _login(sqlite_stack, account.email, account.password)  # even the right password waits
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "too_many_attempts"
    assert "Try again in 15 minutes" in throttled.json()["message"]
    assert 0 < int(throttled.headers["retry-after"]) <= 15 * 60
    # Another account from the same address is not held up.
    other = register(sqlite_stack)
    assert _login(sqlite_stack, other.email, other.password).status_code == 200


def test_a_success_clears_the_account_s_earlier_failures(sqlite_stack: Stack) -> None:
    account = register(sqlite_stack)
    for _ in range(4):
        _login(sqlite_stack, account.email, "typo in password")
    assert _login(sqlite_stack, account.email, account.password).status_code == 200
    for _ in range(4):
        assert _login(sqlite_stack, account.email, "typo in password").status_code == 401
    assert _login(sqlite_stack, account.email, account.password).status_code == 200


def _from(stack: Stack, source: str) -> httpx.Client:
    """A client whose connections come from another loopback address (the server sees it as the peer)."""
    transport = httpx.HTTPTransport(local_address=source)
    return httpx.Client(base_url=stack.base_url + "/api/v1", transport=transport, timeout=60)


def test_an_address_is_throttled_and_a_forged_forwarded_for_does_not_help(throttle_stack: Stack) -> None:
    """127.0.0.2 is no proxy: its X-Forwarded-For is ignored, so rotating it does not escape."""
    with _from(throttle_stack, "127.0.0.2") as client:
        for i in range(4):
            body = {"email": f"nobody{i}@school.test", "password": "guess guess guess"}
            response = client.post("/auth/login", json=body, headers={"X-Forwarded-For": f"198.51.100.{i}"})
            assert response.status_code == 401
        body = {"email": "nobody9@school.test", "password": "guess guess guess"}
        refused = client.post("/auth/login", json=body, headers={"X-Forwarded-For": "198.51.100.99"})
        assert refused.status_code == 429 and "network address" in refused.json()["message"]
        assert int(refused.headers["retry-after"]) > 0
    # The trusted proxy (127.0.0.1) speaks for many clients: each forwarded address counts alone.
    account = register(throttle_stack)
    for _ in range(4):
        response = _login(
            throttle_stack, "someone@else.test", "wrong guess!", headers={"X-Forwarded-For": "203.0.113.7"}
        )
        assert response.status_code == 401
    blocked = _login(
        throttle_stack, account.email, account.password, headers={"X-Forwarded-For": "203.0.113.7"}
    )
    assert blocked.status_code == 429
    fine = _login(throttle_stack, account.email, account.password, headers={"X-Forwarded-For": "203.0.113.8"})
    assert fine.status_code == 200


def _sessions(account: Account, token: str | None = None) -> list[dict]:
    client = account.stack.client(token or account.access_token)
    response = client.get("/auth/sessions")
    assert response.status_code == 200, response.text
    return response.json()


def test_sessions_are_listed_and_one_can_be_ended_with_both_its_tokens(sqlite_stack: Stack) -> None:
    account = register(sqlite_stack)
    other = _login(sqlite_stack, account.email, account.password, headers={"User-Agent": "Phone/1.0"}).json()
    listed = _sessions(account)
    assert len(listed) == 2
    mine = [s for s in listed if s["current"]]
    assert len(mine) == 1
    phone = next(s for s in listed if not s["current"])
    assert phone["userAgent"] == "Phone/1.0" and phone["ip"] == "127.0.0.1"
    assert account.client.delete(f"/auth/sessions/{phone['id']}").status_code == 204
    # The ended session's access token stops at once, and its refresh token too.
    assert sqlite_stack.client(other["accessToken"]).get("/auth/me").status_code == 401
    with sqlite_stack.client() as client:
        assert client.post("/auth/refresh", json={"refreshToken": other["refreshToken"]}).status_code == 401
    assert [s["id"] for s in _sessions(account)] == [mine[0]["id"]]
    assert account.client.get("/auth/me").status_code == 200


def test_nobody_ends_another_person_s_session(sqlite_stack: Stack) -> None:
    alice, mallory = register(sqlite_stack), register(sqlite_stack)
    target = _sessions(alice)[0]["id"]
    assert mallory.client.delete(f"/auth/sessions/{target}").status_code == 404
    assert mallory.client.delete(f"/auth/sessions/{uuid.uuid4()}").status_code == 404
    assert alice.client.get("/auth/me").status_code == 200
    colleague = invite(alice)  # same school, still not theirs
    assert colleague.client.delete(f"/auth/sessions/{target}").status_code == 404
    assert [s["id"] for s in _sessions(alice)] == [target]


def test_logout_ends_the_session_family_of_its_refresh_token(sqlite_stack: Stack) -> None:
    account = register(sqlite_stack)
    with sqlite_stack.client() as client:
        rotated = client.post("/auth/refresh", json={"refreshToken": account.refresh_token}).json()
    second = _login(sqlite_stack, account.email, account.password).json()
    out = sqlite_stack.client(rotated["accessToken"]).post(
        "/auth/logout", json={"refreshToken": rotated["refreshToken"]}
    )
    assert out.status_code == 204
    with sqlite_stack.client() as client:
        assert client.post("/auth/refresh", json={"refreshToken": rotated["refreshToken"]}).status_code == 401
    assert sqlite_stack.client(rotated["accessToken"]).get("/auth/me").status_code == 401
    assert account.client.get("/auth/me").status_code == 401  # same family, rotated earlier
    assert sqlite_stack.client(second["accessToken"]).get("/auth/me").status_code == 200  # another sign-in


def test_a_password_change_needs_the_old_one_and_ends_the_other_sessions(sqlite_stack: Stack) -> None:
    account = register(sqlite_stack)
    elsewhere = _login(sqlite_stack, account.email, account.password).json()
    wrong = account.client.post(
        "/auth/password", json={"currentPassword": "nope nope nope", "newPassword": "a brand new phrase"}
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_password"
    weak = account.client.post(
        "/auth/password", json={"currentPassword": account.password, "newPassword": "short"}
    )
    assert weak.status_code == 400 and weak.json()["code"] == "weak_password"
    changed = account.client.post(
        "/auth/password", json={"currentPassword": account.password, "newPassword": "a brand new phrase"}
    )
    assert changed.status_code == 204, changed.text
    assert _login(sqlite_stack, account.email, account.password).status_code == 401
    assert _login(sqlite_stack, account.email, "a brand new phrase").status_code == 200
    assert sqlite_stack.client(elsewhere["accessToken"]).get("/auth/me").status_code == 401
    assert account.client.get("/auth/me").status_code == 200  # the session that changed it goes on
