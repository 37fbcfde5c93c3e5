"""Looking for any trace of a school or a person: the whole database, stored files and Redis."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import redis

from tests.support.stacks import Stack, s3_client

# Rows kept on purpose: a deleted school's usage, without anything that names a person.
KEPT = ("retained_usage",)


def _pg_dump(pg: Any) -> str:
    """pg_dump beside the server's own programs (a pg_ctl wrapper may sit elsewhere on PATH)."""
    for folder in (
        Path(pg.bin_dir),
        Path(pg.psql).parent,
        *sorted(Path("/usr/lib/postgresql").glob("*/bin")),
    ):
        if (folder / "pg_dump").exists():
            return str(folder / "pg_dump")
    return shutil.which("pg_dump") or "pg_dump"


def database_dump(stack: Stack) -> list[str]:
    """Every row of every table, one line each."""
    if stack.postgres is None:
        with sqlite3.connect(stack.data_dir / "timetabler.sqlite3") as db:
            return list(db.iterdump())
    pg = stack.postgres
    done = subprocess.run(
        [_pg_dump(pg), "--data-only", "--inserts", "-h", pg.host, "-p", str(pg.port)]
        + ["-U", pg.user, pg.database],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    )
    return done.stdout.splitlines()


def rows_of(dump: list[str], table: str) -> list[str]:
    return [
        line for line in dump if line.startswith((f'INSERT INTO "{table}"', f"INSERT INTO public.{table} "))
    ]


def storage_keys(stack: Stack) -> list[str]:
    if stack.s3_bucket:
        client = s3_client(stack.s3_endpoint_url)
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=stack.s3_bucket)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]
    root = stack.data_dir / "files"
    return [str(p.relative_to(root)) for p in root.rglob("*")] if root.exists() else []


def redis_contents(stack: Stack) -> list[bytes]:
    """Every key's name and value."""
    url = stack.env.get("TIMETABLER_REDIS_URL")
    if not url:
        return []
    client = redis.Redis.from_url(url)
    out: list[Any] = []
    for key in client.scan_iter(count=500):
        out.append(key)
        kind = client.type(key)
        if kind == b"string":
            out.append(client.get(key) or b"")
        elif kind == b"hash":
            out.extend(v for pair in client.hgetall(key).items() for v in pair)
        elif kind == b"list":
            out.extend(client.lrange(key, 0, -1))
        elif kind == b"set":
            out.extend(client.smembers(key))
        elif kind == b"zset":
            out.extend(client.zrange(key, 0, -1))
    client.close()
    return out


def traces(stack: Stack, needles: list[str]) -> list[str]:
    """Where any needle still appears (rows kept on purpose excepted)."""
    found = []
    kept = {line for table in KEPT for line in rows_of(database_dump(stack), table)}
    for line in database_dump(stack):
        if line not in kept:
            found += [f"database: {n} in {line[:200]}" for n in needles if n in line]
    for key in storage_keys(stack):
        found += [f"storage: {n} in {key}" for n in needles if n in key]
    for value in redis_contents(stack):
        found += [f"redis: {n} in {value[:200]!r}" for n in needles if n.encode() in value]
    return found


def run_sql(stack: Stack, sql: str) -> str:
    """SQL straight on the database, as its owner (to age a row, or plant one)."""
    if stack.postgres is None:
        with sqlite3.connect(stack.data_dir / "timetabler.sqlite3", timeout=30) as db:
            rows = db.execute(sql).fetchall()
        return "\n".join("|".join(str(v) for v in row) for row in rows)
    return stack.postgres.execute(sql)


def logs(stack: Stack) -> str:
    return "\n".join(p.read_text(errors="replace") for p in stack.logs if p.exists())
