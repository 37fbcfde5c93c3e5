"""The page an invite link opens: join a school without the app, and clear pages for bad links."""

from __future__ import annotations

import datetime as dt
import secrets

from litestar.testing import TestClient

from core.accounts.identity import hash_token
from core.db.tables import Invite, Tenant, User
from tests.admin.conftest import World, csrf_of, run, text


def make_invite(school: Tenant, *, days: float = 7, role: str = "teacher") -> tuple[str, str]:
    token, email = secrets.token_urlsafe(32), f"new-{secrets.token_hex(4)}@school.test"
    run(
        Invite(
            tenant_id=school.id,
            email=email,
            role=role,
            token_hash=hash_token(token),
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=days),
        ).save()
    )
    return token, email


def test_an_invited_teacher_joins_the_school_from_the_page(client: TestClient, world: World) -> None:
    run(Tenant.update({Tenant.settings: {"displayName": "Oak Academy"}}).where(Tenant.id == world.oak.id))
    token, email = make_invite(world.oak)
    client.cookies.clear()
    form = client.get(f"/invite/{token}")
    assert form.status_code == 200
    shown = text(form.text)
    assert "Join Oak Academy" in shown and email in shown and "teacher" in shown
    assert f'method="post" action="/invite/{token}"' in form.text
    joined = client.post(
        f"/invite/{token}",
        data={"name": "New Teacher", "password": "a good long password", "csrf_token": csrf_of(form)},
    )
    assert joined.status_code == 200
    assert "Welcome to Oak Academy" in joined.text and "sign in" in joined.text
    user = run(User.objects().where(User.email == email).first())
    assert user.tenant_id == world.oak.id and user.role == "teacher" and user.name == "New Teacher"
    # The new teacher signs in to the app (the API), not the console.
    login = client.post("/api/v1/auth/login", json={"email": email, "password": "a good long password"})
    assert login.status_code == 200
    # The link is spent.
    again = client.get(f"/invite/{token}")
    assert again.status_code == 409 and "used already" in again.text


def test_a_short_password_keeps_the_form_with_the_reason(client: TestClient, world: World) -> None:
    token, email = make_invite(world.oak)
    client.cookies.clear()
    form = client.get(f"/invite/{token}")
    response = client.post(
        f"/invite/{token}", data={"name": "Kim", "password": "short", "csrf_token": csrf_of(form)}
    )
    assert response.status_code == 400
    assert "at least 10 characters" in response.text and 'value="Kim"' in response.text
    assert run(User.exists().where(User.email == email)) is False


def test_expired_and_unknown_links_get_a_clear_page(client: TestClient, world: World) -> None:
    token, _ = make_invite(world.oak, days=-1)
    expired = client.get(f"/invite/{token}")
    assert expired.status_code == 410 and "has expired" in expired.text
    unknown = client.get("/invite/not-a-real-token")
    assert unknown.status_code == 404 and "not valid" in unknown.text
    assert "<form" not in unknown.text


def test_joining_needs_the_pages_csrf_token(client: TestClient, world: World) -> None:
    token, email = make_invite(world.oak)
    client.cookies.clear()
    client.get(f"/invite/{token}")
    response = client.post(f"/invite/{token}", data={"name": "X", "password": "a good long password"})
    assert response.status_code == 403
    assert run(User.exists().where(User.email == email)) is False
