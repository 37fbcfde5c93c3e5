"""Stripe webhooks: signed events update the school; forged, unsigned, stale, tampered and
replayed deliveries change nothing."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
from litestar.testing import TestClient

from core.db.scoping import TenantScope
from core.db.tables import AuditEntry
from tests.billing.conftest import WEBHOOK_SECRET, School, run
from tests.support.fakes.stripe_server import event, sign, signed_event

DISTRICT_PRICE = {"id": "price_d", "object": "price", "lookup_key": "timetabler_district_monthly"}


def deliver(
    client: TestClient, evt: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
):
    body, headers = signed_event(evt, secret, timestamp)
    return client.post("/billing/webhook", content=body, headers=headers)


def billing(school: School) -> dict[str, Any]:
    tenant = school.tenant()
    return {
        "plan": tenant.plan,
        "customer": tenant.stripe_customer_id,
        "subscription": tenant.stripe_subscription_id,
        "status": tenant.subscription_status,
        "grace": tenant.billing_grace_until,
    }


def audit_entries(school: School) -> list[dict[str, Any]]:
    return run(TenantScope(school.tenant_id).select(AuditEntry).where(AuditEntry.action == "stripe_event"))


def checkout_completed(
    school: School, customer: str = "cus_web", subscription: str = "sub_web"
) -> dict[str, Any]:
    return event(
        "checkout.session.completed",
        {
            "id": "cs_test_1",
            "object": "checkout.session",
            "mode": "subscription",
            "payment_status": "paid",
            "status": "complete",
            "client_reference_id": str(school.tenant_id),
            "customer": customer,
            "subscription": subscription,
            "metadata": {"tenant_id": str(school.tenant_id), "plan": "school"},
        },
    )


def invoice(kind: str, customer: str, subscription: str, created: int | None = None) -> dict[str, Any]:
    return event(
        kind,
        {
            "id": "in_1",
            "object": "invoice",
            "customer": customer,
            # The 2025 API versions put the subscription under parent.subscription_details.
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription},
            },
        },
        created=created,
    )


@pytest.fixture
def subscribed(client: TestClient, school: School) -> School:
    customer = f"cus_{school.tenant_id.hex[:12]}"
    school.set(stripe_customer_id=customer)
    assert deliver(client, checkout_completed(school, customer, f"sub_{customer}")).status_code == 200
    return school


def test_checkout_completed_subscribes_the_school(client: TestClient, school: School) -> None:
    evt = checkout_completed(school)
    response = deliver(client, evt)
    assert response.status_code == 200, response.text
    assert response.json() == {"received": True, "result": "applied"}
    assert billing(school) == {
        "plan": "school",
        "customer": "cus_web",
        "subscription": "sub_web",
        "status": "active",
        "grace": None,
    }
    [entry] = audit_entries(school)
    assert entry["reason"] == evt["id"] and entry["actor_email"] == "stripe"
    after = entry["after"] if isinstance(entry["after"], dict) else json.loads(entry["after"])
    assert after["plan"] == "school" and after["event"] == "checkout.session.completed"


def test_failed_payment_starts_the_grace_period_once(client: TestClient, subscribed: School) -> None:
    customer, subscription = billing(subscribed)["customer"], billing(subscribed)["subscription"]
    first = int(time.time()) - 60
    assert (
        deliver(client, invoice("invoice.payment_failed", customer, subscription, created=first)).status_code
        == 200
    )
    state = billing(subscribed)
    assert state["status"] == "past_due"
    assert state["grace"] == dt.datetime.fromtimestamp(first, dt.UTC) + dt.timedelta(days=7)
    # Stripe retries the payment; a second failure does not extend the grace.
    deliver(client, invoice("invoice.payment_failed", customer, subscription))
    assert billing(subscribed)["grace"] == state["grace"]

    assert deliver(client, invoice("invoice.paid", customer, subscription)).status_code == 200
    assert billing(subscribed)["status"] == "active" and billing(subscribed)["grace"] is None


def test_subscription_updated_changes_the_plan(client: TestClient, subscribed: School) -> None:
    state = billing(subscribed)
    updated = event(
        "customer.subscription.updated",
        {
            "id": state["subscription"],
            "object": "subscription",
            "customer": state["customer"],
            "status": "active",
            "items": {"object": "list", "data": [{"object": "subscription_item", "price": DISTRICT_PRICE}]},
            "metadata": {"tenant_id": str(subscribed.tenant_id), "plan": "school"},
        },
    )
    assert deliver(client, updated).status_code == 200
    assert billing(subscribed)["plan"] == "district"


def test_subscription_deleted_returns_the_school_to_free(client: TestClient, subscribed: School) -> None:
    state = billing(subscribed)
    deleted = event(
        "customer.subscription.deleted",
        {
            "id": state["subscription"],
            "object": "subscription",
            "customer": state["customer"],
            "status": "canceled",
        },
    )
    assert deliver(client, deleted).status_code == 200
    assert billing(subscribed) == {
        "plan": "free",
        "customer": state["customer"],
        "subscription": None,
        "status": "canceled",
        "grace": None,
    }


def test_events_about_an_old_subscription_change_nothing(client: TestClient, subscribed: School) -> None:
    state = billing(subscribed)
    stale = event(
        "customer.subscription.deleted",
        {"id": "sub_old", "object": "subscription", "customer": state["customer"], "status": "canceled"},
    )
    assert deliver(client, stale).status_code == 200
    assert deliver(client, invoice("invoice.payment_failed", state["customer"], "sub_old")).status_code == 200
    assert billing(subscribed) == state


def test_a_replayed_event_changes_nothing_more(client: TestClient, subscribed: School) -> None:
    customer, subscription = billing(subscribed)["customer"], billing(subscribed)["subscription"]
    failed = invoice("invoice.payment_failed", customer, subscription)
    assert deliver(client, failed).json()["result"] == "applied"
    assert deliver(client, invoice("invoice.paid", customer, subscription)).json()["result"] == "applied"
    settled = billing(subscribed)
    entries = len(audit_entries(subscribed))
    # The same failed-payment event again, freshly signed (a retry by Stripe or a replay).
    response = deliver(client, failed)
    assert response.status_code == 200 and response.json()["result"] == "duplicate"
    assert billing(subscribed) == settled and settled["status"] == "active"
    assert len(audit_entries(subscribed)) == entries


def refused(client: TestClient, body: bytes, headers: dict[str, str]) -> None:
    response = client.post("/billing/webhook", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalid_signature"
    assert "Stripe-Signature" in response.json()["message"]


@pytest.mark.parametrize("attack", ["forged", "unsigned", "stale", "tampered", "garbled", "other_scheme"])
def test_unverified_deliveries_are_refused_and_change_nothing(
    client: TestClient, school: School, attack: str
) -> None:
    before = billing(school)
    evt = checkout_completed(school)
    body, headers = signed_event(evt, WEBHOOK_SECRET)
    if attack == "forged":
        body, headers = signed_event(evt, "whsec_attacker")
    elif attack == "unsigned":
        headers = {"Content-Type": "application/json"}
    elif attack == "stale":
        # Correctly signed, but ten minutes old: a captured delivery sent again.
        body, headers = signed_event(evt, WEBHOOK_SECRET, timestamp=int(time.time()) - 600)
    elif attack == "tampered":
        body = body.replace(b'"plan": "school"', b'"plan": "district"')
    elif attack == "garbled":
        headers = {"Stripe-Signature": "t=notanumber,v1=zz"}
    elif attack == "other_scheme":
        headers = {"Stripe-Signature": sign(body.decode(), WEBHOOK_SECRET).replace("v1=", "v0=")}
    refused(client, body, headers)
    assert billing(school) == before
    assert audit_entries(school) == []


def test_unhandled_event_types_are_acknowledged_and_ignored(client: TestClient, school: School) -> None:
    response = deliver(client, event("customer.created", {"id": "cus_x", "object": "customer"}))
    assert response.status_code == 200 and response.json()["result"] == "ignored"


def test_an_event_for_no_known_school_is_acknowledged(client: TestClient) -> None:
    evt = invoice("invoice.paid", "cus_nobody", "sub_nobody")
    assert deliver(client, evt).json()["result"] == "ignored"
    assert deliver(client, evt).json()["result"] == "duplicate"


def test_a_signed_payload_that_is_not_an_event_is_refused(client: TestClient) -> None:
    body = b'["not", "an", "event"]'
    response = client.post(
        "/billing/webhook", content=body, headers={"Stripe-Signature": sign(body.decode(), WEBHOOK_SECRET)}
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_event"
