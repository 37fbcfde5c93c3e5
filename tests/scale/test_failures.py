"""Failures on the production stack (PostgreSQL, Redis, S3, separate worker processes): a worker
killed mid-OCR, Redis restarted mid-run, PostgreSQL restarted. Nothing is lost, nothing is saved
twice, and the API says clearly when it cannot serve."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import DOCUMENTS
from tests.scale.conftest import (
    production_stack,
    restart_redis,
    start_postgres,
    stop_postgres,
    wait_all_final,
    worker_processes,
)
from tests.support.accounts import Account, register
from tests.support.shared import SharedServers
from tests.support.stacks import start_worker

PDF = DOCUMENTS / "003_days_cols_pdf_text.pdf"
# A large screenshot: ~3 s of preprocessing and Tesseract, long enough to be caught mid-read.
PHOTO = DOCUMENTS / "r07_lessonplanner.png"


def not_completed(jobs: dict[str, dict]) -> dict[str, tuple]:
    """The jobs that did not complete, with their status, stage and error (what went wrong)."""
    left = {i: j for i, j in jobs.items() if j["status"] != "completed"}
    return {i: (j["status"], j.get("stage"), j.get("error")) for i, j in left.items()}


def upload(account: Account, path: Path) -> dict[str, str]:
    response = account.upload(path)
    assert response.status_code == 202, response.text
    return response.json()


def wait_until_reading(account: Account, job_id: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = account.client.get(f"/jobs/{job_id}").json()
        if job["status"] == "running" and job["stage"] == "read":
            return
        assert job["status"] not in ("completed", "failed", "review"), job
        time.sleep(0.2)
    raise AssertionError(f"the job never reached OCR: {job}")


def test_a_worker_killed_mid_ocr_loses_nothing_and_saves_nothing_twice(
    tmp_path: Path, shared: SharedServers
) -> None:
    with production_stack(tmp_path, {}, workers=1, shared=shared) as scale:
        teacher = register(scale.stack)
        photo = upload(teacher, PHOTO)
        others = [upload(teacher, PDF) for _ in range(19)]
        wait_until_reading(teacher, photo["jobId"])
        start_worker(scale.stack)  # a second machine joins
        first = scale.stack.workers[0]
        killed = worker_processes(first)
        assert killed, "no worker process found under the first `timetabler worker`"
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        # It died holding the OCR: the job had not moved on.
        job = teacher.client.get(f"/jobs/{photo['jobId']}").json()
        assert (job["status"], job["stage"]) == ("running", "read")

        ids = [photo["jobId"], *(o["jobId"] for o in others)]
        jobs = wait_all_final(teacher, ids, timeout=400)

        assert {j["status"] for j in jobs.values()} <= {"completed", "review"}, jobs
        saved = scale.timetables_per_document(teacher.user["tenantId"])
        documents = {photo["documentId"], *(o["documentId"] for o in others)}
        assert set(saved) == documents  # none lost
        assert set(saved.values()) == {1}  # none saved twice
        assert first.poll() is None  # the supervisor replaced its killed worker and kept going
        assert worker_processes(first)


def test_a_job_whose_worker_died_is_taken_up_again_without_waiting_for_the_heartbeat_or_reaper(
    tmp_path: Path, shared: SharedServers
) -> None:
    """The worker process dies holding the OCR (the kernel's OOM killer, a crash in a C library).
    Its messages go back to the queue as soon as `timetabler worker` sees it gone: here the broker
    would count it dead only after an hour of silence and the reaper would look after an hour
    without progress, so only that can finish the job."""
    slow_rescue = {
        "TIMETABLER_WORKER_HEARTBEAT_TIMEOUT_MS": "3600000",
        "TIMETABLER_JOB_STALL_SECONDS": "3600",
    }
    with production_stack(tmp_path, slow_rescue, workers=1, shared=shared) as scale:
        teacher = register(scale.stack)
        photo = upload(teacher, PHOTO)
        wait_until_reading(teacher, photo["jobId"])
        supervisor = scale.stack.workers[0]
        killed = worker_processes(supervisor)
        assert killed, "no worker process found under `timetabler worker`"
        for pid in killed:
            os.kill(pid, signal.SIGKILL)

        job = wait_all_final(teacher, [photo["jobId"]], timeout=300)[photo["jobId"]]

        assert job["status"] in ("completed", "review"), job
        assert "No progress" not in (job.get("error") or "")  # not the reaper's doing
        assert list(scale.timetables_per_document(teacher.user["tenantId"]).values()) == [1]
        assert supervisor.poll() is None and worker_processes(supervisor)


def test_sigterm_mid_ocr_stops_the_worker_gracefully_and_the_job_finishes(
    tmp_path: Path, shared: SharedServers
) -> None:
    with production_stack(tmp_path, {}, workers=1, shared=shared) as scale:
        teacher = register(scale.stack)
        photo = upload(teacher, PHOTO)
        wait_until_reading(teacher, photo["jobId"])
        start_worker(scale.stack)
        first = scale.stack.workers[0]

        os.killpg(first.pid, signal.SIGTERM)  # as a deploy or `docker stop` does

        assert first.wait(timeout=90) == 0
        job = wait_all_final(teacher, [photo["jobId"]], timeout=240)[photo["jobId"]]
        assert job["status"] in ("completed", "review"), job
        assert list(scale.timetables_per_document(teacher.user["tenantId"]).values()) == [1]


def test_ocr_past_its_hard_timeout_is_retried_then_fails_with_a_reason(
    tmp_path: Path, shared: SharedServers
) -> None:
    # Tesseract needs seconds for this image; allowed 0.05 s, each attempt is cut off.
    with production_stack(
        tmp_path, {"TIMETABLER_TESSERACT_TIMEOUT": "0.05"}, workers=1, shared=shared
    ) as scale:
        teacher = register(scale.stack)
        photo = upload(teacher, PHOTO)

        job = wait_all_final(teacher, [photo["jobId"]], timeout=240)[photo["jobId"]]

        assert job["status"] == "failed" and job["stage"] == "read"
        assert job["attempts"] == 4  # the first try and 3 retries
        assert "The read step failed 4 times" in job["error"]
        assert "OCR took longer than 0.05 s" in job["error"]


def test_redis_restarted_mid_run_every_job_completes(tmp_path: Path) -> None:
    # Redis comes back empty: queued messages are gone; the reaper sends stalled jobs again. Time
    # runs fast here (8 s of no progress instead of 20 min): the attempts leave a busy CI machine's
    # worker a minute and more to reconnect and catch up before a job is given up.
    env = {"TIMETABLER_JOB_STALL_SECONDS": "8", "TIMETABLER_JOB_MAX_ATTEMPTS": "10"}
    with production_stack(tmp_path, env, workers=1) as scale:
        teacher = register(scale.stack)
        before = [upload(teacher, PDF)["jobId"] for _ in range(8)]
        wait_all_final(teacher, before[:1], timeout=120)
        restart_redis(scale)
        after = [upload(teacher, PDF)["jobId"] for _ in range(2)]

        jobs = wait_all_final(teacher, before + after, timeout=300)

        assert not_completed(jobs) == {}
        saved = scale.timetables_per_document(teacher.user["tenantId"])
        assert len(saved) == 10 and set(saved.values()) == {1}


def test_postgres_restarted_the_api_says_503_then_recovers_and_no_upload_is_lost(tmp_path: Path) -> None:
    with production_stack(tmp_path, {"TIMETABLER_JOB_STALL_SECONDS": "8"}, workers=1) as scale:
        teacher = register(scale.stack)
        before = [upload(teacher, PDF) for _ in range(3)]
        stop_postgres(scale)

        down = teacher.client.get(f"/jobs/{before[0]['jobId']}")
        assert down.status_code == 503, down.text
        assert down.json()["code"] == "service_unavailable" and "try again" in down.json()["message"]
        refused = teacher.upload(PDF)
        assert refused.status_code == 503, refused.text  # refused whole: the client sends it again

        start_postgres(scale)
        deadline = time.monotonic() + 60
        while (status := _status(teacher, before[0]["jobId"])) != 200:
            assert time.monotonic() < deadline, f"the API did not recover (last status {status})"
            time.sleep(0.5)
        after = upload(teacher, PDF)

        uploads = [*before, after]
        jobs = wait_all_final(teacher, [u["jobId"] for u in uploads], timeout=300)
        assert not_completed(jobs) == {}
        saved = scale.timetables_per_document(teacher.user["tenantId"])
        assert set(saved) == {u["documentId"] for u in uploads} and set(saved.values()) == {1}
        listed = teacher.client.get("/documents").json()
        assert len(listed["items"] if isinstance(listed, dict) else listed) == 4  # nothing half-saved


def test_a_worker_process_past_its_task_limit_is_replaced_and_work_goes_on(
    tmp_path: Path, shared: SharedServers
) -> None:
    with production_stack(tmp_path, {"TIMETABLER_WORKER_MAX_TASKS": "12"}, workers=1, shared=shared) as scale:
        teacher = register(scale.stack)
        supervisor = scale.stack.workers[0]
        deadline = time.monotonic() + 60
        while not (first := set(worker_processes(supervisor))):
            assert time.monotonic() < deadline, "the worker process never started"
            time.sleep(0.2)
        uploads = [upload(teacher, PDF) for _ in range(3)]  # about 30 messages: two recyclings

        jobs = wait_all_final(teacher, [u["jobId"] for u in uploads], timeout=240)

        assert not_completed(jobs) == {}
        # The old process drains its last messages before it exits, so the fresh one may come
        # a little after the jobs end: wait for it rather than look once.
        deadline = time.monotonic() + 60
        while not ((now := set(worker_processes(supervisor))) and now.isdisjoint(first)):
            assert time.monotonic() < deadline, f"no fresh worker process replaced {first}: {now}"
            time.sleep(0.2)
        assert supervisor.poll() is None
        log = (scale.stack.data_dir / "worker.log").read_text()
        assert "ran 12 messages; stopping gracefully to be replaced" in log
        saved = scale.timetables_per_document(teacher.user["tenantId"])
        assert set(saved.values()) == {1} and len(saved) == 3


def _status(account: Account, job_id: str) -> int:
    try:
        return account.client.get(f"/jobs/{job_id}").status_code
    except httpx.HTTPError:
        return 0


pytestmark = pytest.mark.timeout(600)
