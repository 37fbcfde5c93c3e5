"""A local fake of a Web Push service (RFC 8030) on a free loopback port, playing the browser too.

``subscribe()`` does what a browser does: makes a P-256 key pair and an auth secret and returns
``PushSubscription.toJSON()`` with an endpoint on this server. A push to that endpoint is checked
as a push service checks it: the VAPID ``Authorization: vapid t=<JWT>,k=<key>`` header (RFC 8292:
ES256 signature against ``k``, ``aud`` this origin, ``exp`` in the future, a mailto:/https: ``sub``,
and ``k`` the application server key the browser subscribed with), ``TTL`` present and
``Content-Encoding: aes128gcm``. Then it decrypts the body with the subscriber's private key
(RFC 8291) so a test reads the JSON the service worker would see. ``gone(endpoint)`` makes it answer
410 for that subscription from then on.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.fakes.loopback import LoopbackServer


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscriber:
    id: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    server_key: str | None  # the applicationServerKey the browser subscribed with
    received: list[dict[str, Any]] = field(default_factory=list)
    gone: bool = False


class FakePushService:
    def __init__(self) -> None:
        self.subscribers: dict[str, Subscriber] = {}
        self.rejected: list[str] = []  # why pushes were refused, for assertions
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None

    def subscribe(self, application_server_key: str | None = None) -> dict[str, Any]:
        key = ec.generate_private_key(ec.SECP256R1())
        sub = Subscriber(secrets.token_hex(8), key, secrets.token_bytes(16), application_server_key)
        self.subscribers[sub.id] = sub
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{self.url}/push/{sub.id}",
            "expirationTime": None,
            "keys": {"p256dh": b64url(public), "auth": b64url(sub.auth)},
        }

    def subscriber(self, endpoint: str) -> Subscriber:
        return self.subscribers[endpoint.rsplit("/", 1)[1]]

    def gone(self, endpoint: str) -> None:
        self.subscriber(endpoint).gone = True

    def wait_for(self, endpoint: str, count: int = 1, timeout: float = 30) -> list[dict[str, Any]]:
        sub, deadline = self.subscriber(endpoint), time.monotonic() + timeout
        while time.monotonic() < deadline and len(sub.received) < count:
            time.sleep(0.05)
        assert len(sub.received) >= count, f"{len(sub.received)} pushes arrived; rejected: {self.rejected}"
        return sub.received

    def _check_vapid(self, header: str, sub: Subscriber) -> str | None:
        """Why the VAPID header is wrong, or None."""
        if not header.startswith("vapid "):
            return "Authorization is not a 'vapid t=...,k=...' header"
        parts = dict(p.strip().split("=", 1) for p in header[len("vapid ") :].split(","))
        token, key = parts.get("t", ""), parts.get("k", "")
        if sub.server_key is not None and key != sub.server_key:
            return "k is not the application server key the subscription was made with"
        try:
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
            claims = jwt.decode(token, public, algorithms=["ES256"], audience=self.url)
        except Exception as exc:  # a bad key, signature, audience or expiry
            return f"VAPID JWT rejected: {exc}"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "the JWT's sub must be a mailto: or https: contact"
        return None

    def _answer(self, handler: BaseHTTPRequestHandler) -> int:
        sub = (
            self.subscribers.get(handler.path.rsplit("/", 1)[-1])
            if handler.path.startswith("/push/")
            else None
        )
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        if sub is None:
            return 404
        if sub.gone:
            return 410
        problem = self._check_vapid(handler.headers.get("Authorization", ""), sub)
        if problem is None and handler.headers.get("TTL") is None:
            problem = "the TTL header is required"
        if problem is None and handler.headers.get("Content-Encoding") != "aes128gcm":
            problem = "Content-Encoding must be aes128gcm"
        if problem is None:
            try:
                plain = http_ece.decrypt(
                    body, private_key=sub.private_key, auth_secret=sub.auth, version="aes128gcm"
                )
                message = json.loads(plain)
            except Exception as exc:
                problem = f"the payload does not decrypt: {exc}"
        if problem is not None:
            with self._lock:
                self.rejected.append(problem)
            return 401 if "VAPID" in problem or "Authorization" in problem or "k " in problem else 400
        with self._lock:
            sub.received.append(message)
        return 201

    def start(self) -> None:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server API)
                status = service._answer(self)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = LoopbackServer(Handler, "fake-push")

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    def __enter__(self) -> FakePushService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url
