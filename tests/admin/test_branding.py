"""Tenant resolution for web pages (subdomain or /t/{slug}/) and the school's brand on the pages."""

from __future__ import annotations

import msgspec
import pytest
from litestar.testing import TestClient

from core.db.tables import Tenant
from core.schools.resolution import resolve_slug, slug_from_host, slug_from_path
from tests.admin.conftest import World, csrf_of, run, sign_in, text

BRAND = {
    "displayName": "Oak Academy",
    "logoUrl": "https://cdn.example.org/oak.png",
    "primaryColor": "#123456",
    "accentColor": "#abcdef",
}


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("oak.example.org", "oak"),
        ("Oak.Example.org:8443", "oak"),
        ("example.org", None),
        ("www.example.org", None),
        ("a.oak.example.org", None),
        ("oak.example.org.evil.test", None),
        ("oakexample.org", None),
    ],
)
def test_a_school_is_found_from_its_subdomain(host: str, expected: str | None) -> None:
    assert slug_from_host(host, "example.org") == expected
    assert slug_from_host(host, None) is None  # no base domain set: hosts name no school


def test_a_path_prefix_names_the_school_and_wins_over_the_host() -> None:
    assert slug_from_path("/t/oak/admin/login") == "oak"
    assert slug_from_path("/t/oak") == "oak"
    assert slug_from_path("/admin/login") is None
    assert resolve_slug(host="elm.example.org", path="/t/oak/admin/login", base_domain="example.org") == "oak"
    assert resolve_slug(host="elm.example.org", path="/admin/login", base_domain="example.org") == "elm"


def test_the_sign_in_page_under_a_schools_prefix_wears_its_brand(client: TestClient, world: World) -> None:
    run(Tenant.update({Tenant.settings: BRAND}).where(Tenant.id == world.oak.id))
    client.cookies.clear()
    page = client.get(f"/t/{world.oak.slug}/admin/login")
    assert page.status_code == 200
    assert "Oak Academy" in text(page.text)
    assert "--primary: #123456" in page.text and "--accent: #abcdef" in page.text
    assert 'src="https://cdn.example.org/oak.png"' in page.text
    assert f'method="post" action="/t/{world.oak.slug}/admin/login"' in page.text
    # Signing in there works like anywhere else.
    signed_in = client.post(
        f"/t/{world.oak.slug}/admin/login",
        data={
            "email": world.oak_admin.email,
            "password": "a long enough password",
            "csrf_token": csrf_of(page),
            "next": "/admin/",
        },
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == f"/admin/schools/{world.oak.id}"  # straight to Oak
    assert "Oak Academy" in client.get("/admin/").text
    # An unknown school's prefix shows the plain sign-in page.
    plain = client.get("/t/no-such-school/admin/login")
    assert plain.status_code == 200 and "Oak Academy" not in plain.text


def test_the_subdomain_brands_the_sign_in_page(client: TestClient, world: World) -> None:
    run(Tenant.update({Tenant.settings: BRAND}).where(Tenant.id == world.oak.id))
    settings = client.app.state.settings
    client.app.state.settings = msgspec.structs.replace(settings, base_domain="example.org")
    try:
        page = client.get("/admin/login", headers={"host": f"{world.oak.slug}.example.org"})
    finally:
        client.app.state.settings = settings
    assert "Oak Academy" in text(page.text)


def test_a_school_page_wears_that_schools_brand(client: TestClient, world: World) -> None:
    run(Tenant.update({Tenant.settings: BRAND}).where(Tenant.id == world.oak.id))
    sign_in(client, world.district_admin_a)
    assert "--primary: #123456" in client.get(f"/admin/schools/{world.oak.id}").text
    assert "--primary: #123456" not in client.get(f"/admin/schools/{world.elm.id}").text


def test_the_app_offers_sign_up_only_where_the_address_names_no_school(
    client: TestClient, world: World
) -> None:
    # Sign-up makes a new school: never offered on a school's own address, by subdomain or by path.
    settings = client.app.state.settings
    client.app.state.settings = msgspec.structs.replace(settings, base_domain="example.org")
    try:
        bare = client.get("/app/", headers={"host": "example.org"})
        by_subdomain = client.get("/app/", headers={"host": f"{world.oak.slug}.example.org"})
        by_path = client.get(f"/t/{world.oak.slug}/app/", headers={"host": "example.org"})
    finally:
        client.app.state.settings = settings
    assert 'data-signup="true"' in bare.text
    assert 'data-signup="false"' in by_subdomain.text and 'data-signup="false"' in by_path.text
