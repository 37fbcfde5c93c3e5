"""Over quota or past the grace period, a school's uploads answer 402 with what to do."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
import pytest
from litestar.testing import TestClient

from core.api.errors import ApiError
from core.db.scoping import TenantScope
from core.db.tables import Document, UsageEvent, User
from core.settings import Settings
from tenants.billing import check_upload_allowed, record_usage
from tests.billing.conftest import PUBLIC_URL, School, run
from tests.jobs.conftest import PDF, wait_final


def use(school: School, documents: int) -> None:
    for _ in range(documents):
        run(record_usage(school.tenant_id, uuid.uuid4(), "document"))


def test_under_quota_uploads_are_allowed(school: School, settings: Settings) -> None:
    use(school, 19)
    assert run(check_upload_allowed(school.tenant_id, settings)) is None


def test_over_quota_answers_402_with_what_to_do(school: School, settings: Settings) -> None:
    use(school, 20)
    with pytest.raises(ApiError) as refused:
        run(check_upload_allowed(school.tenant_id, settings))
    assert refused.value.status_code == 402 and refused.value.code == "quota_exceeded"
    month = dt.datetime.now(dt.UTC)
    assert f"used its 20 documents for {month:%B}" in refused.value.detail
    assert f"{PUBLIC_URL}/admin/billing" in refused.value.detail and "wait until 1 " in refused.value.detail


def test_a_redelivered_job_does_not_eat_the_quota(school: School, settings: Settings) -> None:
    use(school, 19)
    job = uuid.uuid4()
    for _ in range(3):
        run(record_usage(school.tenant_id, job, "document"))
    with pytest.raises(ApiError):
        run(check_upload_allowed(school.tenant_id, settings))  # 20 documents, not 22


def test_payment_past_grace_answers_402_payment_required(school: School, settings: Settings) -> None:
    school.set(plan="school", subscription_status="past_due", billing_grace_until=dt.datetime.now(dt.UTC))
    with pytest.raises(ApiError) as refused:
        run(check_upload_allowed(school.tenant_id, settings))
    assert refused.value.status_code == 402 and refused.value.code == "payment_required"
    assert "update the payment method" in refused.value.detail


def test_during_grace_uploads_continue(school: School, settings: Settings) -> None:
    grace = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    school.set(plan="school", subscription_status="past_due", billing_grace_until=grace)
    use(school, 25)  # over the free quota, well under the school plan's
    assert run(check_upload_allowed(school.tenant_id, settings)) is None


def test_with_billing_off_no_quota_applies(school: School, settings: Settings) -> None:
    use(school, 25)
    off = msgspec.structs.replace(settings, stripe_api_key=None)
    assert run(check_upload_allowed(school.tenant_id, off)) is None


def upload(client: TestClient, headers: dict[str, str]):  # noqa: ANN201
    with PDF.open("rb") as f:
        return client.post("/documents/upload", files={"file": (PDF.name, f)}, headers=headers)


def test_an_upload_over_quota_answers_402_and_stores_nothing(client: TestClient, school: School) -> None:
    use(school, 20)
    teacher = school.member("teacher")
    response = upload(client, teacher)
    assert response.status_code == 402, response.text
    body = response.json()
    assert body["code"] == "quota_exceeded"
    assert body["message"].startswith("Your school has used its 20 documents for ")
    assert client.get("/documents", headers=teacher).json()["total"] == 0


def test_a_processed_document_is_counted_once(client: TestClient, school: School) -> None:
    response = upload(client, school.admin)
    assert response.status_code == 202, response.text
    job = wait_final(client, school.admin, response.json()["jobId"])
    assert job["status"] in ("completed", "review"), job
    rows = run(TenantScope(school.tenant_id).select(UsageEvent).where(UsageEvent.kind == "document"))
    assert [r["idempotency_key"] for r in rows] == [f"{job['id']}:document"]
    assert client.get("/billing", headers=school.admin).json()["usage"]["documents"] == 1


def test_documents_still_processing_count_against_the_quota(school: School, settings: Settings) -> None:
    use(school, 18)
    user_id = run(TenantScope(school.tenant_id).select(User, User.id).first())["id"]
    for status in ("queued", "processing", "failed"):
        document = TenantScope(school.tenant_id).insert(
            Document,
            user_id=user_id,
            filename="t.pdf",
            content_type="application/pdf",
            content_hash="0" * 64,
            size=1,
            storage_key="k",
            status=status,
        )
        run(document.save())
    # 18 processed + 2 in flight = 20; the failed one is not counted.
    with pytest.raises(ApiError) as refused:
        run(check_upload_allowed(school.tenant_id, settings))
    assert refused.value.code == "quota_exceeded"
