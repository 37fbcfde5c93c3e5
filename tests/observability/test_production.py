"""The production stack (PostgreSQL, Redis, S3, a separate `timetabler worker`): the worker's own
/metrics, the trace crossing from the API process to the worker process, the worker's JSON logs,
/metrics behind its token, and /ready following Redis down and up again."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.conftest import DOCUMENTS
from tests.observability.conftest import ObservedStack, json_lines, parse_metrics, value
from tests.support.accounts import register

DOCUMENT = DOCUMENTS / "000_days_cols_png.png"  # an image: read by OCR, through its cache


@pytest.fixture(scope="module")
def processed(production: ObservedStack) -> dict:
    api_before = production.metrics()
    worker_before = production.metrics(production.worker_metrics_url)
    teacher = register(production.stack, name="Katherine Johnson")
    upload = teacher.upload(DOCUMENT)
    assert upload.status_code == 202, upload.text
    job = teacher.wait_for_job(upload.json()["jobId"])
    document = teacher.client.get(f"/documents/{upload.json()['documentId']}").json()
    return {
        "api_before": api_before,
        "worker_before": worker_before,
        "api": production.metrics(),
        "worker": production.metrics(production.worker_metrics_url),
        "teacher": teacher,
        "upload": upload,
        "job": job,
        "document": document,
    }


def test_worker_metrics_show_the_document_and_its_stages(processed: dict) -> None:
    before, after, job = processed["worker_before"], processed["worker"], processed["job"]
    assert job["status"] in ("completed", "review"), job

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    kind = processed["document"]["kind"]
    assert grew("timetabler_documents_processed_total", kind=kind, outcome=job["status"]) == 1
    for stage in ("classify", "read", "interpret", "score", "route", "validate", "save", "notify"):
        assert grew("timetabler_stage_duration_seconds_count", stage=stage, result="ok") == 1, stage
    assert grew("timetabler_document_confidence_count") == 1
    assert grew("timetabler_document_routes_total", route=job["route"]) == 1
    # The queues are read from Redis by the worker's exposition too.
    assert {dict(labels)["queue"] for (name, labels) in after if name == "timetabler_queue_depth"} >= {
        "classify"
    }


def test_api_metrics_show_requests_queue_depth_and_the_ocr_cache(processed: dict) -> None:
    before, after = processed["api_before"], processed["api"]
    upload = {"method": "POST", "route": "/api/v1/documents/upload", "status": "202"}
    assert (
        value(after, "timetabler_http_requests_total", **upload)
        - value(before, "timetabler_http_requests_total", **upload)
        == 1
    )
    queues = {dict(labels)["queue"] for (name, labels) in after if name == "timetabler_queue_depth"}
    assert {"classify", "ocr", "pipeline"} <= queues
    # The image was read by OCR for the first time: a miss, counted across processes through Redis.
    lookups = value(after, "timetabler_cache_lookups_total", cache="ocr") - value(
        before, "timetabler_cache_lookups_total", cache="ocr"
    )
    assert lookups >= 1
    assert value(after, "timetabler_cache_lookups_total", cache="ocr", result="miss") >= 1


def test_metrics_need_the_token(production: ObservedStack) -> None:
    for url in (production.stack.base_url + "/metrics", production.worker_metrics_url):
        refused = httpx.get(url, timeout=10)
        assert refused.status_code == 403, url
        assert refused.json()["code"] == "metrics_forbidden"
        assert "TIMETABLER_METRICS_TOKEN" in refused.json()["message"]
        wrong = httpx.get(url, headers={"Authorization": "Bearer not-the-token"}, timeout=10)
        assert wrong.status_code == 403, url
        good = httpx.get(url, headers={"Authorization": f"Bearer {production.token}"}, timeout=10)
        assert good.status_code == 200 and parse_metrics(good.text), url


def test_trace_crosses_from_the_api_process_to_the_worker_process(
    production: ObservedStack, processed: dict
) -> None:
    spans = production.spans()
    request_id = processed["upload"].headers["x-request-id"]
    [upload_span] = [s for s in spans if s["attributes"].get("timetabler.request_id") == request_id]
    assert upload_span["service"] == "timetabler-api"
    stage_spans = [s for s in spans if s["attributes"].get("timetabler.job_id") == processed["job"]["id"]]
    assert {s["service"] for s in stage_spans} == {"timetabler-worker"}
    assert {s["pid"] for s in stage_spans}.isdisjoint({upload_span["pid"]})
    assert {s["traceId"] for s in stage_spans} == {upload_span["traceId"]}
    assert {s["attributes"]["timetabler.stage"] for s in stage_spans} >= {
        "classify",
        "read",
        "save",
        "notify",
    }


def test_worker_logs_are_json_with_the_ids_and_no_personal_data(
    production: ObservedStack, processed: dict
) -> None:
    job, teacher = processed["job"], processed["teacher"]
    lines = [line for line in json_lines(production.worker_log) if line.get("jobId") == job["id"]]
    assert lines, production.worker_log.read_text()[-3000:]
    assert {line["service"] for line in lines} == {"worker"}
    assert {line["tenant"] for line in lines} == {teacher.user["tenantId"]}
    finished = [line for line in lines if line["message"].startswith("job finished")]
    assert len(finished) == 1
    assert finished[0]["documentId"] == job["documentId"]
    assert finished[0]["engine"] == "tesseract" and finished[0]["confidence"] == pytest.approx(
        job["confidence"]
    )
    for log in (production.worker_log, production.serve_log):
        text = log.read_text(errors="replace")
        assert teacher.email not in text and teacher.access_token not in text
        assert "Katherine Johnson" not in text


def test_ready_names_redis_while_it_is_down(production: ObservedStack, processed: dict) -> None:
    """Last in this module: the stack's Redis is stopped and started again."""
    url = production.stack.base_url + "/ready"
    ok = httpx.get(url, timeout=30)
    assert ok.status_code == 200, ok.text
    assert ok.json()["checks"] == {"database": "ok", "redis": "ok", "storage": "ok"}
    production.redis.stop()
    try:
        down = httpx.get(url, timeout=30)
        assert down.status_code == 503, down.text
        body = down.json()
        assert body["code"] == "not_ready" and body["failed"] == ["redis"]
        assert "redis" in body["message"] and body["checks"]["database"] == "ok"
    finally:
        production.redis.start()
    deadline = time.monotonic() + 30
    while (again := httpx.get(url, timeout=30)).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert again.status_code == 200, again.text
