"""Token attacks against a running server: every forged, altered, expired, misplaced or replayed
token is refused (401), and another school's token finds nothing of this school (404)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import uuid

import jwt
import pytest

from tests.support.accounts import Account, register
from tests.support.stacks import SECRET_KEY, Stack

PUBLIC_KEY = (
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
    "4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n"
    "-----END PUBLIC KEY-----\n"
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(account: Account, **changes: object) -> dict:
    now = dt.datetime.now(dt.UTC)
    claims = {
        "sub": account.user["id"],
        "tid": account.user["tenantId"],
        "role": account.user["role"],
        "typ": "access",
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(minutes=10)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _hand_signed(header: dict, claims: dict, key: bytes) -> str:
    """A JWS built by hand, as an attacker would: any header, HMAC-SHA256 under any key."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


@pytest.fixture(scope="module")
def account(sqlite_stack: Stack) -> Account:
    return register(sqlite_stack)


def _refused(stack: Stack, token: str) -> dict:
    response = stack.client(token).get("/auth/me")
    assert response.status_code == 401, response.text
    return response.json()


def test_alg_none_is_refused(sqlite_stack: Stack, account: Account) -> None:
    claims = _claims(account, role="platform_admin")
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    unsigned = f"{header}.{_b64(json.dumps(claims).encode())}."
    _refused(sqlite_stack, unsigned)
    _refused(sqlite_stack, jwt.encode(claims, None, algorithm="none"))


def test_key_confusion_with_a_public_key_as_the_hmac_secret_is_refused(
    sqlite_stack: Stack, account: Account
) -> None:
    claims = _claims(account)
    _refused(sqlite_stack, _hand_signed({"alg": "RS256", "typ": "JWT"}, claims, PUBLIC_KEY.encode()))
    _refused(sqlite_stack, _hand_signed({"alg": "HS256", "typ": "JWT"}, claims, PUBLIC_KEY.encode()))


def test_another_algorithm_is_refused_even_under_the_right_key(sqlite_stack: Stack, account: Account) -> None:
    """The algorithm is pinned: HS512 with the real secret is still not accepted."""
    _refused(sqlite_stack, jwt.encode(_claims(account), SECRET_KEY, algorithm="HS512"))


def test_a_tampered_payload_is_refused(sqlite_stack: Stack, account: Account) -> None:
    header, _, signature = account.access_token.split(".")
    promoted = _claims(account, role="platform_admin", tid=None)
    _refused(sqlite_stack, f"{header}.{_b64(json.dumps(promoted).encode())}.{signature}")
    other = register(sqlite_stack)
    moved = _claims(account, tid=other.user["tenantId"])
    _refused(sqlite_stack, f"{header}.{_b64(json.dumps(moved).encode())}.{signature}")
    assert account.client.get("/auth/me").status_code == 200  # the genuine token still works


def test_an_expired_token_is_refused_saying_so(sqlite_stack: Stack, account: Account) -> None:
    past = int((dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).timestamp())
    body = _refused(sqlite_stack, jwt.encode(_claims(account, exp=past), SECRET_KEY, algorithm="HS256"))
    assert "expired" in body["message"]


def test_a_token_used_before_is_refused_once_it_expires(sqlite_stack: Stack, account: Account) -> None:
    """The server keeps tokens it has checked; a kept one still ends at its expiry."""
    expires = int(time.time()) + 2
    token = jwt.encode(_claims(account, exp=expires), SECRET_KEY, algorithm="HS256")
    for _ in range(2):  # checked, then answered from what was kept
        assert sqlite_stack.client(token).get("/auth/me").status_code == 200
    time.sleep(max(0.0, expires + 1 - time.time()))  # the clock passes the expiry
    assert "expired" in _refused(sqlite_stack, token)["message"]


def test_a_token_without_an_expiry_is_refused(sqlite_stack: Stack, account: Account) -> None:
    _refused(sqlite_stack, jwt.encode(_claims(account, exp=None), SECRET_KEY, algorithm="HS256"))


def test_a_refresh_token_is_not_an_access_token_and_back(sqlite_stack: Stack) -> None:
    account = register(sqlite_stack)
    _refused(sqlite_stack, account.refresh_token)
    with sqlite_stack.client() as client:
        response = client.post("/auth/refresh", json={"refreshToken": account.access_token})
    assert response.status_code == 401


def test_a_replayed_refresh_token_ends_the_whole_family(sqlite_stack: Stack) -> None:
    account = register(sqlite_stack)
    with sqlite_stack.client() as client:
        rotated = client.post("/auth/refresh", json={"refreshToken": account.refresh_token}).json()
        replay = client.post("/auth/refresh", json={"refreshToken": account.refresh_token})
        assert replay.status_code == 401
        assert client.post("/auth/refresh", json={"refreshToken": rotated["refreshToken"]}).status_code == 401
    _refused(sqlite_stack, rotated["accessToken"])  # the thief's fresh access token dies with it


def test_another_school_s_token_finds_nothing_here(sqlite_stack: Stack) -> None:
    owner, outsider = register(sqlite_stack), register(sqlite_stack)
    block = {"name": "Maths", "day": "Monday", "startTime": "09:00", "endTime": "10:00"}
    made = owner.client.post("/timetables", json={"name": "Mine", "timeblocks": [block]})
    assert made.status_code == 201, made.text
    timetable_id = made.json()["id"]
    for method, path in (
        ("GET", f"/timetables/{timetable_id}"),
        ("PUT", f"/timetables/{timetable_id}"),
        ("DELETE", f"/timetables/{timetable_id}"),
        ("GET", f"/timetables/{timetable_id}/timeblocks"),
        ("GET", f"/schools/{owner.user['tenantId']}/users"),
    ):
        response = outsider.client.request(method, path, json={"name": "Stolen"} if method == "PUT" else None)
        assert response.status_code in (403, 404), (method, path, response.status_code)
    assert outsider.client.get("/timetables").json()["total"] == 0
    assert owner.client.get(f"/timetables/{timetable_id}").json()["name"] == "Mine"
