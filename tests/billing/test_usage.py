"""Usage is recorded once per job and kind, and reaches Stripe's meters once, with its identifier."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from core.db.scoping import TenantScope
from core.db.tables import UsageEvent
from core.settings import Settings
from tenants.billing import record_usage, report_pending_usage
from tenants.billing.quota import used_this_month
from tests.billing.conftest import School, run
from tests.support.fakes.stripe_server import FakeStripe


def events(school: School) -> list[dict]:
    return run(TenantScope(school.tenant_id).select(UsageEvent).order_by(UsageEvent.created_at))


def test_recording_the_same_job_twice_counts_once(school: School) -> None:
    job = uuid.uuid4()
    assert run(record_usage(school.tenant_id, job, "document")) is True
    # At-least-once delivery: the pipeline may finish the same job again.
    assert run(record_usage(school.tenant_id, job, "document")) is False
    assert (
        run(record_usage(school.tenant_id, job, "llm_call", quantity=2, engine="claude", cost_usd=0.01))
        is True
    )
    rows = events(school)
    assert [(r["kind"], r["quantity"], r["idempotency_key"]) for r in rows] == [
        ("document", 1, f"{job}:document"),
        ("llm_call", 2, f"{job}:llm_call"),
    ]
    assert run(used_this_month(school.tenant_id)) == 1
    assert run(used_this_month(school.tenant_id, "llm_call")) == 2


def test_only_this_months_documents_count(school: School) -> None:
    run(record_usage(school.tenant_id, uuid.uuid4(), "document"))
    last_month = dt.datetime.now(dt.UTC).replace(day=1) - dt.timedelta(days=2)
    old = TenantScope(school.tenant_id).insert(
        UsageEvent,
        job_id=uuid.uuid4(),
        kind="document",
        idempotency_key=f"old-{uuid.uuid4()}",
        created_at=last_month,
    )
    run(old.save())
    assert run(used_this_month(school.tenant_id)) == 1


def test_usage_of_one_school_is_not_counted_for_another(school: School, client) -> None:  # noqa: ANN001
    from tests.billing.conftest import register

    other = register(client)
    run(record_usage(other.tenant_id, uuid.uuid4(), "document"))
    assert run(used_this_month(school.tenant_id)) == 0


def test_reporting_sends_each_event_once_with_its_identifier(
    school: School, fake: FakeStripe, settings: Settings
) -> None:
    customer = fake._create_customer({"name": "paying school"})["id"]
    school.set(plan="school", stripe_customer_id=customer, subscription_status="active")
    job = uuid.uuid4()
    run(record_usage(school.tenant_id, job, "document"))
    run(record_usage(school.tenant_id, job, "llm_call", quantity=3))
    run(record_usage(school.tenant_id, job, "page", quantity=4))  # counted, not billed
    fake.reset_requests()

    assert run(report_pending_usage(settings)) >= 2
    mine = [
        r
        for r in fake.calls("POST", "/v1/billing/meter_events")
        if r.params["payload"]["stripe_customer_id"] == customer
    ]
    sent = {r.params["identifier"]: r for r in mine}
    assert set(sent) == {f"{job}:document", f"{job}:llm_call"} and len(mine) == 2
    assert sent[f"{job}:document"].params["event_name"] == "timetabler_documents"
    assert sent[f"{job}:document"].params["payload"]["value"] == "1"
    assert sent[f"{job}:llm_call"].params["event_name"] == "timetabler_llm_calls"
    assert sent[f"{job}:llm_call"].params["payload"]["value"] == "3"
    assert sent[f"{job}:document"].headers["idempotency-key"] == f"meter-{job}:document"
    reported = {r["kind"]: r["reported_at"] for r in events(school)}
    assert reported["document"] and reported["llm_call"] and reported["page"] is None

    # A second run (or a second worker) sends nothing again.
    run(report_pending_usage(settings))
    again = [
        r
        for r in fake.calls("POST", "/v1/billing/meter_events")
        if r.params["payload"]["stripe_customer_id"] == customer
    ]
    assert len(again) == 2


def test_a_lost_acknowledgement_is_not_billed_twice(
    school: School, fake: FakeStripe, settings: Settings
) -> None:
    customer = fake._create_customer({"name": "school"})["id"]
    school.set(plan="school", stripe_customer_id=customer, subscription_status="active")
    job = uuid.uuid4()
    run(record_usage(school.tenant_id, job, "document"))
    run(report_pending_usage(settings))
    # As if the process died after Stripe answered but before reported_at was saved.
    run(TenantScope(school.tenant_id).update(UsageEvent, {UsageEvent.reported_at: None}))
    run(report_pending_usage(settings))
    assert [e for e in fake.meter_events.values() if e["payload"]["stripe_customer_id"] == customer] == [
        fake.meter_events[f"{job}:document"]
    ]


def test_a_stripe_outage_leaves_events_for_the_next_run(
    school: School, fake: FakeStripe, settings: Settings
) -> None:
    customer = fake._create_customer({"name": "school"})["id"]
    school.set(plan="school", stripe_customer_id=customer, subscription_status="active")
    run(record_usage(school.tenant_id, uuid.uuid4(), "document"))
    fake.failures["/v1/billing/meter_events"] = 100
    try:
        run(report_pending_usage(settings))
    finally:
        fake.failures.clear()
    assert events(school)[0]["reported_at"] is None
    run(report_pending_usage(settings))
    assert events(school)[0]["reported_at"] is not None


def test_free_schools_and_schools_without_a_customer_are_not_reported(
    school: School, fake: FakeStripe, settings: Settings
) -> None:
    run(record_usage(school.tenant_id, uuid.uuid4(), "document"))
    run(report_pending_usage(settings))
    assert events(school)[0]["reported_at"] is None  # free, no customer
    school.set(stripe_customer_id=fake._create_customer({})["id"])
    run(report_pending_usage(settings))
    assert events(school)[0]["reported_at"] is None  # a customer, still free


def test_billing_off_reports_nothing(school: School, settings: Settings) -> None:
    off = msgspec.structs.replace(settings, stripe_api_key=None)
    assert run(report_pending_usage(off)) == 0


def test_reporting_one_school_leaves_the_others(client, fake: FakeStripe, settings: Settings) -> None:  # noqa: ANN001
    from tests.billing.conftest import register

    schools = [register(client), register(client)]
    for school in schools:
        customer = fake._create_customer({})["id"]
        school.set(plan="school", stripe_customer_id=customer, subscription_status="active")
        run(record_usage(school.tenant_id, uuid.uuid4(), "document"))
    assert run(report_pending_usage(settings, tenant_id=schools[0].tenant_id)) == 1
    assert events(schools[0])[0]["reported_at"] is not None
    assert events(schools[1])[0]["reported_at"] is None
