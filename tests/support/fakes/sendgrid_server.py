"""A local fake of SendGrid's v3 mail send API (``POST /v3/mail/send``) on a free loopback port.

It checks what SendGrid checks first: the bearer API key (401 with SendGrid's error shape when
wrong) and the JSON body's shape (personalizations with a "to" address, from, subject, content),
answering 400 with ``{"errors": [{"message", "field"}]}`` for a bad body and 202 with no body for a
good one. Accepted messages are recorded for assertions. ``fail_next(n, status)`` makes the next
``n`` calls answer ``status`` (429 with ``Retry-After: 0``, 500, ...) to exercise retries.

    with FakeSendGrid(api_key="SG.test") as fake:
        os.environ["TIMETABLER_SENDGRID_HOST"] = fake.url
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.fakes.loopback import LoopbackServer


@dataclass
class Message:
    to: list[str]
    from_email: str
    subject: str
    text: str
    html: str
    body: dict[str, Any]


def shape_errors(body: Any) -> list[dict[str, str]]:
    """What SendGrid would answer 400 for, as its ``errors`` list (empty when the body is good)."""
    if not isinstance(body, dict):
        return [{"message": "The request body must be a JSON object.", "field": None}]
    errors = []
    people = body.get("personalizations")
    if not isinstance(people, list) or not people:
        errors.append({"message": "The personalizations field is required.", "field": "personalizations"})
    else:
        for person in people:
            to = person.get("to") if isinstance(person, dict) else None
            if not to or not all(isinstance(t, dict) and "@" in str(t.get("email", "")) for t in to):
                errors.append({"message": "Each personalization needs a valid to.", "field": "to"})
    if "@" not in str((body.get("from") or {}).get("email", "")):
        errors.append({"message": "The from email is required.", "field": "from.email"})
    if not body.get("subject"):
        errors.append({"message": "The subject is required.", "field": "subject"})
    content = body.get("content")
    if not isinstance(content, list) or not content:
        errors.append({"message": "Content is required.", "field": "content"})
    elif content[0].get("type") != "text/plain":
        errors.append({"message": "text/plain must come first in content.", "field": "content"})
    return errors


class FakeSendGrid:
    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.messages: list[Message] = []
        self.calls = 0  # every POST, answered well or not
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None

    def fail_next(self, count: int, status: int = 500) -> None:
        with self._lock:
            self._failures = [status] * count

    def to(self, email: str) -> list[Message]:
        return [m for m in self.messages if email in m.to]

    def wait_for(self, email: str, count: int = 1, timeout: float = 60) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(email)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{email} got {len(self.to(email))} emails, expected {count}")

    def _answer(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Any]:
        if handler.path != "/v3/mail/send":
            return 404, {}, {"errors": [{"message": "Not found.", "field": None}]}
        with self._lock:
            self.calls += 1
            failure = self._failures.pop(0) if self._failures else None
        if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            return (
                401,
                {},
                {"errors": [{"message": "The provided authorization grant is invalid.", "field": None}]},
            )
        if failure:
            headers = {"Retry-After": "0"} if failure == 429 else {}
            return failure, headers, {"errors": [{"message": "Try again later.", "field": None}]}
        length = int(handler.headers.get("Content-Length") or 0)
        try:
            body = json.loads(handler.rfile.read(length) or b"null")
        except json.JSONDecodeError:
            body = None
        errors = shape_errors(body)
        if errors:
            return 400, {}, {"errors": errors}
        content = {c["type"]: c["value"] for c in body["content"]}
        with self._lock:
            self.messages.append(
                Message(
                    to=[t["email"] for p in body["personalizations"] for t in p["to"]],
                    from_email=body["from"]["email"],
                    subject=body["subject"],
                    text=content.get("text/plain", ""),
                    html=content.get("text/html", ""),
                    body=body,
                )
            )
        return 202, {}, None

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server API)
                status, headers, body = fake._answer(self)
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._server = LoopbackServer(Handler, "fake-sendgrid")

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    def __enter__(self) -> FakeSendGrid:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url
