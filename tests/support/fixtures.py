"""The pytest fixtures every test folder may use (loaded by tests/conftest.py as a plugin)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.support.servers import RedisServer
from tests.support.shared import SharedServers
from tests.support.unsure import unsure_scoring


@pytest.fixture(scope="session")
def shared() -> Iterator[SharedServers]:
    """The session's PostgreSQL, Redis and S3 (each started when first used)."""
    with contextlib.ExitStack() as exits:
        yield SharedServers(exits)


@pytest.fixture(scope="session")
def redis_srv(shared: SharedServers) -> RedisServer:
    """The session's Redis; numbers 0-15 are for tests that use it directly, not for stacks."""
    return shared.redis


@pytest.fixture
def unsure() -> Iterator[None]:
    """Every reading of the in-process app scores low while the test runs, so documents go to review."""
    with unsure_scoring():
        yield
