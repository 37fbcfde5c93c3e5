"""In-process fixtures: the app on the embedded defaults with its own worker, driven by TestClient."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from core.app import create_app
from core.db.engine import migrate
from tests.conftest import DOCUMENTS

PDF = DOCUMENTS / "003_days_cols_pdf_text.pdf"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    asyncio.run(migrate())
    with TestClient(app=create_app(), base_url="http://testserver/api/v1") as test_client:
        yield test_client


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    email = f"t{time.monotonic_ns()}@school.test"
    body = {"email": email, "password": "long enough password", "name": "T", "school": f"S {email}"}
    response = client.post("/auth/register", json=body)
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['accessToken']}"}


def upload(client: TestClient, auth: dict[str, str]) -> dict[str, str]:
    with PDF.open("rb") as f:
        response = client.post("/documents/upload", files={"file": (PDF.name, f)}, headers=auth)
    assert response.status_code == 202, response.text
    return response.json()


def wait_final(client: TestClient, auth: dict[str, str], job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}", headers=auth).json()
        if job["status"] in ("completed", "failed", "review"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stuck: {job}")
