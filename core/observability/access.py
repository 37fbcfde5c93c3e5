"""Who may read /metrics: with ``TIMETABLER_METRICS_TOKEN`` set, whoever sends it as a bearer token
(and nobody else, loopback included, so a proxy on the same host cannot open it to the world);
without it, only callers on the loopback interface."""

from __future__ import annotations

import hmac
import ipaddress


def metrics_allowed(client_host: str | None, authorization: str | None, token: str | None) -> bool:
    if token:
        scheme, _, sent = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode())
    try:
        return client_host is not None and ipaddress.ip_address(client_host).is_loopback
    except ValueError:  # not an address (a unix socket's peer): not loopback as far as we know
        return False


REFUSED = (
    "Metrics are open only to the loopback interface, or with the bearer token set in "
    "TIMETABLER_METRICS_TOKEN: send 'Authorization: Bearer <token>'."
)
