"""A local fake of the parts of Stripe's HTTP API that Timetabler uses, on a free loopback port.

It speaks Stripe's wire format: form-encoded requests with bracketed keys (``metadata[plan]=x``,
``line_items[0][price]=y``), JSON answers with an ``object`` field, errors as
``{"error": {"type", "code", "message", "param"}}``, bearer authentication with the API key, and
``Idempotency-Key`` (a repeated key replays the first answer; the same key with other parameters is
an ``idempotency_error``). Every request is recorded for assertions.

Also here: ``signed_event`` and ``sign``, which build webhook deliveries with Stripe's real signing
scheme (HMAC-SHA256 of ``"{timestamp}.{payload}"``, header ``t=...,v1=...``).

    with FakeStripe(api_key="sk_test_x") as fake:
        fake.add_price("timetabler_school_monthly")
        settings = Settings(stripe_api_key="sk_test_x", stripe_api_base=fake.url, ...)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.support.fakes.loopback import LoopbackServer

_KEY_PART = re.compile(r"\[([^\]]*)\]")


def decode_form(body: str) -> dict[str, Any]:
    """Stripe's form encoding back into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        head = key.split("[", 1)[0]
        path = [head, *_KEY_PART.findall(key[len(head) :])]
        node = root
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return _listify(root)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {key: _listify(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header Stripe would send for ``payload``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]
    status: int = 0


class StripeError(Exception):
    def __init__(
        self, status: int, type_: str, message: str, code: str | None = None, param: str | None = None
    ):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": type_, "message": message}}
        if code:
            self.body["error"]["code"] = code
        if param:
            self.body["error"]["param"] = param


def _missing(kind: str, value: str, param: str) -> StripeError:
    return StripeError(400, "invalid_request_error", f"No such {kind}: '{value}'", "resource_missing", param)


def _required(params: dict[str, Any], *names: str) -> None:
    for name in names:
        if params.get(name) in (None, "", [], {}):
            raise StripeError(
                400, "invalid_request_error", f"Missing required param: {name}.", "parameter_missing", name
            )


@dataclass
class FakeStripe:
    api_key: str = "sk_test_fake"
    requests: list[Recorded] = field(default_factory=list)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    prices: dict[str, dict[str, Any]] = field(default_factory=dict)
    checkout_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    meter_events: dict[str, dict[str, Any]] = field(default_factory=dict)  # by identifier
    # Set to make the next N calls to a path fail with a 500 (to test retries and partial runs).
    failures: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._idempotent: dict[str, tuple[str, int, dict[str, Any]]] = {}
        self._server: LoopbackServer | None = None

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FakeStripe:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake._serve(self)

            def do_POST(self) -> None:
                fake._serve(self)

            def do_DELETE(self) -> None:
                fake._serve(self)

            def log_message(self, *args: Any) -> None:  # quiet test output
                pass

        self._server = LoopbackServer(Handler, "fake-stripe")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def __enter__(self) -> FakeStripe:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        return self._server.url

    # --- set-up and assertions ---------------------------------------------------------------
    def add_price(self, lookup_key: str, *, metered: bool = False, unit_amount: int = 4900) -> dict[str, Any]:
        price = {
            "id": f"price_{secrets.token_hex(8)}",
            "object": "price",
            "active": True,
            "currency": "usd",
            "lookup_key": lookup_key,
            "unit_amount": None if metered else unit_amount,
            "type": "recurring",
            "recurring": {"interval": "month", "usage_type": "metered" if metered else "licensed"},
            "livemode": False,
        }
        self.prices[price["id"]] = price
        return price

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def reset_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    # --- the HTTP side -----------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        params = decode_form(split.query if handler.command == "GET" else body)
        record = Recorded(
            handler.command, split.path, params, {k.lower(): v for k, v in handler.headers.items()}
        )
        extra: dict[str, str] = {}
        with self._lock:
            self.requests.append(record)
            try:
                status, answer, extra = self._answer(record, body)
            except StripeError as exc:
                status, answer = exc.status, exc.body
            record.status = status
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
        for name, value in extra.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(self, record: Recorded, body: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        auth = record.headers.get("authorization", "")
        if auth != f"Bearer {self.api_key}":
            raise StripeError(401, "invalid_request_error", "Invalid API Key provided: " + auth[-4:])
        if self.failures.get(record.path, 0) > 0:
            self.failures[record.path] -= 1
            raise StripeError(500, "api_error", "An unknown error occurred (fake outage).")
        key = record.headers.get("idempotency-key")
        if record.method == "POST" and key:
            fingerprint = f"{record.path}?{body}"
            if key in self._idempotent:
                seen, status, answer = self._idempotent[key]
                if seen != fingerprint:
                    raise StripeError(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they "
                        "were first used with.",
                    )
                return status, answer, {"Idempotent-Replayed": "true"}
            status, answer = self._route(record)
            self._idempotent[key] = (fingerprint, status, answer)
            return status, answer, {"Idempotency-Key": key}
        status, answer = self._route(record)
        return status, answer, {}

    def _route(self, record: Recorded) -> tuple[int, dict[str, Any]]:
        method, path, params = record.method, record.path, record.params
        if (method, path) == ("POST", "/v1/customers"):
            return 200, self._create_customer(params)
        if method == "GET" and path.startswith("/v1/customers/"):
            customer_id = path.rsplit("/", 1)[1]
            if customer_id not in self.customers:
                raise StripeError(
                    404,
                    "invalid_request_error",
                    f"No such customer: '{customer_id}'",
                    "resource_missing",
                    "id",
                )
            return 200, self.customers[customer_id]
        if (method, path) == ("GET", "/v1/prices"):
            return 200, self._list_prices(params)
        if (method, path) == ("POST", "/v1/checkout/sessions"):
            return 200, self._create_checkout(params)
        if (method, path) == ("POST", "/v1/billing_portal/sessions"):
            _required(params, "customer")
            if params["customer"] not in self.customers:
                raise _missing("customer", params["customer"], "customer")
            session_id = f"bps_{secrets.token_hex(12)}"
            return 200, {
                "id": session_id,
                "object": "billing_portal.session",
                "customer": params["customer"],
                "return_url": params.get("return_url"),
                "url": f"https://billing.stripe.test/p/session/{session_id}",
                "livemode": False,
            }
        if (method, path) == ("POST", "/v1/billing/meter_events"):
            return 200, self._create_meter_event(params)
        raise StripeError(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).")

    def _create_customer(self, params: dict[str, Any]) -> dict[str, Any]:
        customer = {
            "id": f"cus_{secrets.token_hex(7)}",
            "object": "customer",
            "created": int(time.time()),
            "email": params.get("email"),
            "name": params.get("name"),
            "metadata": params.get("metadata") or {},
            "livemode": False,
        }
        self.customers[customer["id"]] = customer
        return customer

    def _list_prices(self, params: dict[str, Any]) -> dict[str, Any]:
        keys = params.get("lookup_keys")
        keys = [keys] if isinstance(keys, str) else keys
        active = params.get("active")
        found = [
            price
            for price in self.prices.values()
            if (keys is None or price["lookup_key"] in keys)
            and (active is None or str(price["active"]).lower() == str(active).lower())
        ]
        limit = int(params.get("limit") or 10)
        return {"object": "list", "url": "/v1/prices", "has_more": len(found) > limit, "data": found[:limit]}

    def _create_checkout(self, params: dict[str, Any]) -> dict[str, Any]:
        _required(params, "mode", "success_url", "line_items")
        if params["mode"] not in ("payment", "setup", "subscription"):
            raise StripeError(
                400, "invalid_request_error", f"Invalid mode: {params['mode']}", "parameter_invalid", "mode"
            )
        customer = params.get("customer")
        if customer and customer not in self.customers:
            raise _missing("customer", customer, "customer")
        for index, item in enumerate(params["line_items"]):
            price = self.prices.get(item.get("price", ""))
            if price is None:
                raise _missing("price", item.get("price", ""), f"line_items[{index}][price]")
            metered = price["recurring"]["usage_type"] == "metered"
            if metered and "quantity" in item:
                raise StripeError(
                    400,
                    "invalid_request_error",
                    "Quantity should not be specified where usage_type is `metered`.",
                    "parameter_invalid",
                    f"line_items[{index}][quantity]",
                )
        session_id = f"cs_test_{secrets.token_hex(16)}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "customer": customer,
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata") or {},
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "subscription": None,
            "url": f"https://checkout.stripe.test/c/pay/{session_id}",
            "livemode": False,
        }
        self.checkout_sessions[session_id] = {**session, "line_items": params["line_items"], "params": params}
        return session

    def _create_meter_event(self, params: dict[str, Any]) -> dict[str, Any]:
        _required(params, "event_name", "payload")
        payload = params["payload"]
        if "stripe_customer_id" not in payload or "value" not in payload:
            raise StripeError(
                400,
                "invalid_request_error",
                "The payload needs stripe_customer_id and value.",
                "parameter_missing",
                "payload",
            )
        if payload["stripe_customer_id"] not in self.customers:
            raise _missing("customer", payload["stripe_customer_id"], "payload[stripe_customer_id]")
        identifier = params.get("identifier") or f"auto_{secrets.token_hex(8)}"
        event = {
            "object": "billing.meter_event",
            "created": int(time.time()),
            "event_name": params["event_name"],
            "identifier": identifier,
            "payload": payload,
            "timestamp": int(params.get("timestamp") or time.time()),
            "livemode": False,
        }
        # Stripe enforces identifier uniqueness: a repeat is kept once, never counted twice.
        self.meter_events.setdefault(identifier, event)
        return event


def event(
    type_: str, obj: dict[str, Any], *, event_id: str | None = None, created: int | None = None
) -> dict[str, Any]:
    """A Stripe event envelope around ``obj``."""
    return {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2025-04-30.basil",
        "created": int(time.time()) if created is None else created,
        "type": type_,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": obj},
    }


def signed_event(
    evt: dict[str, Any], secret: str, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a webhook delivery of ``evt``, signed as Stripe signs it."""
    payload = json.dumps(evt)
    return payload.encode(), {
        "Stripe-Signature": sign(payload, secret, timestamp),
        "Content-Type": "application/json",
    }
