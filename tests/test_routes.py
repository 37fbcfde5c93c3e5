"""The API's shape: the seed's exact paths, an operationId on each, and every route naming its roles."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from core.app import create_app
from core.db.engine import migrate
from core.schools.roles import ROLES

SEED_PATHS = {
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/auth/me"),
    ("post", "/api/v1/documents/upload"),
    ("get", "/api/v1/documents/{document_id}"),
    ("get", "/api/v1/documents/{document_id}/status"),
    ("delete", "/api/v1/documents/{document_id}"),
    ("get", "/api/v1/jobs/{job_id}"),
    ("post", "/api/v1/jobs/{job_id}/retry"),
    ("post", "/api/v1/timetables"),
    ("get", "/api/v1/timetables"),
    ("get", "/api/v1/timetables/{timetable_id}"),
    ("put", "/api/v1/timetables/{timetable_id}"),
    ("delete", "/api/v1/timetables/{timetable_id}"),
    ("get", "/api/v1/timetables/{timetable_id}/timeblocks"),
    ("post", "/api/v1/timetables/{timetable_id}/timeblocks"),
    ("put", "/api/v1/timeblocks/{block_id}"),
    ("delete", "/api/v1/timeblocks/{block_id}"),
    ("get", "/api/v1/schools/{school_id}/settings"),
    ("put", "/api/v1/schools/{school_id}/settings"),
    ("get", "/api/v1/districts/{district_id}/settings"),
    ("put", "/api/v1/districts/{district_id}/settings"),
}


@pytest.fixture(scope="module")
def app() -> Iterator[Litestar]:
    asyncio.run(migrate())
    yield create_app()


def test_openapi_is_public_and_names_every_operation(app: Litestar) -> None:
    with TestClient(app=app) as client:
        response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    operations = {
        (method, path): op
        for path, item in response.json()["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert set(operations) >= SEED_PATHS, SEED_PATHS - set(operations)
    missing = [key for key, op in operations.items() if not op.get("operationId")]
    assert missing == []
    ids = [op["operationId"] for op in operations.values()]
    assert len(ids) == len(set(ids))  # unique, so generated clients get one function per route
    # Errors are documented as they are sent, {code, message}, the rate limiter's 429 included.
    upload = operations[("post", "/api/v1/documents/upload")]["responses"]
    assert {"400", "401", "404", "429"} <= set(upload)
    error = upload["429"]["content"]["application/json"]["schema"]
    assert error.get("$ref", "").endswith("/ErrorOut") or set(error.get("properties", {})) >= {"code"}


def test_every_route_is_open_on_purpose_or_names_its_roles(app: Litestar) -> None:
    unnamed = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            opt = handler.opt
            if opt.get("exclude_from_auth") or set(getattr(handler, "http_methods", ())) == {"OPTIONS"}:
                continue  # open on purpose, or the CORS preflight Litestar adds
            roles = opt.get("roles")
            if not roles or not set(roles) <= set(ROLES):
                unnamed.append(f"{route.path} {sorted(getattr(handler, 'http_methods', []))}")
    assert unnamed == []


def test_text_files_name_their_charset_once(app: Litestar) -> None:
    # Litestar adds "; charset=utf-8" to text/* itself; a type that named it too sent it twice.
    with TestClient(app=app) as client:
        for path, media in [
            ("/app/static/app.js", "text/javascript"),
            ("/app/static/app.css", "text/css"),
            ("/app/sw.js", "text/javascript"),
        ]:
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.headers["content-type"] == f"{media}; charset=utf-8", path
