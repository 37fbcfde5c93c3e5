"""Real, throwaway servers for the test suite: PostgreSQL, Redis and S3 (moto).

Each server listens on a free 127.0.0.1 port, keeps its files in a temporary folder and is
stopped (and the folder removed) when its ``with`` block ends, even when the block raises:

    with postgres_server() as pg, redis_server() as rd, s3_server() as s3:
        ...  # pg.url, rd.url, s3.endpoint_url

For pytest, tests/support/shared.py keeps one of each for the whole session (the ``shared`` fixture
of tests/support/fixtures.py, which tests/conftest.py loads for every test).

No docker: the binaries come from Debian packages that .ci/run installs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3.session
    import pytest

__all__ = [
    "PostgresServer",
    "RedisServer",
    "S3Server",
    "ServerError",
    "ServerNotInstalledError",
    "ServerStartError",
    "free_port",
    "postgres_server",
    "redis_server",
    "s3_server",
]

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
# postgres refuses to run as root; as root we run it as this unprivileged account (created if missing).
PG_OS_USER = "timetabler-test"
PG_SUPERUSER = "postgres"
PG_DATABASE = "timetabler"
PG_DEBIAN_ROOT = Path("/usr/lib/postgresql")  # Debian's postgresql-NN packages: /usr/lib/postgresql/NN/bin
# A free port can be taken by someone else between picking it and binding it: retry with a new one.
PORT_ATTEMPTS = 3
_PORT_TAKEN_MARKERS = (
    "Address already in use",
    "could not bind",
    "Could not create server TCP listening socket",
)


class ServerError(RuntimeError):
    """A test server could not be set up, started or used."""


class ServerNotInstalledError(ServerError):
    """The server's binary is not installed on this machine."""


class ServerStartError(ServerError):
    """The server process did not come up; the message carries the end of its log."""


class _PortTakenError(ServerStartError):
    pass


# --------------------------------------------------------------------------- shared helpers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def _log_tail(path: Path, max_lines: int = 60, max_chars: int = 6000) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no log at {path}: {exc})"
    tail = "\n".join(text.splitlines()[-max_lines:])[-max_chars:]
    return tail or "(log is empty)"


def _failure(kind: type[ServerStartError], what: str, log: Path, detail: str) -> ServerStartError:
    return kind(f"{what} failed to start: {detail}\n--- last lines of {log} ---\n{_log_tail(log)}")


def _world_traversable(path: Path) -> bool:
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in (path, *path.parents))


def _make_temp_dir(prefix: str, owner: pwd.struct_passwd | None) -> Path:
    base = Path(tempfile.gettempdir())
    # The unprivileged server account must be able to reach its folder (TMPDIR could be under /root).
    if owner is not None and not _world_traversable(base):
        base = Path("/tmp")
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    if owner is not None:
        os.chown(path, owner.pw_uid, owner.pw_gid)
    return path


def _pdeathsig_prefix(sig: str) -> list[str]:
    """Wrap a command so the kernel signals it when we die without cleaning up.

    That covers pytest being killed hard (SIGKILL, pytest-timeout's thread method, CI limits), where
    no ``finally`` runs. The signal fires when the *thread* that started the child exits, so it is only
    used from the main thread.
    """
    setpriv = shutil.which("setpriv")
    if setpriv is None or threading.current_thread() is not threading.main_thread():
        return []
    return [setpriv, "--pdeathsig", sig, "--"]


def _as_user(account: pwd.struct_passwd | None) -> dict[str, Any]:
    if account is None:
        return {}
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def _child_env(home: Path, **extra: str) -> dict[str, str]:
    # Drop PG* variables (PGHOST, PGDATABASE, PGSERVICE...) and point HOME at the temp dir so no
    # ~/.psqlrc, ~/.pgpass or locale setting of the developer's leaks into the servers.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(HOME=str(home), LC_ALL="C", LANG="C")
    env.update(extra)
    return env


def _spawn(
    cmd: list[str], log: Path, cwd: Path, env: dict[str, str], account: pwd.struct_passwd | None = None
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            # Own session: a Ctrl-C aimed at pytest must not kill the server before our cleanup runs.
            start_new_session=True,
            **_as_user(account),
        )


def _stop_process(proc: subprocess.Popen[bytes], first_signal: int | None, timeout: float) -> None:
    """Signal, wait, and escalate to SIGKILL; always reaps the child."""
    if proc.poll() is not None:
        return
    if first_signal is not None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(first_signal)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=timeout)
            return
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    proc.wait(timeout=timeout)


@contextlib.contextmanager
def _timeout_as_start_error(what: str, log: Path) -> Iterator[None]:
    try:
        yield
    except subprocess.TimeoutExpired as exc:
        raise _failure(ServerStartError, what, log, f"timed out after {exc.timeout:.0f}s") from exc


def _wait_until(
    ready: Callable[[], bool], proc: subprocess.Popen[bytes], what: str, log: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        if proc.poll() is not None:
            kind = (
                _PortTakenError if any(m in _log_tail(log) for m in _PORT_TAKEN_MARKERS) else ServerStartError
            )
            raise _failure(kind, what, log, f"the process exited with code {proc.returncode}")
        if ready():
            return
        if time.monotonic() > deadline:
            raise _failure(ServerStartError, what, log, f"not ready after {timeout:.0f}s")
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


# --------------------------------------------------------------------------- PostgreSQL


def _pg_version_key(bindir: Path) -> int:
    name = bindir.parent.name
    return int(name) if name.isdigit() else 0


def find_postgres_bindir() -> Path:
    """The folder holding initdb, pg_ctl and postgres: PATH first, then Debian's versioned folders."""
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        # /usr/local/bin/initdb may be a symlink into /usr/lib/postgresql/NN/bin, which also has psql.
        candidates += [Path(on_path).parent, Path(on_path).resolve().parent]
    candidates += sorted(PG_DEBIAN_ROOT.glob("*/bin"), key=_pg_version_key, reverse=True)
    for bindir in candidates:
        if all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return bindir
    raise ServerNotInstalledError(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH nor in "
        "/usr/lib/postgresql/*/bin: install Debian's postgresql package (see .ci/run)"
    )


def _find_psql(bindir: Path) -> str:
    if os.access(bindir / "psql", os.X_OK):
        return str(bindir / "psql")
    psql = shutil.which("psql")
    if psql is None:
        raise ServerNotInstalledError(
            "psql not found: install Debian's postgresql-client package (see .ci/run)"
        )
    return psql


def _server_account() -> pwd.struct_passwd | None:
    """None when we are not root; otherwise the unprivileged account to run postgres as."""
    if os.geteuid() != 0:
        return None
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(PG_OS_USER)
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    cmd = [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent"]
    cmd += ["--shell", "/usr/sbin/nologin", PG_OS_USER]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        detail = done.stderr.strip()
    except OSError as exc:
        detail = str(exc)
    try:
        # Also succeeds when a concurrent test process created the account first.
        return pwd.getpwnam(PG_OS_USER)
    except KeyError:
        raise ServerError(
            f"postgres refuses to run as root, and creating the system user {PG_OS_USER!r} failed: {detail}"
        ) from None


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class PostgresServer:
    """A running PostgreSQL; trust auth on 127.0.0.1, so no password is needed for ``user``."""

    host: str
    port: int
    user: str  # database superuser role
    database: str  # created at start-up: "timetabler"
    os_user: str  # the OS account the server runs as
    base_dir: Path  # temp folder with everything below; removed on stop
    data_dir: Path
    socket_dir: Path
    log_path: Path
    bin_dir: Path
    psql: str

    @property
    def url(self) -> str:
        return self.url_for(self.database)

    def url_for(
        self, database: str | None = None, user: str | None = None, password: str | None = None
    ) -> str:
        """postgresql://user[:password]@127.0.0.1:port/database"""
        auth = urllib.parse.quote(user or self.user, safe="")
        if password is not None:
            auth += ":" + urllib.parse.quote(password, safe="")
        return f"postgresql://{auth}@{self.host}:{self.port}/{database or self.database}"

    def execute(self, sql: str, database: str | None = None) -> str:
        """Run SQL through psql as the superuser; returns unaligned, tuples-only output."""
        cmd = [self.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        cmd += ["-h", self.host, "-p", str(self.port), "-U", self.user, "-d", database or self.database]
        cmd += ["-c", sql]
        env = _child_env(self.base_dir, PGCONNECT_TIMEOUT="10")
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ServerError(f"psql timed out running {sql!r}") from exc
        if done.returncode != 0:
            raise ServerError(f"psql failed ({done.returncode}) running {sql!r}: {done.stderr.strip()}")
        return done.stdout.strip()

    def create_role(
        self, name: str, password: str | None = None, *, superuser: bool = False, createdb: bool = False
    ) -> str:
        """CREATE ROLE ... LOGIN; returns a URL for the main database as that role."""
        options = [
            "LOGIN",
            "SUPERUSER" if superuser else "NOSUPERUSER",
            "CREATEDB" if createdb else "NOCREATEDB",
        ]
        if password is not None:
            options.append("PASSWORD " + _quote_literal(password))
        self.execute(f"CREATE ROLE {_quote_ident(name)} {' '.join(options)}", database="postgres")
        return self.url_for(self.database, user=name, password=password)

    def create_database(self, name: str, owner: str | None = None, template: str | None = None) -> str:
        """CREATE DATABASE; returns its URL (as ``owner`` if given, else the superuser)."""
        sql = f"CREATE DATABASE {_quote_ident(name)}"
        if owner is not None:
            sql += f" OWNER {_quote_ident(owner)}"
        if template is not None:
            sql += f" TEMPLATE {_quote_ident(template)}"
        self.execute(sql, database="postgres")
        return self.url_for(name, user=owner)

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {_quote_ident(name)} WITH (FORCE)", database="postgres")


_PG_CONF = """
# --- added by tests/support/servers.py: throwaway test server, speed over durability
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
# One server serves every stack of the session, each with its own database and connections.
max_connections = 300
unix_socket_permissions = 0700
log_line_prefix = '%m [%p] '
"""

# Trust on the private socket folder and on 127.0.0.1 only (no ::1, no other hosts).
_PG_HBA = """\
local all all trust
host all all 127.0.0.1/32 trust
"""


def _pg_ready(data_dir: Path, port: int) -> bool:
    # The postmaster writes "ready" as line 8 of postmaster.pid once it accepts connections
    # (this is what pg_ctl -w polls too); no client connection needed.
    try:
        lines = (data_dir / "postmaster.pid").read_text().splitlines()
    except OSError:
        return False
    return len(lines) >= 8 and lines[3].strip() == str(port) and lines[7].strip() == "ready"


def _stop_postgres(
    proc: subprocess.Popen[bytes],
    pg_ctl: Path,
    data_dir: Path,
    log: Path,
    env: dict[str, str],
    account: pwd.struct_passwd | None,
) -> None:
    if proc.poll() is not None:
        return
    with log.open("ab") as out, contextlib.suppress(subprocess.TimeoutExpired, OSError):
        subprocess.run(
            [str(pg_ctl), "stop", "-D", str(data_dir), "-m", "fast", "-w", "-t", str(int(STOP_TIMEOUT))],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=data_dir.parent,
            env=env,
            timeout=STOP_TIMEOUT + 5,
            check=False,
            **_as_user(account),
        )
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=STOP_TIMEOUT)
        return
    # pg_ctl failed or hung: SIGQUIT is postgres' "immediate" shutdown, then SIGKILL.
    _stop_process(proc, signal.SIGQUIT, timeout=10)


@contextlib.contextmanager
def postgres_server(start_timeout: float = START_TIMEOUT) -> Iterator[PostgresServer]:
    """Start a throwaway PostgreSQL with a ``timetabler`` database; stop it and delete its files on exit."""
    bindir = find_postgres_bindir()
    psql = _find_psql(bindir)
    account = _server_account()
    base = _make_temp_dir("timetabler-pg-", account)
    data_dir, socket_dir = base / "data", base / "sock"
    log = base / "postgres.log"
    env = _child_env(base)
    proc: subprocess.Popen[bytes] | None = None
    try:
        socket_dir.mkdir(mode=0o700)
        if account is not None:
            os.chown(socket_dir, account.pw_uid, account.pw_gid)
        initdb_log = base / "initdb.log"
        initdb = [str(bindir / "initdb"), "-D", str(data_dir), "-U", PG_SUPERUSER, "--auth=trust"]
        initdb += ["-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]
        with initdb_log.open("ab") as out, _timeout_as_start_error("initdb", initdb_log):
            done = subprocess.run(
                initdb,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=base,
                env=env,
                timeout=start_timeout,
                check=False,
                **_as_user(account),
            )
        if done.returncode != 0:
            raise _failure(ServerStartError, "initdb", initdb_log, f"exit code {done.returncode}")
        # Append/overwrite keeps the files owned by the server account.
        with (data_dir / "postgresql.conf").open("a") as conf:
            conf.write(_PG_CONF)
        (data_dir / "pg_hba.conf").write_text(_PG_HBA)

        for attempt in range(1, PORT_ATTEMPTS + 1):
            port = free_port()
            cmd = [*_pdeathsig_prefix("INT"), str(bindir / "postgres"), "-D", str(data_dir)]
            cmd += ["-p", str(port), "-k", str(socket_dir)]
            proc = _spawn(cmd, log, base, env, account)
            try:
                _wait_until(lambda p=port: _pg_ready(data_dir, p), proc, "postgres", log, start_timeout)
                break
            except _PortTakenError:
                _stop_process(proc, signal.SIGQUIT, timeout=10)
                if attempt == PORT_ATTEMPTS:
                    raise

        server = PostgresServer(
            host=LOOPBACK,
            port=port,
            user=PG_SUPERUSER,
            database=PG_DATABASE,
            os_user=account.pw_name if account is not None else pwd.getpwuid(os.geteuid()).pw_name,
            base_dir=base,
            data_dir=data_dir,
            socket_dir=socket_dir,
            log_path=log,
            bin_dir=bindir,
            psql=psql,
        )
        server.execute(f"CREATE DATABASE {_quote_ident(PG_DATABASE)}", database="postgres")
        yield server
    finally:
        try:
            if proc is not None:
                _stop_postgres(proc, bindir / "pg_ctl", data_dir, log, env, account)
        finally:
            shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------- Redis


@dataclass(frozen=True)
class RedisServer:
    host: str
    port: int
    pid: int
    base_dir: Path  # temp folder (its --dir); removed on stop
    log_path: Path
    databases: int = 16  # how many numbered databases it has

    @property
    def url(self) -> str:
        return self.url_for(0)

    def url_for(self, db: int = 0) -> str:
        return f"redis://{self.host}:{self.port}/{db}"


def _redis_pings(port: int) -> bool:
    # Raw RESP so readiness does not depend on the redis package.
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def find_redis_server() -> str:
    found = shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.access(p, os.X_OK)), None
    )
    if found is None:
        raise ServerNotInstalledError("redis-server not found: install Debian's redis-server (see .ci/run)")
    return found


@contextlib.contextmanager
def redis_server(start_timeout: float = START_TIMEOUT, databases: int = 16) -> Iterator[RedisServer]:
    """Start a throwaway, non-persistent redis-server; stop it and delete its folder on exit.

    ``databases``: how many numbered databases it has (a session's shared server gives each stack one).
    """
    binary = find_redis_server()
    base = _make_temp_dir("timetabler-redis-", None)
    log = base / "redis.log"
    proc: subprocess.Popen[bytes] | None = None
    try:
        for attempt in range(1, PORT_ATTEMPTS + 1):
            port = free_port()
            # No config file: Debian's /etc/redis/redis.conf (port 6379, its own dir) stays out of it.
            cmd = [*_pdeathsig_prefix("TERM"), binary, "--port", str(port), "--bind", LOOPBACK]
            cmd += ["--save", "", "--appendonly", "no", "--dir", str(base), "--daemonize", "no"]
            cmd += ["--protected-mode", "yes", "--logfile", "", "--databases", str(databases)]
            proc = _spawn(cmd, log, base, _child_env(base))
            try:
                _wait_until(lambda p=port: _redis_pings(p), proc, "redis-server", log, start_timeout)
                break
            except _PortTakenError:
                _stop_process(proc, signal.SIGTERM, timeout=10)
                if attempt == PORT_ATTEMPTS:
                    raise
        yield RedisServer(
            host=LOOPBACK, port=port, pid=proc.pid, base_dir=base, log_path=log, databases=databases
        )
    finally:
        try:
            if proc is not None:
                _stop_process(proc, signal.SIGTERM, timeout=STOP_TIMEOUT)
        finally:
            shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------- S3 (moto)

_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class S3Server:
    """moto's S3 (and every other moto service) over HTTP, with dummy credentials."""

    host: str
    port: int
    region: str = "us-east-1"
    access_key_id: str = "testing"
    secret_access_key: str = "testing"
    session_token: str = "testing"

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """Variables that point code under test (which builds its own boto3 clients) at this server."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_SESSION_TOKEN": self.session_token,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ENDPOINT_URL_S3": self.endpoint_url,
            # Never read the machine's ~/.aws files or ask an instance metadata service.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            # A custom endpoint cannot be combined with FIPS or dual-stack endpoints.
            "AWS_USE_FIPS_ENDPOINT": "false",
            "AWS_USE_DUALSTACK_ENDPOINT": "false",
        }

    def apply_env(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Set ``env`` for one test, drop profile selection, and keep loopback off any HTTP proxy."""
        for name, value in self.env.items():
            monkeypatch.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CA_BUNDLE"):
            monkeypatch.delenv(name, raising=False)
        for name in ("NO_PROXY", "no_proxy"):
            current = os.environ.get(name, "")
            monkeypatch.setenv(name, ",".join(filter(None, [current, LOOPBACK, "localhost"])))

    def boto3_session(self) -> boto3.session.Session:
        """A boto3 session that reads no AWS_* variables and no ~/.aws files."""
        import boto3.session
        from botocore import configprovider
        from botocore.session import Session as BotocoreSession

        # session_vars without environment variable names turn off every AWS_* lookup, and the
        # config/credentials file defaults point at /dev/null so ~/.aws is never read.
        session_vars = {}
        for name, (
            config_key,
            _env,
            default,
            convert,
        ) in configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES.items():
            if name in ("config_file", "credentials_file"):
                default = os.devnull
            session_vars[name] = (config_key, None, default, convert)
        core = BotocoreSession(session_vars=session_vars)
        store = core.get_component("config_store")
        # The s3 section would still read a few AWS_S3_* variables.
        store.set_config_provider("s3", configprovider.ConstantProvider({"addressing_style": "path"}))
        store.set_config_provider("proxies_config", configprovider.ConstantProvider({}))
        return boto3.session.Session(botocore_session=core, region_name=self.region)

    def client(self, service: str = "s3") -> Any:
        """A boto3 client for this server with explicit dummy credentials and no HTTP proxy."""
        from botocore.config import Config

        config = Config(
            proxies={},  # an explicit (empty) mapping stops botocore from using HTTP(S)_PROXY
            s3={"addressing_style": "path"},
            retries={"max_attempts": 2, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
        )
        return self.boto3_session().client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            aws_session_token=self.session_token,
            config=config,
        )

    def create_bucket(self, name: str) -> str:
        # us-east-1 takes no LocationConstraint.
        self.client("s3").create_bucket(Bucket=name)
        return name

    def reset(self) -> None:
        """Wipe this server's state (every bucket and object)."""
        request = urllib.request.Request(self.endpoint_url + "/moto-api/reset", method="POST", data=b"")
        with _NO_PROXY_OPENER.open(request, timeout=30) as response:
            response.read()


def _http_answers(url: str) -> bool:
    try:
        with _NO_PROXY_OPENER.open(url, timeout=2) as response:
            response.read()
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is serving
    except OSError:
        return False
    return True


@contextlib.contextmanager
def s3_server(start_timeout: float = START_TIMEOUT) -> Iterator[S3Server]:
    """Start moto's S3 server as its own process on a free loopback port; stop it on exit.

    A process of its own gives each server its own state: buckets never leak between servers.
    """
    if importlib.util.find_spec("moto.server") is None:
        raise ServerNotInstalledError("moto[server] is not installed in this environment (uv sync)")
    base = _make_temp_dir("timetabler-s3-", None)
    log = base / "moto.log"
    proc: subprocess.Popen[bytes] | None = None
    try:
        for attempt in range(1, PORT_ATTEMPTS + 1):
            port = free_port()
            server = S3Server(host=LOOPBACK, port=port)
            cmd = [
                *_pdeathsig_prefix("TERM"),
                sys.executable,
                "-m",
                "moto.server",
                "-H",
                LOOPBACK,
                "-p",
                str(port),
            ]
            proc = _spawn(cmd, log, base, {**_child_env(base), **server.env})
            try:
                _wait_until(
                    lambda url=server.endpoint_url: _http_answers(url + "/moto-api/"),
                    proc,
                    "moto",
                    log,
                    start_timeout,
                )
                break
            except _PortTakenError:
                _stop_process(proc, signal.SIGTERM, timeout=10)
                if attempt == PORT_ATTEMPTS:
                    raise
        yield server
    finally:
        try:
            if proc is not None:
                _stop_process(proc, signal.SIGTERM, timeout=STOP_TIMEOUT)
        finally:
            shutil.rmtree(base, ignore_errors=True)
