"""Billing fixtures: a fake Stripe on loopback, settings pointing the SDK at it, and the app
in-process with those settings (on the temporary SQLite database from tests/conftest.py)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
from litestar import Litestar, Router
from litestar.testing import TestClient

from core.app import create_app
from core.auth import issue_tokens
from core.db.engine import migrate
from core.db.scoping import TenantScope
from core.db.tables import Tenant, User
from core.settings import Settings, get_settings
from tenants.billing import BillingController
from tests.support.fakes.stripe_server import FakeStripe

API_KEY = "sk_test_timetabler"
WEBHOOK_SECRET = "whsec_test_secret"
PUBLIC_URL = "https://timetabler.test"


def run(query: Any) -> Any:
    """Run a database query or coroutine from a test (SQLite opens a connection per query, so any
    event loop will do)."""

    async def main() -> Any:
        return await query

    return asyncio.run(main())


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeStripe]:
    with FakeStripe(api_key=API_KEY) as server:
        server.add_price("timetabler_school_monthly", unit_amount=4900)
        server.add_price("timetabler_documents_metered", metered=True)
        server.add_price("timetabler_llm_calls_metered", metered=True)
        # No district price: checkout for that plan shows what an unconfigured price answers.
        yield server


@pytest.fixture(scope="session")
def settings(fake: FakeStripe) -> Settings:
    return msgspec.structs.replace(
        get_settings(),
        stripe_api_key=API_KEY,
        stripe_api_base=fake.url,
        stripe_webhook_secret=WEBHOOK_SECRET,
        public_url=PUBLIC_URL,
    )


def billing_app(settings: Settings) -> Litestar:
    """The app as create_app builds it, with the billing routes mounted if it does not yet mount
    them itself (the controller is registered in core/app.py by the app's owner)."""
    app = create_app(settings=settings)
    if not any(route.path.startswith("/api/v1/billing") for route in app.routes):
        app.register(Router(path="/api/v1", route_handlers=[BillingController]))
    return app


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    run(migrate())
    with TestClient(app=billing_app(settings), base_url="http://testserver/api/v1") as test_client:
        yield test_client


@dataclass
class School:
    tenant_id: uuid.UUID
    admin: dict[str, str]  # Authorization header of the school admin

    def tenant(self) -> Tenant:
        return run(Tenant.objects().where(Tenant.id == self.tenant_id).first())

    def set(self, **values: Any) -> None:
        run(
            Tenant.update({getattr(Tenant, k): v for k, v in values.items()}).where(
                Tenant.id == self.tenant_id
            )
        )

    def member(self, role: str) -> dict[str, str]:
        """Headers of a new member of this school with ``role``."""
        user = TenantScope(self.tenant_id).insert(
            User, email=f"{role}{time.monotonic_ns()}@school.test", name=role, password_hash="x", role=role
        )
        run(user.save())
        pair = issue_tokens(get_settings(), user_id=user.id, tenant_id=self.tenant_id, role=role)
        return {"Authorization": f"Bearer {pair.access_token}"}


def register(client: TestClient) -> School:
    email = f"admin{time.monotonic_ns()}@school.test"
    body = {"email": email, "password": "long enough password", "name": "Admin", "school": f"School {email}"}
    response = client.post("/auth/register", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    return School(uuid.UUID(data["user"]["tenantId"]), {"Authorization": f"Bearer {data['accessToken']}"})


@pytest.fixture
def school(client: TestClient) -> School:
    return register(client)
