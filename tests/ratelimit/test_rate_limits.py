"""Rate limits as a client meets them: `timetabler serve` with low limits, 429 with Retry-After.

Two servers: one behind a trusted proxy (127.0.0.1 listed, so each test speaks from its own
X-Forwarded-For address) and one trusting nobody (a forged X-Forwarded-For changes nothing).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.ratelimit import away_from_window_edge
from tests.support.stacks import Stack, running_stack

LIMITS = {
    "TIMETABLER_RATE_LIMIT_IP_PER_MINUTE": "6",
    "TIMETABLER_RATE_LIMIT_USER_PER_MINUTE": "4",
    "TIMETABLER_RATE_LIMIT_SCHOOL_PER_MINUTE": "7",
    "TIMETABLER_RATE_LIMIT_UPLOADS_PER_MINUTE": "2",
}


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    env = {**LIMITS, "TIMETABLER_TRUSTED_PROXIES": "127.0.0.1/32"}
    with running_stack("proxied", tmp_path_factory.mktemp("rl-proxied"), env, worker=False) as stack:
        yield stack


@pytest.fixture(scope="module")
def direct(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack("direct", tmp_path_factory.mktemp("rl-direct"), LIMITS, worker=False) as stack:
        yield stack


_next_ip = iter(range(1, 250))


def new_ip() -> str:
    return f"203.0.113.{next(_next_ip)}"


def client(stack: Stack, ip: str, token: str | None = None) -> httpx.Client:
    headers = {"X-Forwarded-For": ip}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=stack.base_url + "/api/v1", headers=headers, timeout=30)


def register(stack: Stack, ip: str) -> dict[str, Any]:
    body = {
        "email": f"{uuid.uuid4().hex[:10]}@school.test",
        "password": "correct horse battery",
        "name": "Ada Teacher",
        "school": f"School {uuid.uuid4().hex[:6]}",
    }
    with client(stack, ip) as c:
        response = c.post("/auth/register", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def assert_limited(response: httpx.Response, who: str) -> None:
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 120
    body = response.json()
    assert body["code"] == "rate_limited"
    assert who in body["message"] and f"Try again in {retry_after} seconds" in body["message"]


def test_a_user_over_the_limit_waits_and_others_do_not(proxied: Stack) -> None:
    away_from_window_edge()
    ip = new_ip()
    ada = register(proxied, ip)
    with client(proxied, ip, ada["accessToken"]) as c:
        assert [c.get("/documents/").status_code for _ in range(4)] == [200] * 4
        assert_limited(c.get("/documents/"), "this account")
    other_ip = new_ip()
    bob = register(proxied, other_ip)
    with client(proxied, other_ip, bob["accessToken"]) as c:
        assert c.get("/documents/").status_code == 200


def test_uploads_are_limited_more_tightly_than_reads(proxied: Stack) -> None:
    away_from_window_edge()
    ip = new_ip()
    ada = register(proxied, ip)
    files = {"file": ("notes.txt", b"not a timetable", "text/plain")}
    with client(proxied, ip, ada["accessToken"]) as c:
        assert [c.post("/documents/upload", files=files).status_code for _ in range(2)] == [415, 415]
        assert_limited(c.post("/documents/upload", files=files), "uploads")
        assert c.get("/documents/").status_code == 200  # reading goes on


def test_addresses_behind_a_trusted_proxy_are_counted_apart(proxied: Stack) -> None:
    away_from_window_edge()
    ip = new_ip()
    ada, bob = register(proxied, ip), register(proxied, ip)  # two schools, one address: 2 requests
    with client(proxied, ip, ada["accessToken"]) as c:
        assert [c.get("/documents/").status_code for _ in range(2)] == [200, 200]
    with client(proxied, ip, bob["accessToken"]) as c:
        assert [c.get("/documents/").status_code for _ in range(2)] == [200, 200]
        assert_limited(c.get("/documents/"), "this address")
    with client(proxied, new_ip(), bob["accessToken"]) as c:  # the same user from elsewhere
        assert c.get("/documents/").status_code == 200


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(direct: Stack) -> None:
    # Nobody is trusted: every request is counted against the peer, 127.0.0.1, whatever it claims.
    away_from_window_edge()
    answers = []
    for _ in range(7):
        with client(direct, new_ip()) as c:
            answers.append(c.post("/auth/register", json={}))  # refused as incomplete, but counted
    assert [a.status_code for a in answers[:6]] == [400] * 6
    assert_limited(answers[6], "this address")


def test_a_school_shares_one_limit(proxied: Stack) -> None:
    away_from_window_edge()
    admin_ip, teacher_ip = new_ip(), new_ip()
    admin = register(proxied, admin_ip)
    tenant = admin["user"]["tenantId"]
    with client(proxied, admin_ip, admin["accessToken"]) as c:
        made = c.post(f"/schools/{tenant}/invites", json={"email": "t@school.test", "role": "teacher"})
        assert made.status_code == 201, made.text
        assert [c.get("/documents/").status_code for _ in range(3)] == [200] * 3  # school: 4
    token = made.json()["inviteUrl"].rsplit("/", 1)[1]
    with client(proxied, teacher_ip) as c:
        joined = c.post(
            "/auth/accept-invite", json={"token": token, "name": "T", "password": "another long password"}
        )
    assert joined.status_code == 201, joined.text
    with client(proxied, teacher_ip, joined.json()["accessToken"]) as c:
        assert [c.get("/documents/").status_code for _ in range(3)] == [200] * 3  # school: 7
        assert_limited(c.get("/documents/"), "this school")  # the teacher's own 4th request
