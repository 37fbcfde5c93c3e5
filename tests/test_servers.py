"""The throwaway servers of tests/support/servers.py really start, serve, and clean up after themselves."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import asyncpg
import pytest
import redis

from tests.support import servers
from tests.support.servers import (
    PostgresServer,
    RedisServer,
    ServerNotInstalledError,
    ServerStartError,
    postgres_server,
    redis_server,
    s3_server,
)


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but still has a /proc entry.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def _postmaster_pid(pg: PostgresServer) -> int:
    return int((pg.data_dir / "postmaster.pid").read_text().splitlines()[0])


def _uid_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid line for {pid}")


# --------------------------------------------------------------------------- PostgreSQL


async def _roundtrip(url: str, table: str) -> list[tuple[int, str]]:
    conn = await asyncpg.connect(url, timeout=10)
    try:
        await conn.execute(f"CREATE TABLE {table} (id int PRIMARY KEY, name text NOT NULL)")
        await conn.executemany(f"INSERT INTO {table} VALUES ($1, $2)", [(1, "Monday"), (2, "Tuesday")])
        rows = await conn.fetch(f"SELECT id, name FROM {table} ORDER BY id")
        return [(row["id"], row["name"]) for row in rows]
    finally:
        await conn.close()


def test_postgres_server_serves_and_cleans_up() -> None:
    with postgres_server() as pg:
        assert pg.url == f"postgresql://postgres@127.0.0.1:{pg.port}/timetabler"
        assert (pg.host, pg.user, pg.database) == ("127.0.0.1", "postgres", "timetabler")
        assert asyncio.run(_roundtrip(pg.url, "lessons")) == [(1, "Monday"), (2, "Tuesday")]
        # The same data through psql, and the server-side settings we rely on.
        assert pg.execute("SELECT count(*) FROM lessons") == "2"
        assert pg.execute("SHOW fsync") == "off"
        assert pg.execute("SHOW listen_addresses") == "127.0.0.1"
        assert pg.socket_dir.is_relative_to(pg.base_dir)
        pid = _postmaster_pid(pg)
        assert _process_alive(pid)
        if os.geteuid() == 0:
            # postgres cannot run as root: it must run under the unprivileged account.
            assert pg.os_user == servers.PG_OS_USER
            assert _uid_of(pid) != 0
        base_dir, port = pg.base_dir, pg.port

    assert not base_dir.exists()
    assert not _accepts_connections(port)
    assert not _process_alive(pid)


def test_postgres_extra_roles_and_databases() -> None:
    with postgres_server() as pg:
        role_url = pg.create_role("app-user", password="s3cr'et:@/x")
        assert role_url.startswith("postgresql://app-user:")
        db_url = pg.create_database("tenant_a", owner="app-user")
        assert db_url == f"postgresql://app-user@127.0.0.1:{pg.port}/tenant_a"
        # The owner can create tables in its own database.
        assert asyncio.run(_roundtrip(db_url, "rooms")) == [(1, "Monday"), (2, "Tuesday")]
        assert (
            pg.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'rooms'", "tenant_a") == "app-user"
        )
        # The URL with the password is well formed (trust auth does not check it, asyncpg parses it).
        assert asyncio.run(_roundtrip(pg.url_for("tenant_a", "app-user", "s3cr'et:@/x"), "t2"))
        pg.create_database("copy_of_a", template="tenant_a")
        assert pg.execute("SELECT count(*) FROM rooms", "copy_of_a") == "2"
        pg.drop_database("copy_of_a")
        assert pg.execute("SELECT count(*) FROM pg_database WHERE datname = 'copy_of_a'") == "0"
        with pytest.raises(servers.ServerError, match="already exists"):
            pg.create_database("tenant_a")


def test_two_postgres_servers_run_side_by_side() -> None:
    with postgres_server() as one, postgres_server() as two:
        assert one.port != two.port and one.base_dir != two.base_dir
        one.execute("CREATE TABLE only_in_one (x int)")
        assert two.execute("SELECT to_regclass('only_in_one') IS NULL") == "t"


# --------------------------------------------------------------------------- Redis


def test_redis_server_serves_and_cleans_up() -> None:
    with redis_server() as rd:
        assert rd.url == f"redis://127.0.0.1:{rd.port}/0"
        client = redis.Redis.from_url(rd.url)
        try:
            assert client.set("timetable:1", "ready")
            assert client.get("timetable:1") == b"ready"
            # Not persisted: no RDB or AOF in its folder.
            assert client.config_get("save") == {"save": ""}
            assert client.config_get("appendonly") == {"appendonly": "no"}
            assert client.config_get("dir")["dir"] == str(rd.base_dir.resolve())
        finally:
            client.close()
        base_dir, port, pid = rd.base_dir, rd.port, rd.pid
        assert _process_alive(pid)

    assert not base_dir.exists()
    assert not _accepts_connections(port)
    assert not _process_alive(pid)


def test_redis_retries_when_its_port_gets_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    # Someone else binds the port between free_port() and the server's bind: the next port is used.
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", 0))
    squatter.listen()
    taken = squatter.getsockname()[1]
    real_free_port = servers.free_port
    ports = iter([taken])
    monkeypatch.setattr(servers, "free_port", lambda: next(ports, None) or real_free_port())
    try:
        with redis_server() as rd:
            assert rd.port != taken
            assert "Address already in use" in rd.log_path.read_text()
            client = redis.Redis.from_url(rd.url)
            assert client.ping()
            client.close()
    finally:
        squatter.close()


# --------------------------------------------------------------------------- S3 (moto)


@pytest.fixture
def hostile_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """A machine with real-looking AWS settings and a dead HTTP proxy: none of it may be used."""
    config = tmp_path / "aws-config"
    config.write_text("[default]\nregion = eu-west-3\nendpoint_url = http://127.0.0.1:9\n")
    credentials = tmp_path / "aws-credentials"
    credentials.write_text("[default]\naws_access_key_id = AKIAREALKEY\naws_secret_access_key = real\n")
    for name, value in {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_PROFILE": "no-such-profile",
        "AWS_ACCESS_KEY_ID": "AKIAREALKEY",
        "AWS_SECRET_ACCESS_KEY": "real",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9",
        "AWS_USE_FIPS_ENDPOINT": "true",
        "AWS_CA_BUNDLE": str(tmp_path / "missing-ca.pem"),
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.mark.usefixtures("hostile_aws_env")
def test_s3_server_serves_without_reading_machine_aws_settings() -> None:
    with s3_server() as s3:
        assert s3.endpoint_url == f"http://127.0.0.1:{s3.port}"
        assert s3.create_bucket("timetables") == "timetables"
        client = s3.client()
        client.put_object(Bucket="timetables", Key="school/1.json", Body=b'{"days": 5}')
        body = client.get_object(Bucket="timetables", Key="school/1.json")["Body"].read()
        assert body == b'{"days": 5}'
        assert [b["Name"] for b in client.list_buckets()["Buckets"]] == ["timetables"]
        port = s3.port
    assert not _accepts_connections(port)


@pytest.mark.usefixtures("hostile_aws_env")
def test_s3_env_points_plain_boto3_at_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    with s3_server() as s3:
        s3.apply_env(monkeypatch)
        # What code under test does: a default client configured only by the environment.
        client = boto3.session.Session().client("s3")
        client.create_bucket(Bucket="from-env")
        client.put_object(Bucket="from-env", Key="k", Body=b"v")
        assert s3.client().get_object(Bucket="from-env", Key="k")["Body"].read() == b"v"


def test_s3_state_does_not_leak_between_servers() -> None:
    with s3_server() as first:
        first.create_bucket("leftover")
    with s3_server() as second:
        assert second.client().list_buckets()["Buckets"] == []


# --------------------------------------------------------------------------- failures


@pytest.mark.parametrize("start", [postgres_server, redis_server], ids=["postgres", "redis"])
def test_server_stopped_and_removed_when_the_test_fails(
    start: Callable[[], AbstractContextManager[PostgresServer | RedisServer]],
) -> None:
    started: list[PostgresServer | RedisServer] = []
    with pytest.raises(RuntimeError, match="test body failed"), start() as srv:
        started.append(srv)
        raise RuntimeError("test body failed")
    (srv,) = started
    assert not srv.base_dir.exists()
    assert not _accepts_connections(srv.port)


def test_start_failure_reports_the_server_log(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    proc = servers._spawn(
        [sys.executable, "-c", "print('FATAL: bad setting'); raise SystemExit(3)"],
        log,
        tmp_path,
        dict(os.environ),
    )
    with pytest.raises(ServerStartError, match=r"(?s)exited with code 3.*FATAL: bad setting"):
        servers._wait_until(lambda: False, proc, "fake-server", log, timeout=30)


def test_start_timeout_is_reported_and_process_can_be_stopped(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    proc = servers._spawn(["sleep", "60"], log, tmp_path, dict(os.environ))
    try:
        with pytest.raises(ServerStartError, match="not ready after"):
            servers._wait_until(lambda: False, proc, "fake-server", log, timeout=0.3)
    finally:
        servers._stop_process(proc, 15, timeout=5)
    assert proc.returncode is not None


def test_missing_binaries_are_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(servers.shutil, "which", lambda _name: None)
    monkeypatch.setattr(servers.os, "access", lambda _path, _mode: False)
    monkeypatch.setattr(servers, "PG_DEBIAN_ROOT", tmp_path)
    with pytest.raises(
        ServerNotInstalledError, match=r"redis-server not found: install Debian's redis-server"
    ):
        servers.find_redis_server()
    with pytest.raises(
        ServerNotInstalledError, match=r"initdb, pg_ctl, postgres.*install Debian's postgresql"
    ):
        servers.find_postgres_bindir()


def test_postgres_found_in_debian_versioned_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Debian's postgresql package does not put initdb on PATH: /usr/lib/postgresql/NN/bin must be found.
    for version in ("13", "15"):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        for name in ("initdb", "pg_ctl", "postgres"):
            (bindir / name).write_text("#!/bin/sh\n")
            (bindir / name).chmod(0o755)
    monkeypatch.setattr(servers.shutil, "which", lambda _name: None)
    monkeypatch.setattr(servers, "PG_DEBIAN_ROOT", tmp_path)
    assert servers.find_postgres_bindir() == tmp_path / "15" / "bin"
