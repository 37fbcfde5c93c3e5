"""Sessions and throttling on PostgreSQL, where the app's role is bound by row-level security: a
school member's and a district admin's sessions (the latter belong to no school) are listed and
ended, and failures are counted."""

from __future__ import annotations

from tests.support.accounts import PASSWORD, login, platform_admin, register
from tests.support.stacks import Stack


def test_sessions_and_throttling_hold_under_row_security(postgres_stack: Stack) -> None:
    teacher = register(postgres_stack)
    second = login(postgres_stack, teacher.email, teacher.password)
    listed = teacher.client.get("/auth/sessions").json()
    assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
    other = next(s for s in listed if not s["current"])
    assert teacher.client.delete(f"/auth/sessions/{other['id']}").status_code == 204
    assert second.client.get("/auth/me").status_code == 401
    assert teacher.client.get("/auth/me").status_code == 200
    # A platform admin belongs to no school: their sessions are theirs all the same.
    root = platform_admin(postgres_stack)
    assert [s["current"] for s in root.client.get("/auth/sessions").json()] == [True]
    assert root.client.post("/auth/logout", json={"refreshToken": root.refresh_token}).status_code == 204
    assert root.client.get("/auth/me").status_code == 401
    with postgres_stack.client() as client:
        for _ in range(5):
            wrong = client.post("/auth/login", json={"email": teacher.email, "password": PASSWORD})
            assert wrong.status_code == 401
        throttled = client.post("/auth/login", json={"email": teacher.email, "password": teacher.password})
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
