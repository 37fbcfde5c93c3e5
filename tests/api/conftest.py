"""The API suite runs twice: on the embedded defaults and on PostgreSQL + Redis + S3."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.servers import postgres_server, redis_server, s3_server
from tests.stack import Stack, production_env, running_stack

FINAL = ("completed", "failed", "review")


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp(f"stack-{request.param}")
    if request.param == "sqlite":
        with running_stack("sqlite", data_dir, {}, worker=False) as running:
            yield running
        return
    with postgres_server() as pg, redis_server() as redis, s3_server() as s3:
        bucket = "timetabler-test"
        env = production_env(pg, redis.url, s3.endpoint_url, bucket)
        with running_stack("postgres", data_dir, env, worker=True) as running:
            running.s3_bucket, running.s3_endpoint_url = bucket, s3.endpoint_url
            running.postgres = pg
            yield running


class Account:
    def __init__(self, stack: Stack, body: dict[str, Any]) -> None:
        self.stack = stack
        self.user = body["user"]
        self.access_token = body["accessToken"]
        self.refresh_token = body["refreshToken"]
        self.client = stack.client(self.access_token)

    def upload(
        self, path: Path, *, name: str | None = None, content_type: str | None = None
    ) -> httpx.Response:
        with path.open("rb") as f:
            files = {"file": (name or path.name, f, content_type or "application/octet-stream")}
            return self.client.post("/documents/upload", files=files)

    def wait_for_job(self, job_id: str, timeout: float = 240) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.client.get(f"/jobs/{job_id}").json()
            if job["status"] in FINAL:
                return job
            time.sleep(0.25)
        raise AssertionError(f"job {job_id} did not finish in {timeout}s: {job}\n{self.stack.log_tail()}")


def register(stack: Stack, *, school: str | None = None, name: str = "Ada Teacher") -> Account:
    email = f"{uuid.uuid4().hex[:10]}@school.test"
    body = {
        "email": email,
        "password": "correct horse battery",
        "name": name,
        "school": school or f"School {email}",
    }
    with stack.client() as client:
        response = client.post("/auth/register", json=body)
    assert response.status_code == 201, response.text
    account = Account(stack, response.json())
    account.email, account.password = email, body["password"]
    return account


def invite(admin: Account, *, role: str = "teacher", name: str = "Invited Teacher") -> Account:
    """The school admin invites a person, who follows the link and joins the school."""
    email = f"{uuid.uuid4().hex[:10]}@school.test"
    made = admin.client.post(
        f"/schools/{admin.user['tenantId']}/invites", json={"email": email, "role": role}
    )
    assert made.status_code == 201, made.text
    token = made.json()["inviteUrl"].rsplit("/", 1)[1]
    body = {"token": token, "name": name, "password": "another long password"}
    with admin.stack.client() as client:
        response = client.post("/auth/accept-invite", json=body)
    assert response.status_code == 201, response.text
    account = Account(admin.stack, response.json())
    account.email, account.password = email, body["password"]
    return account


@pytest.fixture
def teacher(stack: Stack) -> Account:
    return register(stack)


@pytest.fixture(scope="session")
def districts(stack: Stack) -> tuple[Any, Any]:
    """Two districts (North, South), each with one school and its admin, teacher and reviewer."""
    from tests.api.tenancy import make_district, platform_admin

    root = platform_admin(stack)
    return make_district(root, "North"), make_district(root, "South")
