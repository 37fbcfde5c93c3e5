"""The production stack (PostgreSQL, Redis, moto's S3, a separate worker) with small multipart sizes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.shared import SharedServers
from tests.support.stacks import Stack, production_env, running_stack


@pytest.fixture(scope="module")
def s3_stack(tmp_path_factory: pytest.TempPathFactory, shared: SharedServers) -> Iterator[Stack]:
    bucket = shared.bucket_name("timetabler-direct")
    env = {
        **production_env(shared.database(), shared.redis_url(), shared.s3.endpoint_url, bucket),
        "TIMETABLER_DIRECT_UPLOAD_MAX_MB": "10",
        "TIMETABLER_DIRECT_UPLOAD_MULTIPART_MB": "5.5",  # above this: parts of 5 MB
        "TIMETABLER_DIRECT_UPLOAD_PART_MB": "5",
        "TIMETABLER_DIRECT_UPLOAD_EXPIRY_HOURS": "0.001",  # 3.6 s instead of a day
    }
    data_dir = tmp_path_factory.mktemp("direct-s3")
    with running_stack("postgres", data_dir, env, worker=True, migrated=True) as stack:
        stack.s3_bucket, stack.s3_endpoint_url = bucket, shared.s3.endpoint_url
        yield stack
