"""Notification fixtures: fakes of SendGrid and of a push service on loopback, the SendGrid
settings pointing the official SDK at the fake, and the app in-process on the embedded defaults
(SQLite, in-process worker), driven by TestClient."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import TestClient

from core.app import create_app
from core.db.engine import migrate
from core.db.scoping import TenantScope
from core.engines import Notification
from core.notifications.fanout import dispatch
from core.notifications.tables import NotificationLog
from core.runtime import get_runtime
from tests.conftest import DOCUMENTS
from tests.support.fakes.push_service import FakePushService
from tests.support.fakes.sendgrid_server import FakeSendGrid

API_KEY = "SG.test-key-for-the-fake"
SENDER = "timetables@platform.test"
PDF = DOCUMENTS / "003_days_cols_pdf_text.pdf"


def run(query: Any) -> Any:
    """Run a database query or coroutine from a test (SQLite opens a connection per query)."""

    async def main() -> Any:
        return await query

    return asyncio.run(main())


@pytest.fixture(scope="session")
def sendgrid() -> Iterator[FakeSendGrid]:
    with FakeSendGrid(api_key=API_KEY) as fake:
        yield fake


@pytest.fixture(scope="session")
def push_service() -> Iterator[FakePushService]:
    with FakePushService() as fake:
        yield fake


def email_env(sendgrid: FakeSendGrid) -> dict[str, str]:
    return {
        "TIMETABLER_SENDGRID_API_KEY": API_KEY,
        "TIMETABLER_SENDGRID_FROM": SENDER,
        "TIMETABLER_SENDGRID_HOST": sendgrid.url,
        "TIMETABLER_SENDGRID_BACKOFF": "0.01",  # retries wait 10 ms, 20 ms, ... in tests
    }


@pytest.fixture(scope="module")
def email_set_up(sendgrid: FakeSendGrid) -> Iterator[None]:
    env = email_env(sendgrid)
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def client(email_set_up: None) -> Iterator[TestClient]:
    run(migrate())
    with TestClient(app=create_app(), base_url="http://testserver/api/v1") as test_client:
        yield test_client


@dataclass
class Person:
    id: str
    email: str
    tenant_id: str
    role: str
    headers: dict[str, str]


def _person(body: dict[str, Any]) -> Person:
    user = body["user"]
    return Person(
        id=user["id"],
        email=user["email"],
        tenant_id=user["tenantId"],
        role=user["role"],
        headers={"Authorization": f"Bearer {body['accessToken']}"},
    )


def new_school(client: TestClient, name: str | None = None) -> Person:
    """Register a school; its first user is its school admin."""
    email = f"admin-{uuid.uuid4().hex[:10]}@school.test"
    body = {"email": email, "password": "long enough password", "name": "Ada Admin", "school": name or email}
    response = client.post("/auth/register", json=body)
    assert response.status_code == 201, response.text
    return _person(response.json())


def join(client: TestClient, admin: Person, role: str = "teacher", name: str = "Tom Teacher") -> Person:
    email = f"{role}-{uuid.uuid4().hex[:10]}@school.test"
    made = client.post(
        f"/schools/{admin.tenant_id}/invites", json={"email": email, "role": role}, headers=admin.headers
    )
    assert made.status_code == 201, made.text
    token = made.json()["inviteUrl"].rsplit("/", 1)[1]
    joined = client.post(
        "/auth/accept-invite", json={"token": token, "name": name, "password": "long password 1"}
    )
    assert joined.status_code == 201, joined.text
    return _person(joined.json())


def tell(person: Person, kind: str, *, job_id: str | None = None, message: str = "A message.") -> str:
    """Run the fan-out for one notification about ``person``'s document; returns its job id."""
    job_id = job_id or str(uuid.uuid4())
    notification = Notification(
        kind=kind,
        tenant_id=person.tenant_id,
        user_id=person.id,
        job_id=job_id,
        document_id=str(uuid.uuid4()),
        message=message,
    )
    run(dispatch(get_runtime(), notification))
    return job_id


def log_rows(person: Person, **where: str) -> list[dict[str, Any]]:
    async def rows() -> list[dict[str, Any]]:
        query = (
            TenantScope(person.tenant_id).select(NotificationLog).where(NotificationLog.user_id == person.id)
        )
        for column, value in where.items():
            query = query.where(getattr(NotificationLog, column) == value)
        return await query

    return run(rows())


def subscribe_push(client: TestClient, person: Person, push_service: FakePushService) -> dict[str, Any]:
    key = client.get("/push/public-key").json()["publicKey"]
    subscription = push_service.subscribe(key)
    response = client.post("/me/push-subscriptions", json=subscription, headers=person.headers)
    assert response.status_code == 201, response.text
    return subscription


def wait_final(client: TestClient, person: Person, job_id: str, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}", headers=person.headers).json()
        if job["status"] in ("completed", "failed", "review"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stuck: {job}")


def inbox(sendgrid: FakeSendGrid, email: str, count: int = 0, timeout: float = 60) -> list[Any]:
    """The notification emails (not the invite that brought the person in) this address got;
    with ``count``, waits until that many arrived."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in sendgrid.to(email) if not m.subject.startswith("Join ")]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"{email} got {len(found)} notification emails, expected {count}"
            return found
        time.sleep(0.1)
