"""The console's billing page against the fake Stripe: plan and usage against the quota this month,
Checkout to choose a plan, the customer portal, and the page Stripe sends the admin back to."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from core.db.engine import migrate
from core.db.tables import Tenant
from core.settings import Settings
from tenants.billing import record_usage
from tests.admin.conftest import make_district, make_school, make_user, post_form, sign_in, text
from tests.billing.conftest import billing_app, run
from tests.support.fakes.stripe_server import FakeStripe


@pytest.fixture(scope="module")
def console(settings: Settings) -> Iterator[TestClient]:
    run(migrate())
    # https: the console's cookie is Secure when the public address is https, as in production.
    with TestClient(app=billing_app(settings), base_url="https://testserver") as test_client:
        yield test_client


def school_with_admin() -> tuple[Tenant, object]:
    school = run(make_school(f"Billing {uuid.uuid4().hex[:6]}"))
    return school, run(make_user("school_admin", school=school))


def test_the_billing_page_shows_the_plan_and_usage_against_the_quota(console: TestClient) -> None:
    school, admin = school_with_admin()
    for _ in range(3):
        run(record_usage(school.id, uuid.uuid4(), "document"))
    run(record_usage(school.id, uuid.uuid4(), "llm_call", quantity=2))
    sign_in(console, admin)
    page = console.get(f"/admin/schools/{school.id}/billing")
    assert page.status_code == 200, page.text
    shown = text(page.text)
    assert "Free plan" in shown
    assert "3 of 20 documents used" in shown  # the free plan's quota
    assert "2 second readings" in shown
    assert "Choose the School plan (500 documents a month)" in shown
    assert "Manage payment" not in shown  # no Stripe customer yet
    # Its forms leave for Stripe's own pages, so this page (and only this one) lets them.
    assert "form-action 'self' https:" in page.headers["content-security-policy"]
    dashboard = console.get("/admin/")
    assert "form-action 'self'" in dashboard.headers["content-security-policy"]
    assert "https:" not in dashboard.headers["content-security-policy"].split("form-action")[1]


def test_choosing_a_plan_opens_stripe_checkout_and_the_portal_follows(
    console: TestClient, fake: FakeStripe
) -> None:
    school, admin = school_with_admin()
    sign_in(console, admin)
    path = f"/admin/schools/{school.id}/billing"
    fake.reset_requests()
    response = post_form(console, path, {"plan": "school"}, action=f"{path}/checkout")
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("https://checkout.stripe.test/c/pay/")
    [session] = fake.calls("POST", "/v1/checkout/sessions")
    assert session.params["client_reference_id"] == str(school.id)

    # Stripe sends the admin back to /admin/billing: their school's page says what happened.
    back = console.get("/admin/billing?checkout=success", follow_redirects=False)
    assert back.headers["location"] == f"{path}?checkout=success"
    assert "Payment details received" in text(console.get(back.headers["location"]).text)

    # Now the school is a Stripe customer: the portal opens.
    page = console.get(path).text
    assert "Manage payment, invoices or cancel (Stripe)" in text(page)
    portal = post_form(console, path, {}, action=f"{path}/portal")
    assert portal.status_code == 303
    assert portal.headers["location"].startswith("https://billing.stripe.test/p/session/")


def test_a_plan_stripe_has_no_price_for_is_explained_on_the_page(console: TestClient) -> None:
    school, admin = school_with_admin()
    sign_in(console, admin)
    path = f"/admin/schools/{school.id}/billing"
    # The fake Stripe has no district price, as an operator who has not created it yet.
    response = post_form(console, path, {"plan": "district"}, action=f"{path}/checkout")
    assert response.status_code == 400
    assert "No active Stripe price has the lookup key 'timetabler_district_monthly'" in text(response.text)


def test_another_districts_admin_cannot_see_or_pay_for_a_school(console: TestClient) -> None:
    district = run(make_district("Billing District"))
    school = run(make_school("Ash", district))
    outsider = run(make_user("district_admin", district=run(make_district("Other District"))))
    insider = run(make_user("district_admin", district=district))
    sign_in(console, outsider)
    assert console.get(f"/admin/schools/{school.id}/billing").status_code == 404
    sign_in(console, insider)
    assert console.get(f"/admin/schools/{school.id}/billing").status_code == 200
