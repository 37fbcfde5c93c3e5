"""Billing on the production parts: `timetabler serve` and `timetabler worker` on PostgreSQL with
row-level security (the app's role owns nothing) and Redis, talking to the fake Stripe.

Webhooks and usage reports work across schools, so they must lift row security knowingly; the
upload gate and usage recording must work inside it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.billing.conftest import API_KEY, PUBLIC_URL, WEBHOOK_SECRET
from tests.conftest import DOCUMENTS
from tests.support.fakes.stripe_server import FakeStripe, event, signed_event
from tests.support.shared import SharedServers
from tests.support.stacks import ROOT, Stack, postgres_env, running_stack

PDF = DOCUMENTS / "003_days_cols_pdf_text.pdf"


@pytest.fixture(scope="module")
def pg_stack(
    fake: FakeStripe, tmp_path_factory: pytest.TempPathFactory, shared: SharedServers
) -> Iterator[Stack]:
    pg = shared.database()
    env = {
        **postgres_env(pg, shared.redis_url()),
        "TIMETABLER_STRIPE_API_KEY": API_KEY,
        "TIMETABLER_STRIPE_API_BASE": fake.url,
        "TIMETABLER_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TIMETABLER_PUBLIC_URL": PUBLIC_URL,
    }
    with running_stack(
        "postgres", tmp_path_factory.mktemp("billing-pg"), env, worker=True, migrated=True
    ) as stack:
        stack.postgres = pg
        yield stack


def report_usage(stack: Stack) -> int:
    """report_pending_usage in a process of its own, as the app's role (as a worker would run it)."""
    code = (
        "import asyncio; from tenants.billing import report_pending_usage; "
        "print(asyncio.run(report_pending_usage()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stdout.strip().splitlines()[-1])


def meter_events(fake: FakeStripe, customer: str) -> list[dict]:
    return [e for e in fake.meter_events.values() if e["payload"]["stripe_customer_id"] == customer]


def wait_final(client: httpx.Client, job_id: str, stack: Stack) -> dict:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed", "review"):
            return job
        time.sleep(0.25)
    raise AssertionError(f"job {job_id} stuck\n{stack.log_tail()}")


def upload(client: httpx.Client, path: Path) -> httpx.Response:
    with path.open("rb") as f:
        return client.post("/documents/upload", files={"file": (path.name, f, "application/pdf")})


def test_billing_end_to_end_under_row_security(pg_stack: Stack, fake: FakeStripe) -> None:
    email = f"admin{time.monotonic_ns()}@school.test"
    body = {"email": email, "password": "long enough password", "name": "A", "school": f"PG {email}"}
    registered = pg_stack.client().post("/auth/register", json=body)
    assert registered.status_code == 201, registered.text
    tenant_id = registered.json()["user"]["tenantId"]
    admin = pg_stack.client(registered.json()["accessToken"])

    # Checkout makes the school's customer and a session for it.
    checkout = admin.post("/billing/checkout", json={"plan": "school"})
    assert checkout.status_code == 200, checkout.text + pg_stack.log_tail()
    assert admin.get("/billing").json()["hasCustomer"] is True
    session = fake.calls("POST", "/v1/checkout/sessions")[-1].params
    assert session["client_reference_id"] == tenant_id
    customer = session["customer"]

    # Stripe reports the completed checkout: the webhook finds the school across tenants.
    completed = event(
        "checkout.session.completed",
        {
            "id": "cs_pg",
            "object": "checkout.session",
            "mode": "subscription",
            "payment_status": "paid",
            "client_reference_id": tenant_id,
            "customer": customer,
            "subscription": "sub_pg",
            "metadata": {"tenant_id": tenant_id, "plan": "school"},
        },
    )
    raw, headers = signed_event(completed, WEBHOOK_SECRET)
    webhook = pg_stack.client()
    answer = webhook.post("/billing/webhook", content=raw, headers=headers)
    assert answer.status_code == 200 and answer.json()["result"] == "applied", (
        answer.text + pg_stack.log_tail()
    )
    raw, headers = signed_event(completed, WEBHOOK_SECRET)
    assert webhook.post("/billing/webhook", content=raw, headers=headers).json()["result"] == "duplicate"
    forged, headers = signed_event({**completed, "id": "evt_forged"}, "whsec_wrong")
    assert webhook.post("/billing/webhook", content=forged, headers=headers).status_code == 400
    overview = admin.get("/billing").json()
    assert (overview["plan"], overview["status"], overview["quota"]) == ("school", "active", 500)
    audit = pg_stack.postgres.execute(
        f"SELECT count(*) FROM audit_log WHERE action = 'stripe_event' AND tenant_id = '{tenant_id}'"
    )
    assert audit == "1"

    # A document processed by the worker is counted once, inside the school's row security.
    uploaded = upload(admin, PDF)
    assert uploaded.status_code == 202, uploaded.text
    job = wait_final(admin, uploaded.json()["jobId"], pg_stack)
    assert job["status"] in ("completed", "review"), job
    assert admin.get("/billing").json()["usage"]["documents"] == 1

    # The worker reports the new usage by itself; a sweep over every school afterwards sends
    # nothing again.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not meter_events(fake, customer):
        time.sleep(0.2)
    assert [e["identifier"] for e in meter_events(fake, customer)] == [f"{job['id']}:document"]
    report_usage(pg_stack)
    calls = fake.calls("POST", "/v1/billing/meter_events")
    assert len([c for c in calls if c.params["payload"]["stripe_customer_id"] == customer]) == 1

    # Over the quota the upload answers 402 (20 more documents on a free plan).
    pg_stack.postgres.execute(
        f"UPDATE tenants SET plan = 'free', subscription_status = NULL WHERE id = '{tenant_id}'"
    )
    values = ", ".join(
        f"(gen_random_uuid(), '{tenant_id}', 'document', 1, 0, 'pg-{i}-{tenant_id}', now())"
        for i in range(20)
    )
    pg_stack.postgres.execute(
        "INSERT INTO usage_events (id, tenant_id, kind, quantity, cost_usd, idempotency_key, created_at) "
        f"VALUES {values}"
    )
    refused = upload(admin, PDF)
    assert refused.status_code == 402 and refused.json()["code"] == "quota_exceeded", refused.text
    assert json.loads(refused.text)["message"].startswith("Your school has used its 20 documents")
