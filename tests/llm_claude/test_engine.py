"""The Claude engine against a local fake of the Messages API: the request it sends, the answer it
makes of the response, retries, timeouts, and the cache. Nothing here reaches the internet."""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from core.engines import EngineUnavailable, LlmAnswer
from core.extraction.model import DraftTimetable
from core.plugins import make_plugin_manager
from plugins.llm_claude import answer as answer_mod
from plugins.llm_claude.content import MAX_LONG_SIDE
from plugins.llm_claude.engine import ClaudeEngine
from plugins.llm_claude.prompt import SYSTEM_PROMPT, TOOL, TOOL_NAME
from tests.support.fakes.anthropic_server import FakeAnthropic

TIMETABLE = {
    "teacher": "Ms Rivera",
    "class_name": "7B",
    "layout": "days_cols",
    "blocks": [
        {"day": "Monday", "start_time": "08:50", "end_time": "09:40", "name": "Maths", "unsure": False},
        {
            "day": "Monday",
            "start_time": "09:40",
            "end_time": "11:20",
            "name": "Science",
            "notes": "Lab 3",
            "page": 1,
            "unsure": False,
        },
        {
            "day": "Tuesday",
            "start_time": "8:50",  # tolerated: made 08:50
            "end_time": "09:40",
            "name": "Eng Lit",
            "notes": "end time not printed; taken from the next period",
            "unsure": True,
        },
        {"day": "Funday", "start_time": "10:00", "end_time": "11:00", "name": "Art", "unsure": False},
    ],
    "problems": [],
}
HINT = DraftTimetable(teacher="Ms Rivera", class_name="7B", layout="days_cols")


@pytest.fixture(autouse=True)
def _no_real_config(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own key or endpoint must never leak into a test.
    for name in (
        "ANTHROPIC_API_KEY",
        "TIMETABLER_ANTHROPIC_API_KEY",
        "TIMETABLER_ANTHROPIC_BASE_URL",
        "ANTHROPIC_BASE_URL",
        "TIMETABLER_CLAUDE_MODEL",
        "TIMETABLER_CLAUDE_TIMEOUT",
        "TIMETABLER_CLAUDE_BACKOFF",
        "TIMETABLER_CLAUDE_CACHE_DIR",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> FakeAnthropic:
    with FakeAnthropic(timetable=TIMETABLE) as f:
        yield f


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """A big 'phone photo' page: it must be scaled down before it is sent."""
    img = np.full((2000, 1500, 3), 255, np.uint8)
    cv2.putText(img, "Monday  Tuesday", (100, 200), cv2.FONT_HERSHEY_SIMPLEX, 4, (0, 0, 0), 8)
    path = tmp_path / "timetable.jpg"
    cv2.imwrite(str(path), img)
    return path


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fake_key(headers: dict[str, str]) -> str:
    return headers.get("x-api-key") or headers["authorization"].removeprefix("Bearer ")


def test_a_wrong_key_is_unavailable_and_not_retried(fake: FakeAnthropic, photo: Path) -> None:
    with pytest.raises(EngineUnavailable, match="rejected the API key"):
        ClaudeEngine(api_key="sk-ant-wrong", base_url=fake.url).extract(photo, None)
    assert [r.status for r in fake.requests] == [401]


def _engine(fake: FakeAnthropic, **kw: object) -> ClaudeEngine:
    kw.setdefault("sleep", Sleeps())
    return ClaudeEngine(api_key="sk-ant-test", base_url=fake.url, **kw)  # type: ignore[arg-type]


def test_request_has_the_rules_cached_the_tool_forced_the_image_and_the_hint(
    fake: FakeAnthropic, photo: Path
) -> None:
    _engine(fake, model="claude-sonnet-4-6").extract(photo, HINT)
    (req,) = fake.requests
    assert req.path == "/v1/messages"
    # SDK 2.x sends the API key as a bearer token (older SDKs used x-api-key); either carries it.
    assert fake_key(req.headers) == "sk-ant-test"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", req.headers["anthropic-version"])
    body = req.body
    assert body["model"] == "claude-sonnet-4-6"
    assert body["temperature"] == 0
    assert body["system"] == [{"type": "text", "text": SYSTEM_PROMPT, "cache_control": {"type": "ephemeral"}}]
    assert body["tools"] == [TOOL]
    assert body["tools"][0]["input_schema"]["properties"]["blocks"]["items"]["properties"]["day"]["enum"][
        0
    ] == ("Monday")
    assert body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    (msg,) = body["messages"]
    assert msg["role"] == "user"
    image, text = msg["content"]
    assert image["type"] == "image"
    assert image["source"]["type"] == "base64" and image["source"]["media_type"] == "image/png"
    png = cv2.imdecode(np.frombuffer(base64.b64decode(image["source"]["data"]), np.uint8), cv2.IMREAD_COLOR)
    assert max(png.shape[:2]) == MAX_LONG_SIDE  # scaled down from 2000 px
    assert text["type"] == "text"
    assert "Teacher (from OCR): Ms Rivera" in text["text"]
    assert "Class (from OCR): 7B" in text["text"]


@pytest.mark.parametrize(
    ("model", "sent"),
    [
        ("claude-sonnet-4-6", True),
        ("claude-haiku-4-5-20251001", True),
        ("claude-opus-4-6", True),
        ("claude-opus-4-7", False),
        ("claude-opus-4-8", False),
        ("claude-sonnet-5-5", False),
        ("claude-fable-5-1", False),
    ],
)
def test_temperature_0_is_sent_only_to_models_that_take_it(
    fake: FakeAnthropic, photo: Path, model: str, sent: bool
) -> None:
    # Newer models answer 400 "`temperature` is deprecated for this model" to any temperature.
    _engine(fake, model=model).extract(photo, None)
    body = fake.requests[0].body
    assert ("temperature" in body) is sent
    if sent:
        assert body["temperature"] == 0


def test_answer_is_a_draft_with_tokens_cost_and_confidence(fake: FakeAnthropic, photo: Path) -> None:
    answer = _engine(fake, model="claude-sonnet-4-6").extract(photo, None)
    assert isinstance(answer, LlmAnswer)
    d = answer.draft
    assert (d.teacher, d.class_name, d.layout) == ("Ms Rivera", "7B", "days_cols")
    assert [(b.day, b.start_time, b.end_time, b.name) for b in d.blocks] == [
        ("Monday", "08:50", "09:40", "Maths"),
        ("Monday", "09:40", "11:20", "Science"),
        ("Tuesday", "08:50", "09:40", "Eng Lit"),
    ]
    assert d.blocks[1].notes == "Lab 3"
    assert d.blocks[2].confidence < d.blocks[0].confidence  # the model said it was unsure
    assert any("Funday" in p for p in d.problems)  # a bad day is left out and said, not guessed
    # Every prompt token counts (uncached + cache write + cache read); the cost uses each price.
    assert answer.input_tokens == 1200 + 1500
    assert answer.output_tokens == 300
    assert answer.cost_usd == pytest.approx((1200 * 3.0 + 300 * 15.0 + 1500 * 3.75) / 1e6)
    assert d.stats["cache_creation_tokens"] == 1500 and d.stats["cache_read_tokens"] == 0
    assert d.stats["attempts"] == 1
    assert 0 < answer.confidence < 0.92  # lowered for the unsure block and the dropped one


def test_cache_reads_are_priced_at_the_cache_price(fake: FakeAnthropic, photo: Path) -> None:
    fake.usage = {"input_tokens": 1000, "output_tokens": 100, "cache_read_input_tokens": 2000}
    answer = _engine(fake, model="claude-opus-4-8").extract(photo, None)
    p_in, p_out, _, p_read = answer_mod.OPUS_PRICES
    assert answer.cost_usd == pytest.approx((1000 * p_in + 100 * p_out + 2000 * p_read) / 1e6)
    assert answer.input_tokens == 3000


def test_no_key_is_unavailable_with_a_clear_reason(photo: Path) -> None:
    with pytest.raises(EngineUnavailable, match="Claude is not set up: set ANTHROPIC_API_KEY"):
        ClaudeEngine().extract(photo, None)


def test_environment_configures_key_model_endpoint(
    fake: FakeAnthropic, photo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.api_key = "sk-ant-env"
    monkeypatch.setenv("TIMETABLER_ANTHROPIC_API_KEY", "sk-ant-env")
    monkeypatch.setenv("TIMETABLER_CLAUDE_MODEL", "claude-haiku-4-5")
    monkeypatch.setenv("TIMETABLER_ANTHROPIC_BASE_URL", fake.url)
    answer = ClaudeEngine().extract(photo, None)
    assert fake_key(fake.requests[0].headers) == "sk-ant-env"
    assert fake.requests[0].body["model"] == "claude-haiku-4-5"
    assert answer.cost_usd == pytest.approx((1200 * 1.0 + 300 * 5.0 + 1500 * 1.25) / 1e6)


def test_429_twice_then_success_takes_three_attempts_with_exponential_backoff(
    fake: FakeAnthropic, photo: Path
) -> None:
    fake.fail(429, 429)
    sleeps = Sleeps()
    answer = _engine(fake, backoff_s=0.5, sleep=sleeps).extract(photo, None)
    assert [r.status for r in fake.requests] == [429, 429, 200]
    assert sleeps == [0.5, 1.0]
    assert answer.draft.stats["attempts"] == 3
    assert len(answer.draft.blocks) == 3


def test_a_retry_after_longer_than_the_backoff_is_honoured_up_to_a_cap(
    fake: FakeAnthropic, photo: Path
) -> None:
    fake.fail(429, 429)
    fake.retry_after = 3
    sleeps = Sleeps()
    _engine(fake, backoff_s=0.5, sleep=sleeps).extract(photo, None)
    assert sleeps == [3.0, 3.0]
    fake.fail(503)
    fake.retry_after = 3600  # a worker is not held that long: the wait is capped
    sleeps.clear()
    _engine(fake, backoff_s=0.5, sleep=sleeps).extract(photo, None)
    assert sleeps == [20.0]


def test_backoff_really_waits(fake: FakeAnthropic, photo: Path) -> None:
    fake.fail(529)
    ClaudeEngine(api_key="sk-ant-test", base_url=fake.url, backoff_s=0.2).extract(photo, None)
    assert fake.requests[1].at - fake.requests[0].at >= 0.2


def test_500_three_times_is_unavailable_after_three_attempts(fake: FakeAnthropic, photo: Path) -> None:
    fake.fail(500, 500, 500)
    sleeps = Sleeps()
    with pytest.raises(EngineUnavailable, match=r"service failed \(500.*after 3 attempts"):
        _engine(fake, backoff_s=1.0, sleep=sleeps).extract(photo, None)
    assert len(fake.requests) == 3
    assert sleeps == [1.0, 2.0]


def test_quota_429_every_time_is_unavailable(fake: FakeAnthropic, photo: Path) -> None:
    fake.fail(429, 429, 429)
    with pytest.raises(EngineUnavailable, match="rate limit or quota"):
        _engine(fake).extract(photo, None)
    assert len(fake.requests) == 3


@pytest.mark.parametrize(
    ("status", "reason"),
    [(400, "refused the request"), (401, "rejected the API key"), (404, "does not know the model")],
)
def test_client_errors_are_not_retried(fake: FakeAnthropic, photo: Path, status: int, reason: str) -> None:
    fake.fail(status)
    sleeps = Sleeps()
    with pytest.raises(EngineUnavailable, match=reason):
        _engine(fake, sleep=sleeps).extract(photo, None)
    assert len(fake.requests) == 1
    assert sleeps == []


def test_a_hang_ends_at_the_timeout(
    fake: FakeAnthropic, photo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMETABLER_CLAUDE_TIMEOUT", "0.5")
    fake.hang(5)
    t0 = time.monotonic()
    with pytest.raises(EngineUnavailable, match=r"did not answer within 0.5 s"):
        _engine(fake).extract(photo, None)
    assert time.monotonic() - t0 < 3
    assert len(fake.requests) == 1  # a hang is not retried


def test_service_down_is_unavailable_after_three_attempts(photo: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sleeps = Sleeps()
    engine = ClaudeEngine(api_key="k", base_url=f"http://127.0.0.1:{port}", sleep=sleeps)
    with pytest.raises(EngineUnavailable, match="could not be reached.*after 3 attempts"):
        engine.extract(photo, None)
    assert sleeps == [1.0, 2.0]


def test_an_answer_without_the_tool_call_is_unavailable(fake: FakeAnthropic, photo: Path) -> None:
    fake.message = lambda request: {  # type: ignore[method-assign]
        "id": "msg_x",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-6",
        "content": [{"type": "text", "text": "I cannot read this."}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 5},
    }
    with pytest.raises(EngineUnavailable, match="held no timetable"):
        _engine(fake).extract(photo, None)


def test_an_answer_cut_off_at_max_tokens_is_trusted_less(fake: FakeAnthropic, photo: Path) -> None:
    full = _engine(fake).extract(photo, None)
    fake.stop_reason = "max_tokens"
    cut = _engine(fake).extract(photo, None)
    assert cut.confidence < full.confidence
    assert any("cut off" in p for p in cut.draft.problems)


def test_the_same_document_is_answered_from_the_cache(
    fake: FakeAnthropic, photo: Path, tmp_path: Path
) -> None:
    engine = _engine(fake, cache_dir=tmp_path / "cache")
    first = engine.extract(photo, HINT)
    again = engine.extract(photo, HINT)
    assert len(fake.requests) == 1
    assert again.draft.blocks == first.draft.blocks
    assert (again.input_tokens, again.output_tokens, again.cost_usd) == (0, 0, 0.0)  # nothing new spent
    assert again.draft.stats["cached"] == 1.0
    _engine(fake, cache_dir=tmp_path / "cache", model="claude-opus-4-8").extract(photo, HINT)
    assert len(fake.requests) == 2  # another model is another answer


def test_a_pdf_sends_one_image_per_page(fake: FakeAnthropic, tmp_path: Path) -> None:
    from PIL import Image

    pages = [Image.new("RGB", (600, 800), "white") for _ in range(2)]
    path = tmp_path / "scan.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    _engine(fake).extract(path, None)
    content = fake.requests[0].body["messages"][0]["content"]
    assert [c["type"] for c in content] == ["image", "image", "text"]
    assert "2 page image(s)" in content[-1]["text"]


def test_a_docx_is_sent_as_its_table_text(fake: FakeAnthropic, tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    table = doc.add_table(rows=2, cols=3)
    for i, text in enumerate(["", "Monday", "Tuesday", "8:50-9:40", "Maths", "Art"]):
        table.cell(i // 3, i % 3).text = text
    path = tmp_path / "timetable.docx"
    doc.save(str(path))
    _engine(fake).extract(path, HINT)
    content = fake.requests[0].body["messages"][0]["content"]
    assert content[0]["type"] == "text"
    assert " | Monday | Tuesday" in content[0]["text"] and "8:50-9:40 | Maths | Art" in content[0]["text"]
    assert "the Word file's text above" in content[1]["text"]


def test_the_plugin_registers_the_claude_engine_by_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def claude() -> ClaudeEngine:
        engines = [e for batch in make_plugin_manager().hook.register_llm_engines() for e in batch]
        (engine,) = [e for e in engines if e.name == "claude"]
        assert isinstance(engine, ClaudeEngine)
        return engine

    monkeypatch.delenv("TIMETABLER_CLAUDE_CACHE_DIR", raising=False)
    assert claude().cache_dir is None  # the pipeline has its own per-school reuse
    monkeypatch.setenv("TIMETABLER_CLAUDE_CACHE_DIR", str(tmp_path))
    assert claude().cache_dir == tmp_path


def test_a_two_week_answer_keeps_both_weeks(photo: Path) -> None:
    lesson = {"start_time": "08:50", "end_time": "09:40", "unsure": False}
    fortnight = {
        "layout": "days_cols",
        "blocks": [
            {**lesson, "day": "Monday", "name": "Maths", "week": "Week A"},
            {**lesson, "day": "Monday", "name": "Art", "week": "b"},
        ],
    }
    with FakeAnthropic(timetable=fortnight) as fake:
        draft = _engine(fake).extract(photo, None).draft
        asked = fake.requests[-1].body
    assert (draft.rotation, draft.weeks) == ("two_week", ["A", "B"])
    assert [(b.name, b.week) for b in draft.blocks] == [("Maths", "A"), ("Art", "B")]
    assert "record the blocks of both weeks" in asked["system"][0]["text"]
    tool = asked["tools"][0]["input_schema"]["properties"]["blocks"]["items"]["properties"]
    assert "week" in tool
