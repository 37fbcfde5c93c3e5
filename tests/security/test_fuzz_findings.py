"""What the fuzzer found, pinned so it stays fixed."""

from __future__ import annotations

import httpx

from tests.support.accounts import register
from tests.support.stacks import Stack


def test_error_answers_are_documented_as_they_are_sent(sqlite_stack: Stack) -> None:
    """Litestar documented 400s as {status_code, detail, extra}; the API sends {code, message}."""
    document = httpx.get(sqlite_stack.base_url + "/schema/openapi.json").json()
    login = document["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert login["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert set(document["components"]["schemas"]["ErrorOut"]["required"]) == {"code", "message"}
    with sqlite_stack.client() as client:
        sent = client.post("/auth/login", content=b"\x00", headers={"Content-Type": "application/json"})
    assert sent.status_code == 400 and set(sent.json()) >= {"code", "message"}


def test_the_schema_pages_are_not_api_operations(sqlite_stack: Stack) -> None:
    document = httpx.get(sqlite_stack.base_url + "/schema/openapi.json").json()
    assert not [path for path in document["paths"] if path.startswith("/schema")]


def test_a_huge_page_offset_is_a_400_not_a_500(sqlite_stack: Stack) -> None:
    """An offset past SQLite's 64-bit integers crashed the list routes."""
    teacher = register(sqlite_stack)
    for path in ("/documents", "/timetables"):
        response = teacher.client.get(path, params={"offset": 31835454725538566813777920})
        assert response.status_code == 400, (path, response.text)
        assert response.json()["code"] == "invalid_request" and "offset" in response.json()["message"]
        assert teacher.client.get(path, params={"offset": 1_000_000}).status_code == 200
