"""Every console page works without JavaScript: no scripts, real forms with a method and an action,
and a CSRF field in every form that posts."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from core.schools.roles import ROLES
from tests.admin.conftest import World, record_jobs, run, sign_in

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


def check_page(html: str, path: str) -> int:
    assert "<script" not in html.lower(), path
    assert not re.search(r"<[^>]+\son[a-z]+=", html, re.I), f"inline event handler on {path}"
    forms = _FORM.findall(html)
    for attributes, body in forms:
        method = re.search(r'method="(get|post)"', attributes)
        action = re.search(r'action="([^"]+)"', attributes)
        assert method and action, f"form without method or action on {path}: {attributes}"
        assert action.group(1).startswith("/"), path
        if method.group(1) == "post":
            assert 'name="csrf_token"' in body, f"POST form without CSRF on {path}"
        assert re.search(r'<button type="submit"', body), f"form without a submit button on {path}"
    return len(forms)


def test_every_page_renders_with_plain_forms_and_no_scripts(client: TestClient, world: World) -> None:
    run(record_jobs(world.oak, world.oak_teacher, [0.99, 0.9, 0.85, 0.5]))
    client.cookies.clear()
    assert check_page(client.get("/admin/login").text, "/admin/login") == 1
    sign_in(client, world.platform_admin)
    pages = [
        "/admin/",
        f"/admin/schools/{world.oak.id}",
        f"/admin/schools/{world.oak.id}/simulate",
        f"/admin/districts/{world.district_a.id}",
        f"/admin/districts/{world.district_a.id}/simulate",
        "/admin/usage",
        "/admin/plugins",
        "/admin/plugins/ocr_tesseract/settings",
        "/admin/audit",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert response.headers["content-type"].startswith("text/html")
        assert "script-src 'none'" in response.headers["content-security-policy"]
        check_page(response.text, path)
    settings_page = client.get(f"/admin/schools/{world.oak.id}").text
    assert f'method="post" action="/admin/schools/{world.oak.id}"' in settings_page
    simulator = client.get(f"/admin/schools/{world.oak.id}/simulate").text
    assert f'method="get" action="/admin/schools/{world.oak.id}/simulate"' in simulator
    assert f'method="post" action="/admin/schools/{world.oak.id}/simulate"' in simulator


def test_every_console_route_names_its_roles_or_is_public_on_purpose(client: TestClient) -> None:
    unnamed = []
    for route in client.app.routes:
        if not route.path.startswith(("/admin", "/t/", "/invite")):
            continue
        if route.path.startswith("/t/{slug:str}/app"):
            continue  # the teacher's app, not the console: its open pages are checked in test_routes
        for handler in getattr(route, "route_handlers", []):
            if set(getattr(handler, "http_methods", ())) == {"OPTIONS"} or handler.opt.get("console_public"):
                continue
            roles = handler.opt.get("console_roles")
            if not roles or not set(roles) <= set(ROLES):
                unnamed.append(route.path)
    assert unnamed == []
    public = {
        route.path
        for route in client.app.routes
        for handler in getattr(route, "route_handlers", [])
        if handler.opt.get("console_public")
    }
    assert public == {"/admin/login", "/t/{slug:str}/admin/login", "/invite/{token:str}"}
