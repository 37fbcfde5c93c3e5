"""The production parts: PostgreSQL (the app's role bound by row-level security) and Redis with a
separate worker process. The notification tables force row-level security, and the worker's
notify stage emails and pushes through them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.notifications.conftest import PDF, email_env, inbox
from tests.support.accounts import register
from tests.support.fakes.push_service import FakePushService
from tests.support.fakes.sendgrid_server import FakeSendGrid
from tests.support.shared import SharedServers
from tests.support.stacks import Stack, postgres_env, running_stack

TABLES = ("push_subscriptions", "notification_preferences", "notification_log")


@pytest.fixture(scope="module")
def stack(
    sendgrid: FakeSendGrid, tmp_path_factory: pytest.TempPathFactory, shared: SharedServers
) -> Iterator[Stack]:
    pg = shared.database()
    env = {
        **email_env(sendgrid),
        **postgres_env(pg, shared.redis_url()),
    }
    data_dir = Path(tmp_path_factory.mktemp("notify-pg"))  # files and the VAPID key, shared by both
    with running_stack("postgres", data_dir, env, worker=True, migrated=True) as running:
        running.postgres = pg
        yield running


def as_app(stack: Stack, sql: str, tenant: str) -> str:
    prefix = f"SELECT set_config('app.tenant_id', '{tenant}', false);"
    return stack.postgres.execute(f"SET ROLE timetabler_app; {prefix} {sql}").strip().splitlines()[-1]


def test_an_upload_is_emailed_and_pushed_by_the_worker(
    stack: Stack, sendgrid: FakeSendGrid, push_service: FakePushService
) -> None:
    teacher = register(stack, school=f"Elm {uuid.uuid4().hex[:6]}")
    browser = push_service.subscribe(teacher.client.get("/push/public-key").json()["publicKey"])
    assert teacher.client.post("/me/push-subscriptions", json=browser).status_code == 201
    job = teacher.wait_for_job(teacher.upload(PDF).json()["jobId"])
    assert job["status"] == "completed", stack.log_tail()

    [email] = inbox(sendgrid, teacher.email, 1)
    assert email.subject == f"Your timetable is ready: {PDF.name}"
    assert push_service.wait_for(browser["endpoint"])[0]["jobId"] == job["id"]


def test_notification_rows_are_each_schools_own(stack: Stack) -> None:
    forced = stack.postgres.execute(
        "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
    ).split()
    assert set(TABLES) <= set(forced)

    north, south = register(stack), register(stack)
    chosen = {"email": False, "push": True, "inApp": True}
    assert north.client.put("/me/notification-preferences", json=chosen).json() == chosen
    north_id, south_id = north.user["tenantId"], south.user["tenantId"]
    query = f"SELECT count(*) FROM notification_preferences WHERE user_id = '{north.user['id']}'"
    assert as_app(stack, query, north_id) == "1"
    assert as_app(stack, query, south_id) == "0"  # another school's session sees no row of North's
    assert south.client.get("/me/notification-preferences").json() == {
        "email": True,
        "push": True,
        "inApp": True,
    }
