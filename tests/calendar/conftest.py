"""Calendar tests run the real app: on the embedded defaults, and on PostgreSQL with row-level
security binding the app's role (in-process worker: these tests upload nothing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.accounts import Account, invite, register
from tests.support.shared import SharedServers
from tests.support.stacks import Stack, postgres_env, running_stack


@pytest.fixture(scope="package", params=["sqlite", "postgres"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared: SharedServers
) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp(f"calendar-{request.param}")
    if request.param == "sqlite":
        with running_stack("sqlite", data_dir, {}, worker=False) as running:
            yield running
        return
    pg = shared.database()  # migrated (and granted to the app's role) from the session's template
    with running_stack("postgres", data_dir, postgres_env(pg), worker=False) as running:
        running.postgres = pg
        yield running


class School:
    """A school made through the API: its admin (who registered it) and a teacher they invited."""

    def __init__(self, stack: Stack) -> None:
        self.admin: Account = register(stack, name="Grace Admin")
        self.teacher: Account = invite(self.admin, name="Ada Teacher")
        self.id: str = self.admin.user["tenantId"]

    def set(self, **settings: object) -> None:
        response = self.admin.client.put(f"/schools/{self.id}/settings", json=settings)
        assert response.status_code == 200, response.text


@pytest.fixture
def school(stack: Stack) -> School:
    return School(stack)
