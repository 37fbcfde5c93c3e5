"""Signing in to the console: admins only, a safe cookie, CSRF on the form, sign-out."""

from __future__ import annotations

import msgspec
from litestar.testing import TestClient

from core.db.tables import AuditEntry
from tests.admin.conftest import PASSWORD, World, csrf_of, post_form, run, sign_in


def test_an_admin_signs_in_with_a_strict_http_only_cookie(client: TestClient, world: World) -> None:
    response = sign_in(client, world.oak_admin)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"
    cookie = response.headers["set-cookie"].lower()
    assert "tt_admin_session=" in cookie
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie  # the test server's public_url is http; https makes it Secure
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "Oak" in dashboard.text


def test_a_teacher_is_refused_with_a_clear_message_and_the_refusal_is_recorded(
    client: TestClient, world: World
) -> None:
    response = sign_in(client, world.oak_teacher)
    assert response.status_code == 403
    assert "for school, district and platform admins" in response.text
    assert "Timetabler app" in response.text
    assert "tt_admin_session" not in response.headers.get("set-cookie", "")
    assert client.get("/admin/", follow_redirects=False).status_code == 303
    refused = run(
        AuditEntry.objects().where(
            AuditEntry.actor_id == world.oak_teacher.id, AuditEntry.action == "console_sign_in"
        )
    )
    assert [entry.outcome for entry in refused] == ["refused"]


def test_a_wrong_password_is_refused(client: TestClient, world: World) -> None:
    client.cookies.clear()
    form = client.get("/admin/login")
    response = client.post(
        "/admin/login",
        data={"email": world.oak_admin.email, "password": "wrong", "csrf_token": csrf_of(form)},
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert "The email or password is wrong" in response.text
    assert 'name="next" value="/admin/"' in response.text


def test_the_sign_in_form_needs_its_csrf_token(client: TestClient, world: World) -> None:
    client.cookies.clear()
    client.get("/admin/login")
    response = client.post(
        "/admin/login", data={"email": world.oak_admin.email, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "Reload the page" in response.text
    assert "tt_admin_session" not in response.headers.get("set-cookie", "")


def test_pages_send_a_visitor_without_a_session_to_sign_in(client: TestClient, world: World) -> None:
    client.cookies.clear()
    response = client.get(f"/admin/schools/{world.oak.id}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/login?next=/admin/schools/{world.oak.id}"
    # A forged or expired cookie is no session either.
    client.cookies.set("tt_admin_session", "not-a-token")
    assert client.get("/admin/", follow_redirects=False).status_code == 303


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(
    client: TestClient, world: World
) -> None:
    client.cookies.clear()
    form = client.get("/admin/login?next=/admin/usage")
    assert 'name="next" value="/admin/usage"' in form.text
    data = {"email": world.oak_admin.email, "password": PASSWORD, "csrf_token": csrf_of(form)}
    response = client.post(
        "/admin/login", data={**data, "next": "https://evil.test/"}, follow_redirects=False
    )
    assert response.headers["location"] == "/admin/"


def test_sign_out_ends_the_console_session(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    stolen = client.cookies.get("tt_admin_session")
    response = post_form(client, "/admin/", {}, action="/admin/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"
    assert client.get("/admin/", follow_redirects=False).status_code == 303
    # The token itself is still signed and unexpired, but its session has ended on the server.
    client.cookies.set("tt_admin_session", stolen)
    assert client.get("/admin/", follow_redirects=False).status_code == 303


def test_signing_out_everywhere_through_the_api_ends_console_sessions(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.district_admin_a)
    assert client.get("/admin/").status_code == 200
    tokens = client.post(
        "/api/v1/auth/login", json={"email": world.district_admin_a.email, "password": PASSWORD}
    ).json()
    ended = client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {tokens['accessToken']}"})
    assert ended.status_code == 204
    assert client.get("/admin/", follow_redirects=False).status_code == 303


def test_sign_out_without_the_csrf_token_is_refused(client: TestClient, world: World) -> None:
    sign_in(client, world.oak_admin)
    response = client.post("/admin/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/admin/").status_code == 200


def test_cookies_are_secure_when_the_site_is_served_over_https(client: TestClient, world: World) -> None:
    settings = client.app.state.settings
    client.app.state.settings = msgspec.structs.replace(settings, public_url="https://timetabler.example.org")
    try:
        client.cookies.clear()
        # Secure cookies travel over https only: the browser here uses https too.
        form = client.get("https://testserver.local/admin/login")
        assert "secure" in form.headers["set-cookie"].lower()  # the pre-session CSRF cookie
        response = client.post(
            "https://testserver.local/admin/login",
            data={"email": world.oak_admin.email, "password": PASSWORD, "csrf_token": csrf_of(form)},
            follow_redirects=False,
        )
    finally:
        client.app.state.settings = settings
    cookie = response.headers["set-cookie"].lower()
    assert "tt_admin_session=" in cookie and "; secure" in cookie and "samesite=strict" in cookie


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(client: TestClient, world: World) -> None:
    client.cookies.clear()
    form = client.get("/admin/login")
    response = client.post(
        "/admin/login",
        data={"email": "nobody@nowhere.test", "password": PASSWORD, "csrf_token": csrf_of(form)},
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert "The email or password is wrong" in response.text
