"""The parts that need no server: masking, the JSON line, the metrics access rule, the queue list."""

from __future__ import annotations

import io
import json
import logging

import pytest

from core.observability import context
from core.observability.access import metrics_allowed
from core.observability.logs import JsonFormatter, MaskFilter, mask

SECRETS = {
    "email": ("sign-in failed for ada.lovelace@school.example.org", "ada.lovelace@school.example.org"),
    "bearer": ("header Authorization: Bearer abcdefghijklmnop.qrstuvwx", "abcdefghijklmnop.qrstuvwx"),
    "jwt": ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.c2lnbmF0dXJlLXBhcnQ", "eyJhbGciOiJIUzI1NiJ9"),
    "anthropic key": (
        "calling with sk-ant-api03-abcdefghijklmnopqrstuvwx",
        "sk-ant-api03-abcdefghijklmnopqrstuvwx",
    ),
    "stripe key": ("stripe sk_live_51Habcdefghijklmnop", "sk_live_51Habcdefghijklmnop"),
    "sendgrid key": (
        "SG.abcdefghijklmnopqrst.abcdefghijklmnopqrstuvwxyz012345 refused",
        "SG.abcdefghijklmnopqrst",
    ),
    "aws key": ("using AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    "password": ("login password=hunter2hunter2 rejected", "hunter2hunter2"),
    "json password": ('{"email": "x", "password": "correct horse battery"}', "correct horse battery"),
    "name": ("invite for name='Grace Hopper' sent", "Grace Hopper"),
    "api key pair": ("api_key: 0123456789abcdef0123", "0123456789abcdef0123"),
}


@pytest.mark.parametrize("case", sorted(SECRETS))
def test_mask_removes_personal_data_and_secrets(case: str) -> None:
    text, secret = SECRETS[case]
    masked = mask(text)
    assert secret not in masked and "***" in masked


def test_mask_keeps_what_an_operator_needs() -> None:
    text = "job 1f2e stage read took 1.25 s on tesseract; filename=timetable.pdf route=llm"
    assert mask(text) == text


def _line(logger_name: str, *args: object, **extra: object) -> dict:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("worker"))
    handler.addFilter(MaskFilter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        logger.info(*args, extra=extra)
    finally:
        logger.removeHandler(handler)
    return json.loads(stream.getvalue())


def test_json_line_has_the_fields_the_ids_and_masked_arguments() -> None:
    tokens = [context.job_id.set("job-1"), context.tenant.set("school-1"), context.document_id.set("doc-1")]
    try:
        line = _line(
            "tests.obs.json",
            "sent the invite to %s with %s",
            "teacher@school.test",
            "Bearer abcdefghijklmnopqrstu",
            confidence=0.91,
            engine="tesseract",
            duration=1.5,
            email="teacher@school.test",
        )
    finally:
        for var, token in zip((context.job_id, context.tenant, context.document_id), tokens, strict=True):
            var.reset(token)
    assert line["level"] == "info" and line["service"] == "worker" and line["ts"].endswith("+00:00")
    assert (line["jobId"], line["tenant"], line["documentId"]) == ("job-1", "school-1", "doc-1")
    assert (line["confidence"], line["engine"], line["duration"]) == (0.91, "tesseract", 1.5)
    assert "teacher@school.test" not in json.dumps(line) and "abcdefghijklmnopqrstu" not in json.dumps(line)
    assert "requestId" not in line  # unknown ids are left out, not null


def test_exception_text_is_masked() -> None:
    try:
        raise ValueError("no account for someone@example.org")
    except ValueError:
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonFormatter("api"))
        handler.addFilter(MaskFilter())
        logger = logging.getLogger("tests.obs.exc")
        logger.addHandler(handler)
        logger.propagate = False
        logger.exception("lookup failed")
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert "ValueError" in line["exception"] and "someone@example.org" not in line["exception"]


def test_metrics_access_rule() -> None:
    assert metrics_allowed("127.0.0.1", None, None) and metrics_allowed("::1", None, None)
    assert not metrics_allowed("10.0.0.7", None, None)
    assert not metrics_allowed("testclient", None, None)
    # With a token, only the token opens it, loopback included.
    assert metrics_allowed("10.0.0.7", "Bearer s3cret-token", "s3cret-token")
    assert not metrics_allowed("127.0.0.1", None, "s3cret-token")
    assert not metrics_allowed("10.0.0.7", "Bearer wrong", "s3cret-token")


def test_worker_metrics_know_every_pipeline_queue() -> None:
    from core.jobs.queue import DEFAULT_QUEUE, QUEUES
    from core.observability.worker_http import KNOWN_QUEUES

    assert set(KNOWN_QUEUES) == {*QUEUES.values(), DEFAULT_QUEUE}
