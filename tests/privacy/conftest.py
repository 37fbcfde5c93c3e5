"""Both stacks again (SQLite + in-process worker; PostgreSQL + Redis + S3 + worker process), with
what the privacy features need: an encryption key (and an older one, for rotation), an https
public URL (HSTS, secure cookies) and a short maintenance interval (the periodic retention purge).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet

from tests.support.shared import SharedServers
from tests.support.stacks import Stack, production_env, running_stack

NEW_KEY = Fernet.generate_key().decode()
OLD_KEY = Fernet.generate_key().decode()
PUBLIC_URL = "https://timetabler.test"
PRIVACY_ENV = {
    "TIMETABLER_ENCRYPTION_KEY": f"{NEW_KEY},{OLD_KEY}",
    "TIMETABLER_PUBLIC_URL": PUBLIC_URL,
    "TIMETABLER_MAINTENANCE_INTERVAL_SECONDS": "1",
}


@pytest.fixture(scope="package", params=["sqlite", "postgres"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared: SharedServers
) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp(f"privacy-{request.param}")
    if request.param == "sqlite":
        with running_stack("sqlite", data_dir, PRIVACY_ENV, worker=False) as running:
            yield running
        return
    pg, bucket = shared.database(), shared.bucket_name("timetabler-privacy")
    env = {**PRIVACY_ENV, **production_env(pg, shared.redis_url(), shared.s3.endpoint_url, bucket)}
    with running_stack("postgres", data_dir, env, worker=True, migrated=True) as running:
        running.s3_bucket, running.s3_endpoint_url = bucket, shared.s3.endpoint_url
        running.postgres = pg
        yield running
