"""The web's headers: CORS only for a school's own allowed origins, HSTS on an https deployment,
a Content-Security-Policy on the teacher's app and its service worker."""

from __future__ import annotations

import httpx

from tests.support.accounts import register
from tests.support.stacks import Stack

PORTAL = "https://portal.cors-school.test"


def test_cors_answers_only_the_schools_own_origins(stack: Stack) -> None:
    school_a, school_b = register(stack), register(stack)
    tenant = school_a.user["tenantId"]
    refused = school_a.client.put(f"/schools/{tenant}/settings", json={"allowedOrigins": ["http://x.test"]})
    assert refused.status_code == 400 and "https origin" in refused.json()["message"]
    saved = school_a.client.put(f"/schools/{tenant}/settings", json={"allowedOrigins": [PORTAL]})
    assert saved.status_code == 200, saved.text

    def me(account, origin: str) -> httpx.Response:
        return account.client.get("/auth/me", headers={"Origin": origin})

    allowed = me(school_a, PORTAL)
    assert allowed.status_code == 200 and allowed.headers.get("access-control-allow-origin") == PORTAL
    assert "access-control-allow-origin" not in me(school_b, PORTAL).headers  # not B's origin
    assert "access-control-allow-origin" not in me(school_a, "https://evil.test").headers
    with httpx.Client(base_url=stack.base_url) as client:
        preflight = client.options(
            "/api/v1/auth/me",
            headers={
                "Origin": PORTAL,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == PORTAL
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        stranger = client.options(
            "/api/v1/auth/me", headers={"Origin": "https://evil.test", "Access-Control-Request-Method": "GET"}
        )
        assert "access-control-allow-origin" not in stranger.headers


def test_https_deployment_sends_hsts_and_the_app_has_a_csp(stack: Stack) -> None:
    with httpx.Client(base_url=stack.base_url) as client:
        health = client.get("/health")
        assert health.headers["strict-transport-security"].startswith("max-age=31536000")
        page = client.get("/app/")
        worker = client.get("/app/sw.js")
    assert page.status_code == 200 and worker.status_code == 200
    host = stack.base_url.removeprefix("http://")
    for response in (page, worker):
        policy = {
            part.split()[0]: part.split()[1:]
            for part in response.headers["content-security-policy"].split(";")
            if part.strip()
        }
        assert policy["script-src"] == ["'self'"]  # plain ES modules from the app, no inline script
        assert {"'self'", f"ws://{host}", f"wss://{host}"} <= set(policy["connect-src"])
        assert response.headers["strict-transport-security"]
