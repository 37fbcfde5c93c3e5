"""The upload decision on its own: plans, quotas, grace, and the messages schools read."""

from __future__ import annotations

import datetime as dt

from tenants.billing.plans import PLANS, decide_upload, effective_plan, month_start, next_month_start

URL = "https://timetabler.test/admin/billing"
NOV = dt.datetime(2026, 11, 28, 18, 0, tzinfo=dt.UTC)


def decide(
    plan: str | None = "free",
    status: str | None = None,
    grace: dt.datetime | None = None,
    used: int = 0,
    now: dt.datetime = NOV,
):
    return decide_upload(
        plan=plan, status=status, grace_until=grace, used_this_month=used, now=now, billing_url=URL
    )


def test_plans_have_quotas_and_grace() -> None:
    assert (PLANS["free"].monthly_documents, PLANS["free"].grace_days) == (20, 0)
    assert (PLANS["school"].monthly_documents, PLANS["school"].grace_days) == (500, 7)
    assert PLANS["district"].monthly_documents == 10_000
    assert PLANS["school"].price_lookup_key == "timetabler_school_monthly"


def test_free_plan_under_quota_may_upload() -> None:
    decision = decide(used=19)
    assert decision.allowed and decision.quota == 20 and decision.used == 19


def test_free_plan_stops_at_its_quota_and_says_what_to_do() -> None:
    decision = decide(used=20)
    assert not decision.allowed and decision.code == "quota_exceeded"
    assert decision.message == (
        "Your school has used its 20 documents for November. Ask your school admin to upgrade to the "
        f"School plan at {URL}, or wait until 1 December."
    )


def test_quota_resets_on_the_first_of_next_month_across_the_year_end() -> None:
    december = dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC)
    assert next_month_start(december) == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert month_start(december) == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert "wait until 1 January" in (decide(used=25, now=december).message or "")


def test_school_plan_quota_points_to_the_district_plan() -> None:
    assert decide("school", "active", used=499).allowed
    refused = decide("school", "active", used=500)
    assert refused.code == "quota_exceeded" and "upgrade to the District plan" in (refused.message or "")


def test_district_plan_has_no_upgrade_to_offer() -> None:
    refused = decide("district", "active", used=10_000)
    assert refused.code == "quota_exceeded" and "contact us about a larger plan" in (refused.message or "")


def test_late_payment_works_during_grace() -> None:
    grace = NOV + dt.timedelta(days=3)
    assert decide("school", "past_due", grace=grace, used=10).allowed


def test_late_payment_after_grace_needs_payment() -> None:
    grace = NOV - dt.timedelta(hours=1)
    refused = decide("school", "past_due", grace=grace, used=10)
    assert not refused.allowed and refused.code == "payment_required"
    assert "7-day grace period ended on 28 November" in (refused.message or "")
    assert URL in (refused.message or "") and "update the payment method" in (refused.message or "")


def test_late_payment_without_grace_date_needs_payment_at_once() -> None:
    assert decide("school", "unpaid").code == "payment_required"


def test_a_pending_first_payment_keeps_the_free_plan() -> None:
    assert decide("school", "incomplete", used=19).allowed
    assert decide("school", "incomplete", used=20).code == "quota_exceeded"


def test_ended_subscription_falls_back_to_the_free_quota() -> None:
    assert effective_plan("school", "canceled").name == "free"
    assert decide("school", "canceled", used=19).allowed
    assert decide("school", "canceled", used=20).code == "quota_exceeded"


def test_paid_plan_set_without_stripe_is_honoured() -> None:
    # A platform admin may put a school on a plan that is invoiced outside Stripe.
    assert decide("district", None, used=600).allowed


def test_unknown_plan_counts_as_free() -> None:
    assert decide("gold", "active", used=20).code == "quota_exceeded"
    assert decide(None, None, used=20).quota == 20
