"""The production stack for the scale tests (PostgreSQL, Redis, S3, `timetabler serve` and workers),
with what the failure tests need: kill a worker process, restart Redis, restart PostgreSQL.

A stack takes its database, Redis number and bucket from the session's servers when given them;
a test that stops or restarts PostgreSQL or Redis starts servers of its own instead."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import servers
from tests.support.accounts import FINAL, Account
from tests.support.servers import PostgresServer, RedisServer
from tests.support.shared import SharedServers
from tests.support.stacks import Stack, production_env, running_stack

# Quick enough for a test: a silent worker is dead after 5 s; the reaper looks every 2 s.
SCALE_ENV = {
    "TIMETABLER_WORKER_HEARTBEAT_TIMEOUT_MS": "5000",
    "TIMETABLER_REAPER_INTERVAL_SECONDS": "2",
    "TIMETABLER_JOB_STALL_SECONDS": "120",
}


@dataclass
class Scale:
    stack: Stack
    pg: PostgresServer  # the server, with url and execute() on the stack's database
    redis: RedisServer
    redis_url: str  # the stack's database number on that server
    cleanups: list[Any]

    def timetables_per_document(self, tenant_id: str) -> dict[str, int]:
        """Counted in PostgreSQL as its superuser (row security does not hide anything from it)."""
        out = self.pg.execute(
            "SELECT document_id, count(*) FROM timetables "
            f"WHERE tenant_id = '{tenant_id}' GROUP BY document_id"
        )
        return {line.split("|")[0]: int(line.split("|")[1]) for line in out.splitlines() if line}


@contextlib.contextmanager
def production_stack(
    data_dir: Path, extra_env: dict[str, str], *, workers: int = 1, shared: SharedServers | None = None
) -> Iterator[Scale]:
    """The stack on ``shared`` (the session's servers), or on servers of its own when None."""
    with contextlib.ExitStack() as stack_of:
        servers = shared or SharedServers(stack_of)
        # The session's template is migrated already; servers of its own migrate when the stack starts.
        migrated = shared is not None
        pg = servers.database(migrated=migrated)
        redis_url, s3_url = servers.redis_url(), servers.s3.endpoint_url
        bucket = servers.bucket_name("timetabler-scale")
        cleanups: list[Any] = []

        def run_cleanups() -> None:  # after the app's processes stop, before the servers' folders go
            for cleanup in reversed(cleanups):
                with contextlib.suppress(Exception):
                    cleanup()

        stack_of.callback(run_cleanups)
        env = {
            **production_env(pg, redis_url, s3_url, bucket),
            **SCALE_ENV,
            **extra_env,
        }
        running = stack_of.enter_context(
            running_stack("scale", data_dir, env, worker=True, worker_count=workers, migrated=migrated)
        )
        running.postgres = pg
        yield Scale(stack=running, pg=pg, redis=servers.redis, redis_url=redis_url, cleanups=cleanups)


def wait_all_final(account: Account, job_ids: list[str], timeout: float = 300) -> dict[str, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    done: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline:
        for job_id in job_ids:
            if job_id in done:
                continue
            response = account.client.get(f"/jobs/{job_id}")
            if response.status_code == 200 and response.json()["status"] in FINAL:
                done[job_id] = response.json()
        if len(done) == len(job_ids):
            return done
        time.sleep(0.5)
    missing = [j for j in job_ids if j not in done]
    raise AssertionError(f"{len(missing)} jobs did not finish: {missing}\n{account.stack.log_tail(80)}")


# --------------------------------------------------------------------------- processes


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def worker_processes(supervisor: subprocess.Popen[bytes]) -> list[int]:
    """The dramatiq worker processes under a `timetabler worker`: supervisor -> dramatiq -> these
    (not deeper: a worker's own children are Tesseract runs)."""
    return [pid for main in children(supervisor.pid) for pid in children(main)]


# --------------------------------------------------------------------------- Redis


def restart_redis(scale: Scale, down_seconds: float = 2.0) -> None:
    """Stop Redis (its data goes with it: the test server keeps nothing) and start it on the same port."""
    redis = scale.redis
    os.kill(redis.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while servers._redis_pings(redis.port):
        assert time.monotonic() < deadline, "redis did not stop"
        time.sleep(0.1)
    time.sleep(down_seconds)
    cmd = [servers.find_redis_server(), "--port", str(redis.port), "--bind", servers.LOOPBACK]
    cmd += ["--save", "", "--appendonly", "no", "--dir", str(redis.base_dir), "--daemonize", "no"]
    cmd += ["--databases", str(redis.databases)]
    proc = servers._spawn(cmd, redis.log_path, redis.base_dir, servers._child_env(redis.base_dir))
    scale.cleanups.append(lambda: servers._stop_process(proc, signal.SIGTERM, timeout=30))
    servers._wait_until(lambda: servers._redis_pings(redis.port), proc, "redis-server", redis.log_path, 30)


# --------------------------------------------------------------------------- PostgreSQL


def _pg_ctl(pg: PostgresServer, *args: str) -> None:
    account = servers._server_account()
    subprocess.run(
        [str(pg.bin_dir / "pg_ctl"), *args, "-D", str(pg.data_dir)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=pg.base_dir,
        env=servers._child_env(pg.base_dir),
        timeout=60,
        check=True,
        **servers._as_user(account),
    )


def stop_postgres(scale: Scale) -> None:
    _pg_ctl(scale.pg, "stop", "-m", "fast", "-w")


def start_postgres(scale: Scale) -> None:
    pg, account = scale.pg, servers._server_account()
    cmd = [str(pg.bin_dir / "postgres"), "-D", str(pg.data_dir), "-p", str(pg.port), "-k", str(pg.socket_dir)]
    proc = servers._spawn(cmd, pg.log_path, pg.base_dir, servers._child_env(pg.base_dir), account)
    scale.cleanups.append(lambda: _pg_ctl(pg, "stop", "-m", "fast", "-w"))
    servers._wait_until(lambda: servers._pg_ready(pg.data_dir, pg.port), proc, "postgres", pg.log_path, 60)
