"""Plans and the pure decision whether a school may upload now.

No database and no clock here: the caller passes the plan, the subscription state, the usage of
this calendar month and the time, so every rule can be tested on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FREE, SCHOOL, DISTRICT = "free", "school", "district"


@dataclass(frozen=True)
class Plan:
    name: str
    title: str
    monthly_documents: int
    # Days a school keeps working after a payment fails; 0 means no grace.
    grace_days: int
    # Stripe prices are found by lookup key so the same code runs in test and live mode.
    price_lookup_key: str | None = None
    # Optional metered prices (documents, LLM calls) added to the subscription when they exist.
    metered_lookup_keys: tuple[str, ...] = ()


PLANS: dict[str, Plan] = {
    FREE: Plan(FREE, "Free", monthly_documents=20, grace_days=0),
    SCHOOL: Plan(
        SCHOOL,
        "School",
        monthly_documents=500,
        grace_days=7,
        price_lookup_key="timetabler_school_monthly",
        metered_lookup_keys=("timetabler_documents_metered", "timetabler_llm_calls_metered"),
    ),
    DISTRICT: Plan(
        DISTRICT,
        "District",
        monthly_documents=10_000,
        grace_days=14,
        price_lookup_key="timetabler_district_monthly",
        metered_lookup_keys=("timetabler_documents_metered", "timetabler_llm_calls_metered"),
    ),
}
PAID_PLANS = (SCHOOL, DISTRICT)
# The next plan up, named in the quota message.
UPGRADE = {FREE: SCHOOL, SCHOOL: DISTRICT}

# Stripe subscription statuses, grouped by what they mean for uploads.
GOOD_STANDING = ("active", "trialing")
PAYMENT_LATE = ("past_due", "unpaid")
# The first payment has not gone through yet (e.g. a bank debit): the school keeps the free plan.
PENDING = ("incomplete",)
ENDED = ("canceled", "incomplete_expired")


def plan_for(name: str | None) -> Plan:
    """The plan by name; an unknown or missing name is the free plan (fail towards the smallest)."""
    return PLANS.get(name or FREE, PLANS[FREE])


def month_start(now: dt.datetime) -> dt.datetime:
    """The first instant of ``now``'s calendar month in UTC (quotas reset on the 1st, UTC)."""
    now = now.astimezone(dt.UTC)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: dt.datetime) -> dt.datetime:
    start = month_start(now)
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )


def _day(value: dt.datetime) -> str:
    return f"{value.day} {value:%B}"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    code: str | None = None  # quota_exceeded | payment_required
    message: str | None = None
    effective_plan: str = FREE
    quota: int = 0
    used: int = 0


def effective_plan(plan: str | None, status: str | None) -> Plan:
    """The plan that applies: a paid plan whose subscription has ended, or whose first payment is
    still pending, counts as free."""
    chosen = plan_for(plan)
    if chosen.name in PAID_PLANS and (status in ENDED or status in PENDING):
        return PLANS[FREE]
    return chosen


def decide_upload(
    *,
    plan: str | None,
    status: str | None,
    grace_until: dt.datetime | None,
    used_this_month: int,
    now: dt.datetime,
    billing_url: str,
) -> Decision:
    """May a school upload one more document now?

    - A paid plan whose payment is late works until its grace date, then answers payment_required.
      A paid plan with no subscription status at all was set by a platform admin (invoiced outside
      Stripe) and is honoured.
    - Every plan stops at its monthly quota (quota_exceeded); the quota resets on the 1st (UTC).
    """
    chosen = effective_plan(plan, status)
    base = {"effective_plan": chosen.name, "quota": chosen.monthly_documents, "used": used_this_month}
    if chosen.name in PAID_PLANS and status in PAYMENT_LATE:
        in_grace = grace_until is not None and now < grace_until
        if not in_grace:
            if grace_until is not None:
                ended = f"the {chosen.grace_days}-day grace period ended on {_day(grace_until)}"
            else:
                ended = "the subscription is not paid"
            return Decision(
                False,
                "payment_required",
                f"Payment for your school's {chosen.title} plan failed and {ended}. Ask your school "
                f"admin to update the payment method at {billing_url}; uploads resume as soon as "
                "the invoice is paid.",
                **base,
            )
    if used_this_month >= chosen.monthly_documents:
        month = f"{month_start(now):%B}"
        upgrade = UPGRADE.get(chosen.name)
        todo = (
            f"Ask your school admin to upgrade to the {PLANS[upgrade].title} plan at {billing_url}, or wait"
            if upgrade
            else f"Ask your school admin to contact us about a larger plan ({billing_url}), or wait"
        )
        return Decision(
            False,
            "quota_exceeded",
            f"Your school has used its {chosen.monthly_documents} documents for {month}. "
            f"{todo} until {_day(next_month_start(now))}.",
            **base,
        )
    return Decision(True, **base)
