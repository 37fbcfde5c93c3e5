"""Web Push to a local fake push service that checks VAPID and decrypts the payload as a browser."""

from __future__ import annotations

from litestar.testing import TestClient

from core.db.scoping import TenantScope
from core.notifications.tables import PushSubscription
from tests.notifications.conftest import join, log_rows, new_school, run, subscribe_push, tell
from tests.support.fakes.push_service import FakePushService


def subscriptions(tenant_id: str) -> list[str]:
    rows = run(TenantScope(tenant_id).select(PushSubscription, PushSubscription.endpoint))
    return [r["endpoint"] for r in rows]


def test_every_browser_of_the_person_gets_the_push_the_service_worker_shows(
    client: TestClient, push_service: FakePushService
) -> None:
    admin = new_school(client)
    slug = client.get(f"/schools/{admin.tenant_id}", headers=admin.headers).json()["slug"]
    teacher = join(client, admin)
    phone, laptop = (
        subscribe_push(client, teacher, push_service),
        subscribe_push(client, teacher, push_service),
    )

    job_id = tell(teacher, "processing_complete", message="'week.pdf' is ready: 32 lessons found.")

    for browser in (phone, laptop):
        [message] = push_service.wait_for(browser["endpoint"])
        assert message == {
            "title": "Your timetable is ready",
            "body": "'week.pdf' is ready: 32 lessons found.",
            "url": f"http://127.0.0.1:8000/t/{slug}/app/#/jobs/{job_id}",
            "kind": "processing_complete",
            "jobId": job_id,
        }
    assert push_service.rejected == []


def test_a_subscription_the_push_service_calls_gone_is_removed(
    client: TestClient, push_service: FakePushService
) -> None:
    teacher = join(client, new_school(client))
    old, current = (
        subscribe_push(client, teacher, push_service),
        subscribe_push(client, teacher, push_service),
    )
    push_service.gone(old["endpoint"])

    tell(teacher, "processing_failed", message="'week.pdf' could not be read.")

    assert push_service.wait_for(current["endpoint"])[0]["kind"] == "processing_failed"
    assert subscriptions(teacher.tenant_id) == [current["endpoint"]]
    [row] = log_rows(teacher, channel="push")
    assert row["status"] == "sent" and "removed" in row["detail"]


def test_the_app_subscribes_with_the_servers_public_key(
    client: TestClient, push_service: FakePushService
) -> None:
    key = client.get("/push/public-key")  # open: the page needs it before anyone subscribes
    assert key.status_code == 200
    another_key = push_service.subscribe()["keys"]["p256dh"]  # any other P-256 public key
    assert another_key != key.json()["publicKey"]
    other_key_subscription = push_service.subscribe(another_key)
    teacher = join(client, new_school(client))
    assert (
        client.post(
            "/me/push-subscriptions", json=other_key_subscription, headers=teacher.headers
        ).status_code
        == 201
    )
    tell(teacher, "processing_complete")
    # The push service refuses a push signed by a key the browser did not subscribe with.
    assert push_service.subscriber(other_key_subscription["endpoint"]).received == []
    assert any("application server key" in reason for reason in push_service.rejected)
