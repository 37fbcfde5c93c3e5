"""Settings from environment variables prefixed ``TIMETABLER_``, with embedded defaults.

With nothing set, Timetabler runs on a SQLite file and a local folder under ``./var`` with an
in-process worker. Setting ``TIMETABLER_DATABASE_URL``, ``TIMETABLER_REDIS_URL`` and
``TIMETABLER_S3_BUCKET`` moves it onto PostgreSQL, a Redis broker and S3.
"""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path
from typing import Literal

import msgspec

PREFIX = "TIMETABLER_"


class Settings(msgspec.Struct, frozen=True):
    data_dir: Path = Path("./var")
    database_url: str | None = None  # postgresql://user:pass@host:port/db; None -> SQLite in data_dir
    # The tables' owner, for `timetabler migrate` when the app connects as a role that owns nothing.
    migration_database_url: str | None = None
    redis_url: str | None = None  # None -> in-process worker
    s3_bucket: str | None = None  # None -> files under data_dir/files
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    secret_key: str | None = None  # None -> a random key kept in data_dir/secret_key
    max_upload_mb: float = 20.0
    access_token_minutes: int = 30
    refresh_token_days: int = 30
    self_signup: bool = True
    worker_threads: int = 2
    ocr_timeout_seconds: int = 120
    # Jobs at scale (core/jobs/): at most this many stages of one school run at once per queue
    # group (0 = no limit); a message over it waits this long and is queued again.
    tenant_concurrency: int = 2
    tenant_requeue_delay_ms: int = 500
    # The reaper: a job with no progress for this long is sent again, up to job_max_attempts tries
    # of its stage, then failed with a reason. It looks every reaper_interval_seconds (0 = off).
    job_stall_seconds: int = 20 * 60
    job_max_attempts: int = 5
    reaper_interval_seconds: int = 60
    # Worker recycling: a worker process restarts (gracefully) after this many messages or above
    # this resident memory (0 = never); `timetabler worker` starts a fresh one.
    worker_max_tasks: int = 1000
    worker_max_rss_mb: int = 1024
    # Redis broker: a worker silent this long is dead and its unfinished messages go back.
    worker_heartbeat_timeout_ms: int = 60_000
    log_level: str = "INFO"
    # Observability (docs/operations.md): "text" lines for a terminal, "json" (one object per line) in
    # production; /metrics for callers other than loopback needs this bearer token; traces go over
    # OTLP/HTTP to otel_endpoint and/or as JSON lines to otel_file; `timetabler worker` serves its
    # processes' metrics on worker_metrics_port (0: off).
    log_format: str = "text"
    metrics_token: str | None = None
    otel_endpoint: str | None = None
    otel_file: str | None = None
    worker_metrics_port: int = 0
    worker_metrics_host: str = "0.0.0.0"
    # Where absolute links (invites, calendar feeds, emails) start: core/links.py public_root. None:
    # the address `timetabler serve` listens on, host and port (it sets TIMETABLER_HOST/PORT).
    public_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    base_domain: str | None = None  # e.g. example.org: school.example.org resolves the school
    invite_days: int = 7
    # Sign-in throttling: failures allowed per account and per address within the window.
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 50
    login_window_minutes: int = 15
    # argon2id parameters for new password hashes (argon2.profiles): RFC 9106's low-memory profile
    # (64 MiB, 3 passes, 4 lanes). "cheapest" is argon2-cffi's profile for test suites, never for
    # real accounts. Checking reads the parameters from the stored hash, so either checks both.
    password_hash_profile: Literal["rfc_9106_low_memory", "cheapest"] = "rfc_9106_low_memory"
    trusted_proxies: str = ""  # comma-separated addresses/networks whose X-Forwarded-For is believed
    # Stripe: billing is off until an API key is set. api_base points the SDK elsewhere (tests).
    stripe_api_key: str | None = None
    stripe_api_base: str | None = None
    stripe_webhook_secret: str | None = None
    # Realtime (/ws): how long a new socket may take to sign in; how often a quiet socket is pinged.
    ws_auth_timeout_seconds: float = 10.0
    ws_heartbeat_seconds: float = 25.0
    # Fernet keys (comma-separated, newest first) that encrypt schools' engine credentials at rest;
    # older keys still decrypt, so keys can be rotated. None: credentials cannot be saved.
    encryption_key: str | None = None
    # How often app servers run maintenance (the retention purge); 0 turns it off.
    maintenance_interval_seconds: float = 3600.0
    # Result caches (core/cache): Redis when redis_url is set, else this many entries in-process.
    cache_enabled: bool = True
    cache_ocr_ttl_hours: float = 168.0
    cache_llm_ttl_hours: float = 168.0
    cache_local_entries: int = 512
    # API rate limits (core/ratelimit): requests per minute; 0 turns a limit off.
    rate_limit_enabled: bool = True
    # Generous enough for a polling app and a school behind one NAT address; floods still stop.
    rate_limit_user_per_minute: int = 1200
    rate_limit_ip_per_minute: int = 2400
    rate_limit_school_per_minute: int = 12000
    rate_limit_uploads_per_minute: int = 60  # per user; uploads cost OCR, so they get a tighter bar
    rate_limit_school_uploads_per_minute: int = 600
    # Direct uploads to S3 (core/direct_upload): the size limit, multipart above the threshold.
    direct_upload_max_mb: float = 200.0
    direct_upload_multipart_mb: float = 16.0
    direct_upload_part_mb: float = 8.0  # S3 takes parts of 5 MB and more (the last may be smaller)
    direct_upload_url_minutes: int = 15
    direct_upload_expiry_hours: float = 24.0

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "timetabler.sqlite3"

    @property
    def in_process_worker(self) -> bool:
        return self.redis_url is None

    def jwt_secret(self) -> str:
        return self.secret_key or _stored_secret(self.data_dir.resolve())


@cache
def _stored_secret(data_dir: Path) -> str:
    """A random signing key kept in the data folder, made on first use (read once per process)."""
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _decode(type_: type, value: object) -> object:
    if type_ is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    values = {
        field: env[PREFIX + field.upper()]
        for field in Settings.__struct_fields__
        if env.get(PREFIX + field.upper(), "") != ""
    }
    try:
        return msgspec.convert(values, Settings, strict=False, dec_hook=_decode)
    except msgspec.ValidationError as exc:
        raise SystemExit(f"Invalid setting: {exc} (check the TIMETABLER_* environment variables)") from exc


@cache
def get_settings() -> Settings:
    return load_settings()
