"""Transient failures are retried with backoff; what cannot work says why as EngineUnavailable."""

from __future__ import annotations

import socket
import time

import pytest

from core.engines import EngineUnavailable
from plugins.ocr_gcv.engine import GcvEngine
from plugins.ocr_gcv.settings import GcvSettings
from tests.ocr_gcv.conftest import settings_for
from tests.ocr_gcv.render import Rendered
from tests.support.fakes.vision_server import FakeVision


@pytest.mark.parametrize("status", [503, 429, 500])
def test_transient_errors_are_retried_then_read(
    engine: GcvEngine, fake: FakeVision, rendered: Rendered, status: int
) -> None:
    fake.fail(2, status)
    page = engine.recognize(rendered.bgr(), 1)
    assert len(fake.received) == 3  # two failures, then the answer
    assert [w.text for w in page.words] == [t.text for t in rendered.tokens]


def test_backoff_grows_and_retry_after_is_honoured(fake: FakeVision, rendered: Rendered) -> None:
    engine = GcvEngine(settings_for(fake, backoff_s=0.2))
    fake.fail(2, 503)
    started = time.monotonic()
    engine.recognize(rendered.bgr(), 1)
    assert time.monotonic() - started >= 0.2 + 0.4  # waits of 0.2 s, then 0.4 s

    fake.received.clear()
    fake.fail(1, 429)
    fake.retry_after = "1"
    started = time.monotonic()
    engine.recognize(rendered.bgr(), 1)
    assert time.monotonic() - started >= 1.0
    assert len(fake.received) == 2


def test_service_down_after_three_attempts(engine: GcvEngine, fake: FakeVision, rendered: Rendered) -> None:
    fake.fail(10, 503)
    with pytest.raises(EngineUnavailable) as caught:
        engine.recognize(rendered.bgr(), 4)
    assert len(fake.received) == 3
    reason = str(caught.value)
    assert reason.startswith("Google Cloud Vision is unavailable: the service is failing (HTTP 503")
    assert "The service is currently unavailable." in reason
    assert "page 4, 3 attempts" in reason
    assert "http://" not in reason  # the request line is noise to a reader


def test_quota_used_up(engine: GcvEngine, fake: FakeVision, rendered: Rendered) -> None:
    fake.fail(10, 429)
    with pytest.raises(EngineUnavailable, match=r"too many requests or quota used up \(HTTP 429: Quota"):
        engine.recognize(rendered.bgr(), 1)
    assert len(fake.received) == 3


def test_api_not_enabled_is_not_retried(engine: GcvEngine, fake: FakeVision, rendered: Rendered) -> None:
    fake.fail(1, 403)
    with pytest.raises(EngineUnavailable) as caught:
        engine.recognize(rendered.bgr(), 1)
    assert len(fake.received) == 1
    assert "refused the credentials" in str(caught.value)
    assert "Cloud Vision API has not been used in project 123" in str(caught.value)


def test_a_per_image_error_is_reported(engine: GcvEngine, fake: FakeVision, rendered: Rendered) -> None:
    fake.image_error = (3, "Bad image data.")
    with pytest.raises(EngineUnavailable, match=r"could not read the image: Bad image data. \(code 3\)"):
        engine.recognize(rendered.bgr(), 1)
    assert len(fake.received) == 1  # the same image would fail the same way


def test_a_transient_per_image_error_is_retried(
    engine: GcvEngine, fake: FakeVision, rendered: Rendered
) -> None:
    fake.image_error = (14, "The service is currently unavailable.")
    with pytest.raises(EngineUnavailable, match=r"could not read the image now.*3 attempts"):
        engine.recognize(rendered.bgr(), 1)
    assert len(fake.received) == 3


def test_a_hanging_service_times_out(fake: FakeVision, rendered: Rendered) -> None:
    engine = GcvEngine(settings_for(fake, timeout_s=0.5))
    fake.hangs = 10
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match=r"did not answer within 0.5 s \(page 1, 3 attempts\)"):
        engine.recognize(rendered.bgr(), 1)
    elapsed = time.monotonic() - started
    assert len(fake.received) == 3
    # Three deadlines of 0.5 s, not the fake's 60 s hang (the upper bound is loose: a busy machine is slow).
    assert 1.5 <= elapsed < 30.0


def test_one_hang_then_an_answer(fake: FakeVision, rendered: Rendered) -> None:
    # A deadline the real answer meets even on a busy machine (at 0.5 s a slow answer was a second hang).
    engine = GcvEngine(settings_for(fake, timeout_s=3.0))
    fake.hangs = 1
    page = engine.recognize(rendered.bgr(), 1)
    assert len(fake.received) == 2 and len(page.words) == len(rendered.tokens)


def test_nothing_listening(rendered: Rendered) -> None:
    with socket.socket() as s:  # a loopback port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = GcvSettings(api_key="k", endpoint=f"http://127.0.0.1:{port}", timeout_s=2, backoff_s=0.01)
    with pytest.raises(EngineUnavailable) as caught:
        GcvEngine(settings).recognize(rendered.bgr(), 1)
    assert f"could not be reached at http://127.0.0.1:{port} (ConnectionError)" in str(caught.value)


def test_a_garbled_answer_is_transient(engine: GcvEngine, fake: FakeVision, rendered: Rendered) -> None:
    real = fake.answer
    calls = []

    def garbled(*args: object) -> tuple[int, dict] | None:
        calls.append(1)
        result = real(*args)  # type: ignore[arg-type]
        return (200, {"responses": "not a list"}) if len(calls) == 1 else result

    fake.answer = garbled  # type: ignore[method-assign]
    page = engine.recognize(rendered.bgr(), 1)
    assert len(calls) == 2 and len(page.words) == len(rendered.tokens)
