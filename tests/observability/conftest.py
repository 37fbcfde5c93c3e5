"""Both stacks with observability turned on: JSON logs, spans to a file, worker metrics on a port.

The production stack runs on a Redis server these tests can stop and start again on the same port
(for /ready), so it is started here rather than with tests.support.servers.redis_server.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.servers import find_redis_server, free_port
from tests.support.shared import SharedServers
from tests.support.stacks import Stack, production_env, running_stack

METRICS_TOKEN = "metrics-token-for-tests-0123456789"


class RestartableRedis:
    """A redis-server on a fixed loopback port that a test can stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="timetabler-obs-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [find_redis_server(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.dir), "--daemonize", "no", "--logfile", ""]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                __import__("socket").create_connection(("127.0.0.1", self.port), timeout=0.5) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class ObservedStack:
    stack: Stack
    spans_file: Path
    worker_metrics_url: str | None = None
    redis: RestartableRedis | None = None
    token: str | None = None

    @property
    def serve_log(self) -> Path:
        return self.stack.data_dir / "serve.log"

    @property
    def worker_log(self) -> Path:
        return self.stack.data_dir / "worker.log"

    def metrics(self, url: str | None = None) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = httpx.get(url or self.stack.base_url + "/metrics", headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        return parse_metrics(response.text)

    def spans(self) -> list[dict[str, Any]]:
        if not self.spans_file.exists():
            return []
        return [json.loads(line) for line in self.spans_file.read_text().splitlines() if line.strip()]


def parse_metrics(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample as {(name, sorted labels): value}."""
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    """The sum of the samples of ``name`` whose labels include ``labels`` (0 when there are none)."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= set(ls))


def json_lines(path: Path) -> list[dict[str, Any]]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            parsed = json.loads(line)
            if isinstance(parsed, dict):
                lines.append(parsed)
    return lines


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObservedStack]:
    data_dir = tmp_path_factory.mktemp("obs-embedded")
    spans = data_dir / "spans.jsonl"
    env = {"TIMETABLER_LOG_FORMAT": "json", "TIMETABLER_OTEL_FILE": str(spans)}
    with running_stack("sqlite", data_dir, env, worker=False) as stack:
        yield ObservedStack(stack=stack, spans_file=spans)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory, shared: SharedServers) -> Iterator[ObservedStack]:
    data_dir = tmp_path_factory.mktemp("obs-production")
    spans = data_dir / "spans.jsonl"
    redis = RestartableRedis()
    redis.start()
    try:
        worker_port = free_port()
        bucket = shared.bucket_name("timetabler-obs")
        env = {
            **production_env(shared.database(), redis.url, shared.s3.endpoint_url, bucket),
            "TIMETABLER_LOG_FORMAT": "json",
            "TIMETABLER_OTEL_FILE": str(spans),
            "TIMETABLER_METRICS_TOKEN": METRICS_TOKEN,
            "TIMETABLER_WORKER_METRICS_PORT": str(worker_port),
            "TIMETABLER_WORKER_METRICS_HOST": "127.0.0.1",
        }
        with running_stack("postgres", data_dir, env, worker=True, migrated=True) as stack:
            yield ObservedStack(
                stack=stack,
                spans_file=spans,
                worker_metrics_url=f"http://127.0.0.1:{worker_port}/metrics",
                redis=redis,
                token=METRICS_TOKEN,
            )
    finally:
        redis.close()
