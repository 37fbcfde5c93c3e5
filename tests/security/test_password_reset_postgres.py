"""Password reset on PostgreSQL, where the app's role is bound by row-level security: password_resets
is tenant-owned, and a platform admin's link (no school) works as well as a teacher's. The console
sign-in, its audit entry and its session family hold there too."""

from __future__ import annotations

import re

from tests.security.test_console_accounts import _console, _console_sign_in, _signed_in_to_console
from tests.support.accounts import platform_admin, register
from tests.support.fakes.sendgrid_server import FakeSendGrid
from tests.support.stacks import Stack

NEW_PASSWORD = "lanterns along the river"


def _reset(stack: Stack, sendgrid: FakeSendGrid, email: str, app_path: str) -> None:
    with stack.client() as client:
        assert client.post("/auth/password-reset", json={"email": email}).status_code == 202
        text = sendgrid.wait_for(email)[-1].text
        found = re.search(re.escape(app_path) + r"#/reset/([A-Za-z0-9_-]+)", text)
        assert found, text
        confirm = {"token": found.group(1), "password": NEW_PASSWORD}
        assert client.post("/auth/password-reset/confirm", json=confirm).status_code == 204
        again = client.post("/auth/password-reset/confirm", json=confirm)
        assert again.status_code == 410 and again.json()["code"] == "reset_used"
        login = client.post("/auth/login", json={"email": email, "password": NEW_PASSWORD})
        assert login.status_code == 200, login.text


def test_reset_links_work_under_row_security(postgres_stack: Stack, sendgrid: FakeSendGrid) -> None:
    teacher = register(postgres_stack)
    school = teacher.client.get(f"/schools/{teacher.user['tenantId']}").json()
    _reset(postgres_stack, sendgrid, teacher.email, f"/t/{school['slug']}/app/")
    assert teacher.client.get("/auth/me").status_code == 401  # the old session ended
    root = platform_admin(postgres_stack)
    _reset(postgres_stack, sendgrid, root.email, "/app/")
    assert root.client.get("/auth/me").status_code == 401


def test_console_sign_in_audit_and_session_under_row_security(postgres_stack: Stack) -> None:
    admin = register(postgres_stack)
    with _console(postgres_stack) as console:
        assert _console_sign_in(console, admin.email, "wrong wrong wrong").status_code == 401
        assert _console_sign_in(console, admin.email, admin.password).status_code == 303
        assert _signed_in_to_console(console)
        log = admin.client.get(f"/schools/{admin.user['tenantId']}/audit").json()
        outcomes = sorted(
            e["outcome"] for e in log if e["action"] == "sign_in" and e["after"]["via"] == "console"
        )
        assert outcomes == ["ok", "refused"]
        assert admin.client.post("/auth/logout").status_code == 204
        assert not _signed_in_to_console(console)
