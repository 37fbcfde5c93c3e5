"""One PostgreSQL, one Redis and one S3 server for the whole test session, handed out in fresh pieces.

Starting a PostgreSQL (initdb, start-up) costs seconds and migrating a database costs a process of
its own; copying a database costs a fraction of a second. So the session starts each server once, the
first time a test needs it, migrates one template database, and gives every stack:

- a database of its own, ``CREATE DATABASE … TEMPLATE`` of the migrated template (or an empty one,
  for tests of the migrations themselves);
- a Redis database number of its own, so queues, rate-limit counts and caches of stacks alive at the
  same time never mix;
- a bucket of its own on the S3 server.

Tests that stop or restart a server (tests/scale, tests/observability's /ready, tests/test_servers.py)
start their own with tests.support.servers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.servers import (
    PostgresServer,
    RedisServer,
    S3Server,
    postgres_server,
    redis_server,
    s3_server,
)
from tests.support.stacks import ROOT, base_env, postgres_env

TEMPLATE = "migrated_template"
# Numbers 0-15 stay free for tests that use the session's Redis directly (redis_srv.url_for(n)).
FIRST_STACK_REDIS_DB = 16
REDIS_DATABASES = 1024


class SharedServers:
    """The session's servers, each started on first use and stopped when the session ends."""

    def __init__(self, exits: contextlib.ExitStack) -> None:
        self._exits = exits
        self._numbers = itertools.count(1)
        self._redis_dbs = itertools.count(FIRST_STACK_REDIS_DB)

    @functools.cached_property
    def postgres(self) -> PostgresServer:
        return self._exits.enter_context(postgres_server())

    @functools.cached_property
    def redis(self) -> RedisServer:
        return self._exits.enter_context(redis_server(databases=REDIS_DATABASES))

    @functools.cached_property
    def s3(self) -> S3Server:
        return self._exits.enter_context(s3_server())

    @functools.cached_property
    def _template(self) -> str:
        """A database migrated once by `timetabler migrate` (as its owner, granted to the app's role)."""
        template = self._database(TEMPLATE, template=None)
        with tempfile.TemporaryDirectory(prefix="timetabler-template-") as data_dir:
            env = {**base_env(Path(data_dir)), **postgres_env(template)}
            done = subprocess.run(
                [sys.executable, "-m", "core.cli", "migrate"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        assert done.returncode == 0, f"migrating the template database failed:\n{done.stderr[-4000:]}"
        return TEMPLATE

    def database(self, *, migrated: bool = True) -> PostgresServer:
        """A new database: the server, with ``url`` and ``execute`` pointing at that database."""
        template = self._template if migrated else None
        return self._database(f"stack_{next(self._numbers)}", template=template)

    def _database(self, name: str, template: str | None) -> PostgresServer:
        self.postgres.create_database(name, template=template)
        return dataclasses.replace(self.postgres, database=name)

    def redis_url(self) -> str:
        """A Redis database number no other stack of the session uses (so it starts empty)."""
        number = next(self._redis_dbs)
        assert number < REDIS_DATABASES, "the session's Redis has no database numbers left"
        return self.redis.url_for(number)

    def bucket_name(self, prefix: str = "timetabler") -> str:
        """A bucket name no other stack of the session uses (production_env makes the bucket)."""
        return f"{prefix}-{next(self._numbers)}"
