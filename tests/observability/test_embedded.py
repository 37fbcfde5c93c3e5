"""The embedded stack (SQLite, in-process worker) as an operator sees it: /metrics after a document,
JSON log lines with the ids and no personal data, one trace from the upload to the last stage."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import DOCUMENTS
from tests.observability.conftest import ObservedStack, json_lines, value
from tests.support.accounts import register

DOCUMENT = DOCUMENTS / "003_days_cols_pdf_text.pdf"
STAGES_RUN = ("classify", "read", "interpret", "score", "route", "validate", "save", "notify")


@pytest.fixture(scope="module")
def processed(embedded: ObservedStack) -> dict:
    """One teacher uploads one document and waits for it; metrics are read before and after."""
    before = embedded.metrics()
    teacher = register(embedded.stack, name="Grace Hopper")
    upload = teacher.upload(DOCUMENT)
    assert upload.status_code == 202, upload.text
    job = teacher.wait_for_job(upload.json()["jobId"])
    document = teacher.client.get(f"/documents/{upload.json()['documentId']}").json()
    refused = httpx.get(f"{embedded.stack.base_url}/api/v1/jobs/{job['id']}")  # no token: 401
    assert refused.status_code == 401
    return {
        "before": before,
        "after": embedded.metrics(),
        "teacher": teacher,
        "upload": upload,
        "job": job,
        "document": document,
    }


def test_metrics_count_the_document_its_stages_confidence_and_route(processed: dict) -> None:
    before, after, job = processed["before"], processed["after"], processed["job"]
    assert job["status"] in ("completed", "review")
    kind = processed["document"]["kind"]

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("timetabler_documents_processed_total", kind=kind, outcome=job["status"]) == 1
    for stage in STAGES_RUN:
        assert grew("timetabler_stage_duration_seconds_count", stage=stage, result="ok") == 1, stage
    assert grew("timetabler_stage_duration_seconds_sum", stage="read") > 0
    assert grew("timetabler_document_confidence_count") == 1
    assert grew("timetabler_document_confidence_sum") == pytest.approx(job["confidence"], abs=1e-6)
    assert grew("timetabler_document_routes_total", route=job["route"]) == 1
    assert grew("timetabler_pipeline_events_total", stage="done", status=job["status"]) == 1


def test_metrics_count_requests_by_route_template_and_status(processed: dict) -> None:
    before, after = processed["before"], processed["after"]
    upload = {"method": "POST", "route": "/api/v1/documents/upload"}
    assert (
        value(after, "timetabler_http_requests_total", status="202", **upload)
        - value(before, "timetabler_http_requests_total", status="202", **upload)
        == 1
    )
    assert value(after, "timetabler_http_request_duration_seconds_count", **upload) >= 1
    # The refused read is counted under its template, never its path (no ids in labels).
    assert value(after, "timetabler_http_requests_total", status="401", route="/api/v1/jobs/{job_id}") >= 1
    assert not any(processed["job"]["id"] in label for (_, labels) in after for (_, label) in labels)


def test_queue_depth_is_read_from_the_in_memory_broker(processed: dict) -> None:
    depths = {
        dict(labels)["queue"] for (name, labels) in processed["after"] if name == "timetabler_queue_depth"
    }
    assert {"classify", "ocr", "pipeline"} <= depths
    # Everything was processed: nothing waits.
    assert value(processed["after"], "timetabler_queue_depth", state="ready") == 0


def test_json_log_lines_carry_the_ids(embedded: ObservedStack, processed: dict) -> None:
    job, upload = processed["job"], processed["upload"]
    tenant = processed["teacher"].user["tenantId"]
    lines = json_lines(embedded.serve_log)
    assert lines, embedded.serve_log.read_text()[-2000:]
    for line in lines:
        assert {"ts", "level", "service", "message"} <= set(line), line
    request_id = upload.headers["x-request-id"]
    access = [line for line in lines if line.get("requestId") == request_id]
    assert access and access[0]["service"] == "api" and access[0]["tenant"] == tenant
    assert access[0]["statusCode"] == 202 and access[0]["duration"] >= 0
    finished = [
        line
        for line in lines
        if line.get("jobId") == job["id"] and line["message"].startswith("job finished")
    ]
    assert len(finished) == 1, [line for line in lines if line.get("jobId") == job["id"]]
    line = finished[0]
    assert line["service"] == "worker"
    assert line["tenant"] == tenant and line["documentId"] == job["documentId"]
    assert line["confidence"] == pytest.approx(job["confidence"]) and line["engine"] == job.get(
        "engine", line["engine"]
    )
    assert line["duration"] >= 0


def test_logs_hold_no_email_name_or_token(embedded: ObservedStack, processed: dict) -> None:
    teacher = processed["teacher"]
    text = embedded.serve_log.read_text(errors="replace")
    assert teacher.email not in text
    assert teacher.access_token not in text and teacher.refresh_token not in text
    assert "Grace Hopper" not in text


def test_one_trace_from_the_upload_request_to_the_last_stage(
    embedded: ObservedStack, processed: dict
) -> None:
    spans = embedded.spans()
    request_id = processed["upload"].headers["x-request-id"]
    [upload_span] = [s for s in spans if s["attributes"].get("timetabler.request_id") == request_id]
    assert upload_span["name"] == "POST /api/v1/documents/upload" and upload_span["kind"] == "SERVER"
    job_spans = [s for s in spans if s["attributes"].get("timetabler.job_id") == processed["job"]["id"]]
    assert {s["attributes"]["timetabler.stage"] for s in job_spans} >= set(STAGES_RUN)
    assert {s["traceId"] for s in job_spans} == {upload_span["traceId"]}
    classify = next(s for s in job_spans if s["attributes"]["timetabler.stage"] == "classify")
    assert classify["parentId"] == upload_span["spanId"]


def test_ready_checks_the_database_and_the_data_folder(embedded: ObservedStack) -> None:
    response = httpx.get(embedded.stack.base_url + "/ready", timeout=30)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "storage": "ok"}}


def test_reading_reuse_counts_a_hit_for_the_same_bytes_again(
    embedded: ObservedStack, processed: dict
) -> None:
    before, after_first = processed["before"], processed["after"]
    assert (
        value(after_first, "timetabler_reading_reuse_total", result="miss")
        - value(before, "timetabler_reading_reuse_total", result="miss")
        == 1
    )
    teacher = processed["teacher"]
    again = teacher.upload(DOCUMENT)
    assert again.status_code == 202, again.text
    teacher.wait_for_job(again.json()["jobId"])
    now = embedded.metrics()
    assert (
        value(now, "timetabler_reading_reuse_total", result="hit")
        - value(after_first, "timetabler_reading_reuse_total", result="hit")
        == 1
    )
