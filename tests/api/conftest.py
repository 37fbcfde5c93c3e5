"""The API suite runs twice: on the embedded defaults and on PostgreSQL + Redis + S3."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.accounts import Account, make_district, platform_admin, register
from tests.support.shared import SharedServers
from tests.support.stacks import Stack, production_env, running_stack


@pytest.fixture(scope="package", params=["sqlite", "postgres"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared: SharedServers
) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp(f"stack-{request.param}")
    if request.param == "sqlite":
        with running_stack("sqlite", data_dir, {}, worker=False) as running:
            yield running
        return
    pg, bucket = shared.database(), shared.bucket_name()
    env = production_env(pg, shared.redis_url(), shared.s3.endpoint_url, bucket)
    with running_stack("postgres", data_dir, env, worker=True, migrated=True) as running:
        running.s3_bucket, running.s3_endpoint_url = bucket, shared.s3.endpoint_url
        running.postgres = pg
        yield running


@pytest.fixture
def teacher(stack: Stack) -> Account:
    return register(stack)


@pytest.fixture(scope="package")
def districts(stack: Stack) -> tuple[Any, Any]:
    """Two districts (North, South), each with one school and its admin, teacher and reviewer."""
    root = platform_admin(stack)
    return make_district(root, "North"), make_district(root, "South")
