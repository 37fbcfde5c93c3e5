"""A WebSocket client as the app's page uses it: sign in by the first message, then read events."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.support.accounts import FINAL

FINAL_TYPES = ("job:completed", "job:failed", "job:hitl_required")


class Live:
    def __init__(self, base_url: str) -> None:
        url = base_url.replace("http://", "ws://") + "/ws"
        self.ws: ClientConnection = connect(url, open_timeout=30).__enter__()  # closed by close()

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def recv(self, timeout: float = 60) -> dict[str, Any]:
        """The next message other than the server's keep-alive ping."""
        while True:
            message = json.loads(self.ws.recv(timeout=timeout))
            if message["type"] != "ping":
                return message

    def until(self, done: Callable[[dict[str, Any]], bool], timeout: float = 240) -> list[dict[str, Any]]:
        """Messages up to and including the first for which ``done`` is true."""
        deadline = time.monotonic() + timeout
        seen: list[dict[str, Any]] = []
        while not seen or not done(seen[-1]):
            seen.append(self.recv(timeout=max(deadline - time.monotonic(), 0.1)))
        return seen

    def until_ended(self, timeout: float = 240) -> list[dict[str, Any]]:
        """Messages until the job has ended on both counts: a job:status with a final status and the
        final event (job:completed, job:failed or job:hitl_required), in whichever order they come."""
        seen: list[dict[str, Any]] = []

        def ended(_: dict[str, Any]) -> bool:
            told = any(m["type"] in FINAL_TYPES for m in seen)
            return told and any(m["type"] == "job:status" and m["data"]["status"] in FINAL for m in seen)

        deadline = time.monotonic() + timeout
        while not seen or not ended(seen[-1]):
            seen.append(self.recv(timeout=max(deadline - time.monotonic(), 0.1)))
        return seen

    def closed_with(self, timeout: float = 30) -> tuple[int | None, list[dict[str, Any]]]:
        """Read until the server closes; the close code and the messages sent before it."""
        messages = []
        try:
            while True:
                messages.append(json.loads(self.ws.recv(timeout=timeout)))
        except ConnectionClosed as exc:
            return (exc.rcvd.code if exc.rcvd else None), messages

    def close(self) -> None:
        self.ws.close()


def signed_in(base_url: str, token: str) -> Live:
    live = Live(base_url)
    live.send({"type": "auth", "token": token})
    assert live.recv() == {"type": "ready"}
    return live


def subscribe(live: Live, job_id: str) -> dict[str, Any]:
    live.send({"type": "subscribe:job", "jobId": job_id})
    return live.recv()
