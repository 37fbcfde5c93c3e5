"""Runs Timetabler as a user would: `timetabler serve` (and `timetabler worker`) as real processes.

Two stacks: the embedded defaults (SQLite, local files, in-process worker) and production parts
(PostgreSQL, a Redis broker with a separate worker process, S3 storage on a local S3 server).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import httpx

from tests.support.servers import PostgresServer, free_port  # noqa: F401 (free_port: the realtime suite imports it from here)

SECRET_KEY = "test-secret-key-for-signing-tokens-0123456789"
MAX_UPLOAD_MB = "2"
ROOT = Path(__file__).resolve().parents[2]  # the repository: tests/support/stacks.py


@dataclass
class Stack:
    name: str
    base_url: str
    data_dir: Path
    env: dict[str, str]
    logs: list[Path] = field(default_factory=list)
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    postgres: Any = None  # the PostgreSQL server of the production stack
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)  # `timetabler worker` processes

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url + "/api/v1", headers=headers, timeout=60)

    def log_tail(self, lines: int = 60) -> str:
        out = []
        for path in self.logs:
            text = path.read_text(errors="replace").splitlines() if path.exists() else []
            out.append(f"--- {path.name} ---\n" + "\n".join(text[-lines:]))
        return "\n".join(out)


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "core.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# Only how long a server may take to start before the test gives up; a ready server is seen at once.
# Two workers on a busy two-core machine took more than 60 s to import and start `serve`.
READY_TIMEOUT = 180.0


def _wait_ready(
    base_url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = READY_TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"timetabler serve exited with {process.returncode}:\n{log.read_text()[-4000:]}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base_url + "/health", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"timetabler serve did not answer within {timeout}s:\n{log.read_text()[-4000:]}")


def s3_client(endpoint_url: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


APP_ROLE = "timetabler_app"
APP_PASSWORD = "app-password"


def app_role_url(pg: PostgresServer) -> str:
    """The URL of ``pg``'s database as the app's role, which owns nothing, so row-level security
    binds it. A role belongs to the whole server: made the first time, shared by its databases."""
    pg.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{APP_ROLE}') THEN CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB "
        f"PASSWORD '{APP_PASSWORD}'; END IF; END $$",
        database="postgres",
    )
    return pg.url_for(pg.database, user=APP_ROLE, password=APP_PASSWORD)


def postgres_env(pg: PostgresServer, redis_url: str | None = None) -> dict[str, str]:
    """A stack's settings for PostgreSQL (and Redis, the broker of separate workers): the app
    connects as its role; migrations run as the tables' owner."""
    env = {"TIMETABLER_DATABASE_URL": app_role_url(pg), "TIMETABLER_MIGRATION_DATABASE_URL": pg.url}
    if redis_url is not None:
        env["TIMETABLER_REDIS_URL"] = redis_url
    return env


def production_env(pg: PostgresServer, redis_url: str, s3_endpoint_url: str, bucket: str) -> dict[str, str]:
    """The production stack's settings (PostgreSQL, Redis, S3), with its bucket made."""
    s3_client(s3_endpoint_url).create_bucket(Bucket=bucket)
    return {
        **postgres_env(pg, redis_url),
        "TIMETABLER_S3_BUCKET": bucket,
        "TIMETABLER_S3_ENDPOINT_URL": s3_endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


def base_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMETABLER_")}
    env.update(
        TIMETABLER_DATA_DIR=str(data_dir),
        TIMETABLER_SECRET_KEY=SECRET_KEY,
        TIMETABLER_MAX_UPLOAD_MB=MAX_UPLOAD_MB,
        TIMETABLER_ACCESS_TOKEN_MINUTES="30",
        TIMETABLER_PASSWORD_HASH_PROFILE="cheapest",  # as in-process (tests/conftest.py)
        PYTHONUNBUFFERED="1",
    )
    return env


@contextlib.contextmanager
def running_stack(
    name: str,
    data_dir: Path,
    extra_env: dict[str, str],
    *,
    worker: bool,
    worker_count: int = 1,
    migrated: bool = False,
) -> Iterator[Stack]:
    """`timetabler serve`, and with ``worker`` `timetabler worker` processes on Redis.

    A stack with separate workers runs `timetabler migrate` first (`serve` leaves migrations to it),
    unless ``migrated``: its database is a copy of the session's migrated template (shared.py), on
    which migrate would only find nothing to do.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**base_env(data_dir), **extra_env}
    port = free_port()
    stack = Stack(name=name, base_url=f"http://127.0.0.1:{port}", data_dir=data_dir, env=env)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        if worker and not migrated:
            migrate_log = data_dir / "migrate.log"
            result = subprocess.run(
                [sys.executable, "-m", "core.cli", "migrate"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            migrate_log.write_text(result.stdout + result.stderr)
            if result.returncode != 0:
                raise RuntimeError(f"timetabler migrate failed:\n{result.stderr[-4000:]}")
        if worker:
            for _ in range(worker_count):
                processes.append(start_worker(stack))
        serve_log = data_dir / "serve.log"
        stack.logs.insert(0, serve_log)
        server = _start(["serve", "--host", "127.0.0.1", "--port", str(port)], env, serve_log)
        processes.append(server)
        _wait_ready(stack.base_url, server, serve_log)
        yield stack
    finally:
        for process in reversed([*processes, *(w for w in stack.workers if w not in processes)]):
            _stop(process)


def start_worker(stack: Stack, *args: str) -> subprocess.Popen[bytes]:
    """One more `timetabler worker` on the stack (its own log; stopped with the stack)."""
    log = stack.data_dir / ("worker.log" if not stack.workers else f"worker-{len(stack.workers) + 1}.log")
    stack.logs.append(log)
    process = _start(["worker", *(args or ("--processes", "1", "--threads", "4"))], stack.env, log)
    stack.workers.append(process)
    return process
