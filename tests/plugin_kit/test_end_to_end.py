"""Following only docs/plugins.md: a new OCR plugin is generated, passes its contract tests, is
installed like any outside package, listed by `timetabler plugins`, chosen in a school's settings
and used for a real document by the real stack (`timetabler serve` on its embedded defaults). The
example third-party plugin goes the same way for another school; each school gets its own engine."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.plugin_kit.samples import SAMPLE_LESSONS, write_samples
from tests.plugin_kit.install import EXAMPLE, env_with, install, timetabler
from tests.support.accounts import Account, login, register
from tests.support.stacks import Stack, running_stack


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("acme")
    # docs step 1: generate the package.
    made = timetabler(["new-plugin", "ocr_acme", "--kind", "ocr", "--dir", str(where)], env_with(where))
    assert made.returncode == 0, made.stderr
    # docs step 2: install it (here into a folder of its own, so the shared environment stays as it is).
    return install([where / "timetabler-ocr-acme", EXAMPLE], where / "site")


@pytest.fixture(scope="module")
def stack(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        "sqlite", tmp_path_factory.mktemp("stack"), {"PYTHONPATH": str(site)}, worker=False
    ) as up:
        yield up


def test_the_new_plugin_passes_its_tests_and_is_listed(site: Path) -> None:
    # docs step 3: its own tests (the OCR contract); step 4: `timetabler plugins`.
    tests = site.parent / "timetabler-ocr-acme" / "tests"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        cwd=tests.parent,
        env=env_with(site),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout[-3000:]
    listed = {
        p["name"]: p for p in json.loads(timetabler(["plugins", "--format", "json"], env_with(site)).stdout)
    }
    assert listed["ocr_acme"]["version"] == "0.1.0" and listed["ocr_acme"]["hooks"] == [
        "register_ocr_engines"
    ]
    assert listed["example_ocr"]["error"] is None


def choose(admin: Account, settings: dict[str, Any]) -> Any:
    return admin.client.put(f"/schools/{admin.user['tenantId']}/settings", json=settings)


def read_with(admin: Account, document: Path) -> tuple[dict[str, Any], set[tuple[str, str, str, str]]]:
    upload = admin.upload(document)
    assert upload.status_code == 202, upload.text
    job = admin.wait_for_job(upload.json()["jobId"])
    assert job["status"] == "completed", job
    timetable = admin.client.get(f"/timetables/{job['timetableId']}").json()
    lessons = {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in timetable["timeblocks"]}
    return job, lessons


def test_schools_choose_the_installed_engines_and_their_documents_are_read_by_them(
    stack: Stack, tmp_path: Path
) -> None:
    sample = write_samples(tmp_path)["png"]
    acme, example, plain = (
        register(stack, school=f"{n} School {tmp_path.name}") for n in ("Acme", "Ex", "Plain")
    )
    # docs step 5: a school admin chooses the engine by name; only installed engines are accepted.
    refused = choose(acme, {"ocrEngine": "ocr_acme_typo"})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_settings"
    assert "ocr_acme" in refused.json()["message"]
    assert choose(acme, {"ocrEngine": "ocr_acme"}).status_code == 200
    assert choose(example, {"ocrEngine": "example_ocr"}).status_code == 200
    # docs step 6: upload a document; the job says which engine read it.
    for admin, engine in ((acme, "ocr_acme"), (example, "example_ocr"), (plain, "tesseract")):
        job, lessons = read_with(admin, sample)
        assert job["engine"] == engine
        assert lessons == SAMPLE_LESSONS


def test_switching_a_schools_engine_reads_an_already_read_file_with_the_new_engine(
    stack: Stack, tmp_path: Path
) -> None:
    sample = write_samples(tmp_path)["png"]
    admin = register(stack, school=f"Switching {tmp_path.name}")
    first, _ = read_with(admin, sample)
    assert first["engine"] == "tesseract"
    assert choose(admin, {"ocrEngine": "ocr_acme"}).status_code == 200
    again, lessons = read_with(admin, sample)  # the same bytes: the earlier reading was tesseract's
    assert again["engine"] == "ocr_acme" and lessons == SAMPLE_LESSONS
    back = choose(admin, {"ocrEngine": "tesseract"})
    assert back.status_code == 200
    third, lessons = read_with(admin, sample)  # tesseract's own reading is reused again
    assert third["engine"] == "tesseract" and lessons == SAMPLE_LESSONS


def test_a_denied_plugins_reading_is_not_reused(site: Path, tmp_path: Path) -> None:
    sample = write_samples(tmp_path)["png"]
    data = tmp_path / "data"
    with running_stack("sqlite", data, {"PYTHONPATH": str(site)}, worker=False) as up:
        admin = register(up, school=f"Denied {tmp_path.name}")
        assert choose(admin, {"ocrEngine": "ocr_acme"}).status_code == 200
        job, _ = read_with(admin, sample)
        assert job["engine"] == "ocr_acme"
    # The operator denies the plugin and restarts; the school's setting still names its engine.
    denied = {"PYTHONPATH": str(site), "TIMETABLER_PLUGINS_DENY": "ocr_acme"}
    with running_stack("sqlite", data, denied, worker=False) as up:
        again = login(up, admin.email, admin.password)
        upload = again.upload(sample)
        assert upload.status_code == 202, upload.text
        job = again.wait_for_job(upload.json()["jobId"])
    assert job["status"] == "failed" and job["engine"] != "ocr_acme", job
    # Failed at once (a missing engine stays missing on a retry), in words a teacher can act on.
    assert job["attempts"] == 1, job
    assert "names a reader this server does not have" in job["error"] and "ocr_acme" not in job["error"]
