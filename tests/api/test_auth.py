"""Accounts through the API: register, login, refresh, logout, me, and bad tokens."""

from __future__ import annotations

import datetime as dt

import jwt

from tests.support.accounts import invite, register
from tests.support.stacks import SECRET_KEY, Stack


def test_register_returns_the_user_and_tokens_and_creates_the_school(stack: Stack) -> None:
    account = register(stack, school="Riverside High", name="Grace Hopper")
    assert account.user["email"] == account.email
    assert account.user["name"] == "Grace Hopper"
    assert account.user["school"] == "Riverside High"
    assert account.user["role"] == "school_admin"  # the first person of a new school runs it
    me = account.client.get("/auth/me")
    assert me.status_code == 200
    assert me.json()["id"] == account.user["id"]


def test_an_existing_school_is_joined_by_invite_not_by_register(stack: Stack) -> None:
    admin = register(stack, school="Hillcrest Primary")
    body = {
        "email": "someone@else.test",
        "password": "a long password",
        "name": "X",
        "school": "Hillcrest Primary",
    }
    with stack.client() as client:
        refused = client.post("/auth/register", json=body)
    assert refused.status_code == 409 and refused.json()["code"] == "school_exists"
    assert "invite" in refused.json()["message"]
    joined = invite(admin, role="reviewer")
    assert joined.user["tenantId"] == admin.user["tenantId"]
    assert joined.user["role"] == "reviewer" and joined.user["school"] == "Hillcrest Primary"


def test_login_with_the_right_password_gives_bearer_tokens(stack: Stack) -> None:
    account = register(stack)
    with stack.client() as client:
        response = client.post("/auth/login", json={"email": account.email, "password": account.password})
    assert response.status_code == 200
    body = response.json()
    assert body["tokenType"] == "bearer"
    assert stack.client(body["accessToken"]).get("/auth/me").json()["email"] == account.email


def test_login_with_a_wrong_password_is_refused_with_a_clear_message(stack: Stack) -> None:
    account = register(stack)
    with stack.client() as client:
        response = client.post("/auth/login", json={"email": account.email, "password": "wrong password"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_register_refuses_a_taken_email_and_a_short_password(stack: Stack) -> None:
    account = register(stack)
    body = {"email": account.email, "password": "another password", "name": "X", "school": "Y"}
    with stack.client() as client:
        taken = client.post("/auth/register", json=body)
        short = client.post("/auth/register", json={**body, "email": "new@school.test", "password": "short"})
        missing = client.post("/auth/register", json={"email": "x@school.test"})
    assert taken.status_code == 409 and taken.json()["code"] == "email_taken"
    assert short.status_code == 400 and short.json()["code"] == "weak_password"
    assert missing.status_code == 400 and missing.json()["code"] == "invalid_request"


def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(stack: Stack) -> None:
    account = register(stack)
    with stack.client() as client:
        first = client.post("/auth/refresh", json={"refreshToken": account.refresh_token})
        assert first.status_code == 200
        rotated = first.json()
        assert stack.client(rotated["accessToken"]).get("/auth/me").status_code == 200
        reused = client.post("/auth/refresh", json={"refreshToken": account.refresh_token})
        assert reused.status_code == 401
        # Reuse revokes the whole family, so the rotated token no longer works either.
        assert client.post("/auth/refresh", json={"refreshToken": rotated["refreshToken"]}).status_code == 401


def test_logout_revokes_the_refresh_token(stack: Stack) -> None:
    account = register(stack)
    assert (
        account.client.post("/auth/logout", json={"refreshToken": account.refresh_token}).status_code == 204
    )
    with stack.client() as client:
        assert client.post("/auth/refresh", json={"refreshToken": account.refresh_token}).status_code == 401


def test_missing_wrong_and_expired_tokens_get_401(stack: Stack) -> None:
    account = register(stack)
    now = dt.datetime.now(dt.UTC)
    expired = jwt.encode(
        {
            "sub": account.user["id"],
            "tid": account.user["tenantId"],
            "typ": "access",
            "role": "teacher",
            "jti": "x",
            "iat": now - dt.timedelta(hours=2),
            "exp": now - dt.timedelta(hours=1),
        },
        SECRET_KEY,
        algorithm="HS256",
    )
    forged = jwt.encode({"sub": account.user["id"]}, "not-the-secret", algorithm="HS256")
    unsigned = jwt.encode(
        {"sub": account.user["id"], "tid": account.user["tenantId"], "typ": "access"}, None, algorithm="none"
    )
    with stack.client() as anonymous:
        assert anonymous.get("/auth/me").status_code == 401
        assert anonymous.get("/auth/me").json()["code"] == "unauthorized"
    for token in (expired, forged, unsigned, account.refresh_token, "garbage"):
        response = stack.client(token).get("/auth/me")
        assert response.status_code == 401, token
