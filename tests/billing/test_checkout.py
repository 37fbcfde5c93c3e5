"""Subscribing through Checkout against the fake Stripe, and the billing overview."""

from __future__ import annotations

import uuid

import msgspec
from litestar.testing import TestClient

from core.settings import Settings
from tenants.billing import record_usage
from tests.billing.conftest import PUBLIC_URL, School, billing_app, run
from tests.support.fakes.stripe_server import FakeStripe


def price_id(fake: FakeStripe, lookup_key: str) -> str:
    return next(p["id"] for p in fake.prices.values() if p["lookup_key"] == lookup_key)


def test_checkout_creates_a_customer_and_a_subscription_session(
    client: TestClient, school: School, fake: FakeStripe
) -> None:
    fake.reset_requests()
    response = client.post("/billing/checkout", json={"plan": "school"}, headers=school.admin)
    assert response.status_code == 200, response.text
    url = response.json()["url"]
    assert url.startswith("https://checkout.stripe.test/c/pay/cs_test_")

    [customer_call] = fake.calls("POST", "/v1/customers")
    assert customer_call.params["metadata"]["tenant_id"] == str(school.tenant_id)
    assert customer_call.headers["idempotency-key"] == f"customer-{school.tenant_id}"
    customer_id = school.tenant().stripe_customer_id
    assert customer_id in fake.customers

    [prices_call] = fake.calls("GET", "/v1/prices")
    assert "timetabler_school_monthly" in prices_call.params["lookup_keys"]

    [session_call] = fake.calls("POST", "/v1/checkout/sessions")
    params = session_call.params
    assert params["mode"] == "subscription"
    assert params["customer"] == customer_id
    assert params["client_reference_id"] == str(school.tenant_id)
    assert params["metadata"] == {"tenant_id": str(school.tenant_id), "plan": "school"}
    assert params["subscription_data"]["metadata"]["plan"] == "school"
    assert params["line_items"] == [
        {"price": price_id(fake, "timetabler_school_monthly"), "quantity": "1"},
        {"price": price_id(fake, "timetabler_documents_metered")},
        {"price": price_id(fake, "timetabler_llm_calls_metered")},
    ]
    assert params["success_url"].startswith(f"{PUBLIC_URL}/admin/billing?checkout=success")
    assert params["cancel_url"] == f"{PUBLIC_URL}/admin/billing?checkout=cancelled"


def test_a_second_checkout_reuses_the_schools_customer(
    client: TestClient, school: School, fake: FakeStripe
) -> None:
    assert client.post("/billing/checkout", json={"plan": "school"}, headers=school.admin).status_code == 200
    fake.reset_requests()
    assert client.post("/billing/checkout", json={"plan": "school"}, headers=school.admin).status_code == 200
    assert fake.calls("POST", "/v1/customers") == []
    assert len(fake.calls("POST", "/v1/checkout/sessions")) == 1


def test_checkout_refuses_unknown_plans_and_the_free_plan(
    client: TestClient, school: School, fake: FakeStripe
) -> None:
    fake.reset_requests()
    for plan in ("free", "platinum"):
        response = client.post("/billing/checkout", json={"plan": plan}, headers=school.admin)
        assert response.status_code == 400 and response.json()["code"] == "invalid_plan"
    assert fake.requests == []


def test_checkout_for_a_plan_without_a_stripe_price_says_so(client: TestClient, school: School) -> None:
    response = client.post("/billing/checkout", json={"plan": "district"}, headers=school.admin)
    assert response.status_code == 503
    assert response.json()["code"] == "billing_not_configured"
    assert "timetabler_district_monthly" in response.json()["message"]


def test_an_active_subscription_is_changed_in_the_portal_not_checkout(
    client: TestClient, school: School, fake: FakeStripe
) -> None:
    customer = fake._create_customer({"name": "s"})["id"]
    school.set(
        plan="school",
        stripe_customer_id=customer,
        stripe_subscription_id="sub_1",
        subscription_status="active",
    )
    response = client.post("/billing/checkout", json={"plan": "district"}, headers=school.admin)
    assert response.status_code == 409 and response.json()["code"] == "already_subscribed"
    portal = client.post("/billing/portal", headers=school.admin)
    assert portal.status_code == 200, portal.text
    assert portal.json()["url"].startswith("https://billing.stripe.test/p/session/bps_")
    assert fake.calls("POST", "/v1/billing_portal/sessions")[-1].params == {
        "customer": customer,
        "return_url": f"{PUBLIC_URL}/admin/billing",
    }


def test_only_school_admins_manage_billing(client: TestClient, school: School, fake: FakeStripe) -> None:
    fake.reset_requests()
    for role in ("teacher", "reviewer"):
        headers = school.member(role)
        assert client.get("/billing", headers=headers).status_code == 403
        assert client.post("/billing/checkout", json={"plan": "school"}, headers=headers).status_code == 403
        assert client.post("/billing/portal", headers=headers).status_code == 403
    assert client.get("/billing").status_code == 401
    assert fake.requests == []


def test_overview_shows_plan_usage_and_quota(client: TestClient, school: School) -> None:
    job = uuid.uuid4()
    run(record_usage(school.tenant_id, job, "document"))
    run(record_usage(school.tenant_id, job, "llm_call", quantity=2))
    body = client.get("/billing", headers=school.admin).json()
    assert body["billingEnabled"] is True
    assert (body["plan"], body["effectivePlan"], body["status"], body["quota"]) == ("free", "free", None, 20)
    assert body["usage"] == {"documents": 1, "documentsInProgress": 0, "llmCalls": 2}
    assert body["uploadAllowed"] is True and body["message"] is None
    assert body["hasCustomer"] is False and body["resetsOn"].endswith("-01")


def test_with_billing_off_there_is_no_quota_and_nothing_to_buy(settings: Settings, fake: FakeStripe) -> None:
    from tests.billing.conftest import register

    off = msgspec.structs.replace(settings, stripe_api_key=None, stripe_webhook_secret=None)
    with TestClient(app=billing_app(off), base_url="http://testserver/api/v1") as client:
        school = register(client)
        for _ in range(21):
            run(record_usage(school.tenant_id, uuid.uuid4(), "document"))
        body = client.get("/billing", headers=school.admin).json()
        assert body["billingEnabled"] is False and body["quota"] is None and body["uploadAllowed"] is True
        fake.reset_requests()
        response = client.post("/billing/checkout", json={"plan": "school"}, headers=school.admin)
        assert response.status_code == 404 and response.json()["code"] == "billing_disabled"
        assert client.post("/billing/webhook", content=b"{}").status_code == 503
        assert fake.requests == []


def test_two_first_checkouts_at_once_make_one_customer(
    school: School, fake: FakeStripe, settings: Settings
) -> None:
    import asyncio

    from tenants.billing.checkout import ensure_customer

    # Two requests that both read the school before either stored a customer.
    first, second = school.tenant(), school.tenant()

    async def both() -> list[str]:
        return list(await asyncio.gather(*(ensure_customer(settings, t, None) for t in (first, second))))

    before = len(fake.customers)
    ids = asyncio.run(both())
    assert ids[0] == ids[1] == school.tenant().stripe_customer_id
    assert len(fake.customers) == before + 1  # Stripe replayed the first answer for the same key


def test_the_portal_needs_a_customer_first(client: TestClient, school: School) -> None:
    response = client.post("/billing/portal", headers=school.admin)
    assert response.status_code == 409 and response.json()["code"] == "no_subscription"
