"""Calendar tests run the real app: on the embedded defaults, and on PostgreSQL with row-level
security binding the app's role (in-process worker: these tests upload nothing)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.api.conftest import Account, invite, register
from tests.servers import postgres_server
from tests.stack import ROOT, Stack, base_env, running_stack


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp(f"calendar-{request.param}")
    if request.param == "sqlite":
        with running_stack("sqlite", data_dir, {}, worker=False) as running:
            yield running
        return
    with postgres_server() as pg:
        env = {
            "TIMETABLER_DATABASE_URL": pg.create_role("timetabler_app", password="app-password"),
            "TIMETABLER_MIGRATION_DATABASE_URL": pg.url,
        }
        migrated = subprocess.run(
            [sys.executable, "-m", "core.cli", "migrate"],
            cwd=ROOT,
            env={**base_env(data_dir), **env},
            capture_output=True,
            text=True,
        )
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        with running_stack("postgres", data_dir, env, worker=False) as running:
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
