"""Real `timetabler serve` processes for the WebSocket tests: the embedded default, and two app
servers on one Redis and one PostgreSQL with a separate `timetabler worker`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DOCUMENTS
from tests.support.accounts import Account
from tests.support.shared import SharedServers
from tests.support.stacks import (
    ROOT,
    Stack,
    _start,
    _stop,
    _wait_ready,
    base_env,
    free_port,
    postgres_env,
    running_stack,
)

PNG = DOCUMENTS / "000_days_cols_png.png"  # read by OCR: takes a few seconds
AUTH_TIMEOUT = "2"  # seconds a socket may stay silent before it must have signed in
HEARTBEAT = "1"  # seconds without traffic before the server pings


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp("realtime-embedded")
    env = {"TIMETABLER_WS_AUTH_TIMEOUT_SECONDS": AUTH_TIMEOUT, "TIMETABLER_WS_HEARTBEAT_SECONDS": HEARTBEAT}
    with running_stack("sqlite", data_dir, env, worker=False) as stack:
        yield stack


@dataclass
class Cluster:
    one: Stack
    two: Stack


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared: SharedServers
) -> Iterator[Cluster]:
    """Two app servers and one worker sharing Redis, a files folder and a database (a SQLite file,
    or PostgreSQL with row-level security binding the app's role)."""
    data_dir = tmp_path_factory.mktemp(f"realtime-cluster-{request.param}")
    env = {**base_env(data_dir), "TIMETABLER_REDIS_URL": shared.redis_url()}
    if request.param == "postgres":  # a copy of the session's migrated template
        env.update(postgres_env(shared.database()))
    else:  # migrated before the two servers start, so they do not both migrate the same file at once
        migrated = subprocess.run(
            [sys.executable, "-m", "core.cli", "migrate"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert migrated.returncode == 0, migrated.stderr[-4000:]
    yield from _cluster(data_dir, env)


def _cluster(data_dir: Path, env: dict[str, str]) -> Iterator[Cluster]:
    logs = [data_dir / "worker.log", data_dir / "serve-1.log", data_dir / "serve-2.log"]
    processes = [_start(["worker", "--processes", "1", "--threads", "2"], env, logs[0])]
    ports = [free_port()]
    while len(ports) < 2:
        ports += {free_port()} - set(ports)
    urls, serve_logs = [f"http://127.0.0.1:{port}" for port in ports], logs[1:]
    try:
        # Both servers start at once (each takes seconds to import); then each must answer.
        for port, log in zip(ports, serve_logs, strict=True):
            processes.append(_start(["serve", "--host", "127.0.0.1", "--port", str(port)], env, log))
        for url, server, log in zip(urls, processes[1:], serve_logs, strict=True):
            _wait_ready(url, server, log)
        yield Cluster(
            *(
                Stack(log.stem, url, data_dir, env, logs=logs)
                for url, log in zip(urls, serve_logs, strict=True)
            )
        )
    finally:
        for process in reversed(processes):
            _stop(process)


def accept_everything(admin: Account) -> None:
    """The school takes any reading as final, so an OCR'd photo completes without a review."""
    school = admin.user["tenantId"]
    lower = {"acceptThreshold": 0.0, "secondaryOcrThreshold": 0.0, "llmThreshold": 0.0}
    response = admin.client.put(f"/schools/{school}/settings", json=lower)
    assert response.status_code == 200, response.text
