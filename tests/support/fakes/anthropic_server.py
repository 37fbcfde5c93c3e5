"""A local fake of the Anthropic Messages API (``POST /v1/messages``) on a free loopback port.

It answers in the Messages response shape (a ``message`` with a ``tool_use`` block whose ``input``
is the scripted timetable, ``stop_reason`` "tool_use", usage with cache counts), errors in the API's
error shape (``{"type": "error", "error": {"type", "message"}}``), and records every request.
Like the real API it wants an ``anthropic-version`` header (400 without) and the key (401 without):
SDK 2.x sends an API key as ``Authorization: Bearer``, older ones as ``x-api-key``; both are taken.
Scripted failures: queue statuses with ``fail(429, 429)``, or ``hang(seconds)``.

    with FakeAnthropic() as fake:
        fake.timetable = {...}
        engine = ClaudeEngine(api_key="sk-ant-test", base_url=fake.url)
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.fakes.loopback import LoopbackServer

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float
    status: int = 0


@dataclass
class FakeAnthropic:
    timetable: dict[str, Any] = field(default_factory=lambda: {"layout": "days_cols", "blocks": []})
    usage: dict[str, int] = field(
        default_factory=lambda: {
            "input_tokens": 1200,
            "output_tokens": 300,
            "cache_creation_input_tokens": 1500,
            "cache_read_input_tokens": 0,
        }
    )
    stop_reason: str = "tool_use"
    api_key: str | None = "sk-ant-test"  # None: any key is taken
    retry_after: int | None = None  # seconds, sent with 429 and 5xx answers when set
    requests: list[Recorded] = field(default_factory=list)
    _script: list[int | float] = field(default_factory=list)  # statuses; a float is a hang in seconds

    def fail(self, *statuses: int) -> None:
        self._script.extend(statuses)

    def hang(self, seconds: float) -> None:
        self._script.append(float(seconds))

    def __enter__(self) -> FakeAnthropic:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                rec = Recorded(self.path, headers, body, time.monotonic())
                fake.requests.append(rec)
                if self.path.split("?")[0] != "/v1/messages":
                    return self._send(rec, 404, _error(404, f"no route {self.path}"))
                if not headers.get("anthropic-version"):
                    return self._send(rec, 400, _error(400, "anthropic-version: header is required"))
                key = headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")
                if fake.api_key is not None and key != fake.api_key:
                    return self._send(rec, 401, _error(401, "invalid x-api-key"))
                step = fake._script.pop(0) if fake._script else 200
                if isinstance(step, float):
                    time.sleep(step)  # the client gives up first
                    step = 200
                if step != 200:
                    return self._send(rec, step, _error(step, f"scripted {step}"))
                self._send(rec, 200, fake.message(body))

            def _send(self, rec: Recorded, status: int, payload: dict[str, Any]) -> None:
                rec.status = status
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.send_header("request-id", f"req_fake_{len(fake.requests)}")
                    if fake.retry_after is not None and (status == 429 or status >= 500):
                        self.send_header("retry-after", str(fake.retry_after))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and left

        self._server = LoopbackServer(Handler, "fake-anthropic")
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.close()

    @property
    def url(self) -> str:
        return self._server.url

    def message(self, request: dict[str, Any]) -> dict[str, Any]:
        tool = request.get("tools", [{}])[0].get("name", "record_timetable")
        return {
            "id": f"msg_fake_{len(self.requests)}",
            "type": "message",
            "role": "assistant",
            "model": request.get("model", "claude-sonnet-4-6"),
            "content": [
                {"type": "tool_use", "id": "toolu_fake_1", "name": tool, "input": self.timetable},
            ],
            "stop_reason": self.stop_reason,
            "stop_sequence": None,
            "usage": dict(self.usage),
        }


def _error(status: int, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": ERROR_TYPES.get(status, "api_error"), "message": message}}
