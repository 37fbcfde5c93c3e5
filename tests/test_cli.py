"""The `timetabler` command as a user runs it."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from core.settings import load_settings
from tests.conftest import DOCUMENTS, ROOT
from tests.plugin_kit.test_loading import fake_dist

SYNTHETIC = DOCUMENTS


def timetabler(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_extract_prints_the_json_contract_on_stdout_only() -> None:
    pdf = SYNTHETIC / "003_days_cols_pdf_text.pdf"
    truth = json.loads((SYNTHETIC / "003_days_cols_pdf_text.truth.json").read_text())
    result = timetabler("extract", str(pdf), "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"teacher", "className", "timeblocks", "confidence", "route", "engine"} <= set(out)
    assert out["engine"] == "pdf_text" and out["route"] == "accept"
    got = {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in out["timeblocks"]}
    want = {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in truth["timeblocks"]}
    assert got == want
    first = out["timeblocks"][0]
    assert set(first) >= {"day", "startTime", "endTime", "name", "notes", "duration"}


def test_extract_table_format_is_readable() -> None:
    result = timetabler("extract", str(SYNTHETIC / "012_days_cols_docx.docx"))
    assert result.returncode == 0, result.stderr
    assert "Monday" in result.stdout and "timeblocks" in result.stdout


def test_extract_profile_says_where_an_image_s_seconds_went() -> None:
    """--profile prints each stage's seconds on stderr (preprocessing, the OCR program itself, the
    reading of the page), and the result on stdout is the one a run without it prints."""
    image = str(SYNTHETIC / "000_days_cols_png.png")
    result = timetabler("extract", image, "--format", "json", "--no-cache", "--profile")
    assert result.returncode == 0, result.stderr
    plain = timetabler("extract", image, "--format", "json", "--no-cache")
    assert json.loads(result.stdout) == json.loads(plain.stdout)
    profile = result.stderr[result.stderr.index(f"profile {image}:") :]
    stages = {m[1] for m in re.finditer(r"^ +(\S.*?) +\d+\.\d{3} s", profile, re.MULTILINE)}
    for stage in ("load plugins", "classify", "read", "preprocess opencv", "ocr tesseract", "interpret"):
        assert stage in stages, profile
    assert any(name.startswith("tesseract --psm 11") for name in stages), profile
    assert "profile" not in plain.stderr


def test_extract_fails_clearly_on_a_missing_or_unsupported_file(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear parents, ...")
    missing = timetabler("extract", str(tmp_path / "nope.pdf"), "--format", "json")
    unsupported = timetabler("extract", str(letter), "--format", "json")
    assert missing.returncode != 0 and "no such file" in missing.stderr and missing.stdout == ""
    assert unsupported.returncode != 0 and "not a supported timetable document" in unsupported.stderr


def test_worker_without_redis_says_what_to_set() -> None:
    result = timetabler("worker", env={"TIMETABLER_REDIS_URL": ""})
    assert result.returncode == 2
    assert "TIMETABLER_REDIS_URL" in result.stderr


def test_migrate_creates_the_database_in_the_data_dir(tmp_path: Path) -> None:
    result = timetabler("migrate", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "timetabler.sqlite3").stat().st_size > 0
    again = timetabler("migrate", "--data-dir", str(tmp_path))
    assert again.returncode == 0 and "up to date" in again.stderr


def test_settings_come_from_the_environment_with_clear_errors() -> None:
    settings = load_settings({"TIMETABLER_MAX_UPLOAD_MB": "5", "TIMETABLER_SELF_SIGNUP": "false"})
    assert settings.max_upload_bytes == 5 * 1024 * 1024 and settings.self_signup is False
    assert load_settings({}).database_url is None and load_settings({}).in_process_worker
    try:
        load_settings({"TIMETABLER_MAX_UPLOAD_MB": "lots"})
    except SystemExit as exc:
        assert "max_upload_mb" in str(exc)
    else:
        raise AssertionError("a bad setting must stop start-up")


def test_extract_many_files_in_parallel_keeps_their_order_and_reports_a_missing_one(tmp_path: Path) -> None:
    files = [SYNTHETIC / "003_days_cols_pdf_text.pdf", SYNTHETIC / "012_days_cols_docx.docx"]
    copy = tmp_path / "same_content.pdf"
    copy.write_bytes(files[0].read_bytes())
    args = [str(files[0]), str(tmp_path / "missing.png"), str(files[1]), str(copy)]
    result = timetabler("extract", *args, "--workers", "2", "--format", "json", "--no-cache")
    assert result.returncode == 1  # one file could not be read
    assert "missing.png: no such file" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [args[0], args[2], args[3]]
    assert lines[0]["timeblocks"] == lines[2]["timeblocks"]  # identical content, identical answer
    assert lines[1]["engine"] == "docx"


def test_extract_serves_an_identical_file_from_the_cache(tmp_path: Path) -> None:
    pdf = SYNTHETIC / "017_days_cols_pdf_text.pdf"
    cache = tmp_path / "cache"
    first = timetabler("extract", str(pdf), "--format", "json", "--cache-dir", str(cache))
    assert first.returncode == 0, first.stderr
    (entry,) = cache.glob("*.json")
    # Prove the next run reads the cache and not the file: mark the cached answer.
    cached = json.loads(entry.read_text())
    cached["teacher"] = "Served From Cache"
    entry.write_text(json.dumps(cached))
    again = timetabler("extract", str(pdf), "--format", "json", "--cache-dir", str(cache))
    assert json.loads(again.stdout)["teacher"] == "Served From Cache"
    fresh = timetabler("extract", str(pdf), "--format", "json", "--cache-dir", str(cache), "--no-cache")
    assert json.loads(fresh.stdout)["teacher"] == json.loads(first.stdout)["teacher"] != "Served From Cache"


def test_a_cached_result_is_not_reused_once_another_plugin_is_installed(tmp_path: Path) -> None:
    pdf = SYNTHETIC / "017_days_cols_pdf_text.pdf"
    cache = tmp_path / "cache"
    assert timetabler("extract", str(pdf), "--cache-dir", str(cache)).returncode == 0
    (entry,) = cache.glob("*.json")
    cached = json.loads(entry.read_text())
    cached["teacher"] = "Served From Cache"
    entry.write_text(json.dumps(cached))
    # An outside engine installed since (or upgraded, or removed) may read the file differently.
    site = tmp_path / "site"
    fake_dist(site, "acme_reader", "")
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    again = timetabler("extract", str(pdf), "--format", "json", "--cache-dir", str(cache), env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["teacher"] != "Served From Cache"
    assert len(list(cache.glob("*.json"))) == 2


def test_extract_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pty

    controller, terminal = pty.openpty()
    files = [str(SYNTHETIC / "003_days_cols_pdf_text.pdf"), str(SYNTHETIC / "012_days_cols_docx.docx")]
    with open(os.devnull, "w") as devnull:
        process = subprocess.run(
            [sys.executable, "-m", "core.cli", "extract", *files, "--format", "json", "--no-cache"],
            cwd=ROOT,
            stdout=devnull,
            stderr=terminal,
            timeout=300,
        )
    os.close(terminal)
    shown = os.read(controller, 65536).decode()
    os.close(controller)
    assert process.returncode == 0
    assert "1/2" in shown and "2/2" in shown and "[" + "#" * 30 + "]" in shown


def test_create_admin_uses_the_data_dir_it_is_given_and_says_which_database(tmp_path: Path) -> None:
    served = tmp_path / "served"
    assert timetabler("migrate", "--data-dir", str(served)).returncode == 0  # the server's database
    env = {"TIMETABLER_ADMIN_PASSWORD": "a-long-enough-password-1", "TIMETABLER_DATA_DIR": ""}
    made = timetabler("create-admin", "--email", "head@example.org", "--data-dir", str(served), env=env)
    assert made.returncode == 0, made.stderr
    database = served / "timetabler.sqlite3"
    assert f"Using the database at {database.resolve()}" in made.stderr
    assert "no database there" not in made.stderr  # it was the server's, not a new one
    with sqlite3.connect(database) as db:
        assert db.execute("select role from users where email = 'head@example.org'").fetchall() == [
            ("platform_admin",)
        ]


def test_create_admin_follows_the_environment_and_warns_when_it_makes_a_new_database(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "not-the-servers"
    env = {"TIMETABLER_ADMIN_PASSWORD": "a-long-enough-password-1", "TIMETABLER_DATA_DIR": str(elsewhere)}
    made = timetabler("create-admin", "--email", "head@example.org", env=env)
    assert made.returncode == 0, made.stderr
    assert f"Using the database at {(elsewhere / 'timetabler.sqlite3').resolve()}" in made.stderr
    assert "no database there" in made.stderr and "--data-dir" in made.stderr


def test_every_command_that_touches_data_takes_data_dir_and_names_its_database(tmp_path: Path) -> None:
    database = (tmp_path / "timetabler.sqlite3").resolve()
    for command in ("migrate", "purge-expired"):
        result = timetabler(command, "--data-dir", str(tmp_path), env={"TIMETABLER_DATA_DIR": ""})
        assert result.returncode == 0, result.stderr
        assert f"Using the database at {database} (SQLite)" in result.stderr
    # The worker (on a Redis broker) reads the same folder's settings; without Redis it says so first.
    worker = timetabler("worker", "--data-dir", str(tmp_path), env={"TIMETABLER_REDIS_URL": ""})
    assert worker.returncode == 2 and "TIMETABLER_REDIS_URL" in worker.stderr


def test_a_postgres_database_is_named_without_its_password(tmp_path: Path) -> None:
    from core.cli import _where

    url = "postgresql://app:s3cret@db.example:5433/timetabler"
    assert _where(url, tmp_path / "x") == "postgresql://app@db.example:5433/timetabler (PostgreSQL)"
