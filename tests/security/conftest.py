"""The security suite runs against `timetabler serve` on the embedded defaults (SQLite, in-process
worker), the stack where a crash in a reader would take the worker down with the server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notifications.conftest import API_KEY, email_env
from tests.support.fakes.sendgrid_server import FakeSendGrid
from tests.support.shared import SharedServers
from tests.support.stacks import Stack, postgres_env, running_stack

# Every test here signs in from 127.0.0.1 and the fuzzer fails sign-ins by the hundred: the per-address
# limit is tested on a stack of its own (throttle_stack), so here it is out of the way.
OPEN_ADDRESS = {"TIMETABLER_LOGIN_MAX_FAILURES_PER_IP": "100000"}


@pytest.fixture(scope="package")
def sqlite_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("security-stack")
    with running_stack("sqlite", folder, OPEN_ADDRESS, worker=False) as running:
        yield running


@pytest.fixture(scope="package")
def throttle_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Four failures per address; 127.0.0.1 is a trusted proxy (its X-Forwarded-For is believed)."""
    env = {"TIMETABLER_LOGIN_MAX_FAILURES_PER_IP": "4", "TIMETABLER_TRUSTED_PROXIES": "127.0.0.1"}
    with running_stack("sqlite", tmp_path_factory.mktemp("throttle-stack"), env, worker=False) as running:
        yield running


@pytest.fixture(scope="package")
def sendgrid() -> Iterator[FakeSendGrid]:
    """The fake SendGrid the mailing stacks send through (each test reads its own address's mail)."""
    with FakeSendGrid(api_key=API_KEY) as fake:
        yield fake


@pytest.fixture(scope="package")
def postgres_stack(
    tmp_path_factory: pytest.TempPathFactory, shared: SharedServers, sendgrid: FakeSendGrid
) -> Iterator[Stack]:
    """PostgreSQL (the app's role owns nothing, so row-level security binds it) with Redis and a
    separate worker, mailing through the fake SendGrid: sessions, throttling and password reset
    must work under row security too."""
    pg = shared.database()
    env = {**OPEN_ADDRESS, **email_env(sendgrid), **postgres_env(pg, shared.redis_url())}
    with running_stack(
        "postgres", tmp_path_factory.mktemp("security-pg"), env, worker=True, migrated=True
    ) as running:
        running.postgres = pg
        yield running
