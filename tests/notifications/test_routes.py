"""The notification routes: push subscriptions and channel preferences are each person's own."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.notifications.conftest import inbox, join, new_school, subscribe_push, tell
from tests.support.fakes.push_service import FakePushService
from tests.support.fakes.sendgrid_server import FakeSendGrid

PREFS = "/me/notification-preferences"


def test_preferences_start_all_on_and_keep_what_the_person_chose(client: TestClient) -> None:
    teacher = join(client, new_school(client))
    assert client.get(PREFS, headers=teacher.headers).json() == {"email": True, "push": True, "inApp": True}
    chosen = {"email": False, "push": True, "inApp": False}
    assert client.put(PREFS, json=chosen, headers=teacher.headers).json() == chosen
    assert client.get(PREFS, headers=teacher.headers).json() == chosen
    colleague = join(client, new_school(client))
    assert client.get(PREFS, headers=colleague.headers).json() == {"email": True, "push": True, "inApp": True}


def test_bad_preferences_are_refused_with_what_to_send(client: TestClient) -> None:
    teacher = join(client, new_school(client))
    for body in ({"email": "yes"}, {"sms": True}):
        response = client.put(PREFS, json=body, headers=teacher.headers)
        assert response.status_code == 400 and response.json()["code"] == "invalid_request"
        assert response.json()["message"]
    assert client.get(PREFS).status_code == 401


def test_channels_turned_off_send_nothing(
    client: TestClient, sendgrid: FakeSendGrid, push_service: FakePushService
) -> None:
    teacher = join(client, new_school(client))
    browser = subscribe_push(client, teacher, push_service)
    client.put(PREFS, json={"email": False, "push": False, "inApp": True}, headers=teacher.headers)
    tell(teacher, "processing_complete")
    assert inbox(sendgrid, teacher.email) == []
    assert push_service.subscriber(browser["endpoint"]).received == []

    client.put(PREFS, json={"email": True, "push": False, "inApp": True}, headers=teacher.headers)
    tell(teacher, "processing_complete")
    assert len(inbox(sendgrid, teacher.email, 1)) == 1
    assert push_service.subscriber(browser["endpoint"]).received == []


def test_a_bad_subscription_is_refused_with_what_to_send(
    client: TestClient, push_service: FakePushService
) -> None:
    teacher = join(client, new_school(client))
    good = push_service.subscribe()
    bad_bodies = (
        {**good, "endpoint": "ftp://push.example/abc"},
        {**good, "keys": {"p256dh": "short", "auth": good["keys"]["auth"]}},
        {**good, "keys": {"p256dh": good["keys"]["p256dh"], "auth": "AAAA"}},
    )
    for body in bad_bodies:
        response = client.post("/me/push-subscriptions", json=body, headers=teacher.headers)
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "invalid_subscription"
        assert any(word in response.json()["message"] for word in ("endpoint", "keys.p256dh", "keys.auth"))
    missing = client.post(
        "/me/push-subscriptions", json={"endpoint": good["endpoint"]}, headers=teacher.headers
    )
    assert missing.status_code == 400 and missing.json()["code"] == "invalid_request"
    assert client.post("/me/push-subscriptions", json=good).status_code == 401


def test_only_the_owner_can_unsubscribe_a_browser(client: TestClient, push_service: FakePushService) -> None:
    admin = new_school(client)
    teacher, colleague = join(client, admin), join(client, admin)
    outsider = join(client, new_school(client))
    browser = subscribe_push(client, teacher, push_service)
    for other in (colleague, outsider):
        response = client.request(
            "DELETE", "/me/push-subscriptions", json={"endpoint": browser["endpoint"]}, headers=other.headers
        )
        assert response.status_code == 204
    tell(teacher, "processing_complete")
    assert len(push_service.wait_for(browser["endpoint"])) == 1  # still subscribed

    response = client.request(
        "DELETE", "/me/push-subscriptions", json={"endpoint": browser["endpoint"]}, headers=teacher.headers
    )
    assert response.status_code == 204
    tell(teacher, "processing_complete")
    assert len(push_service.subscriber(browser["endpoint"]).received) == 1  # nothing more


def test_a_school_never_pushes_to_another_schools_browsers(
    client: TestClient, push_service: FakePushService
) -> None:
    north, south = join(client, new_school(client)), join(client, new_school(client))
    browser = subscribe_push(client, south, push_service)
    tell(north, "hitl_required")
    tell(north, "processing_complete")
    assert push_service.subscriber(browser["endpoint"]).received == []
