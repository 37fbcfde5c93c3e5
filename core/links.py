"""Absolute links: invites, calendar feeds, password resets, notifications, billing returns.

One rule, in one place. ``TIMETABLER_PUBLIC_URL`` when it is set (production, behind a proxy).
Otherwise the address `timetabler serve` really listens on: its ``--host``/``--port``, which it keeps
in ``TIMETABLER_HOST``/``TIMETABLER_PORT`` (core/cli.py). A server listening on every interface
(0.0.0.0, ::) has no single address, so:

- a link handed back to the person who asked for it (an invite link, their calendar feed, their data
  export) uses the Host their browser reached the server by: it works for them by construction;
- a link sent to someone else (a password-reset email, a notification) never trusts a request's Host
  (anyone can send any Host and would receive a reset link pointing at their own site): it uses this
  machine's address on its network, the one other machines reach it by.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from functools import cache
from typing import Protocol

from core.settings import Settings

EVERY_INTERFACE = frozenset({"0.0.0.0", "::", "", "*"})
_HOST_HEADER = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$")


class _Url(Protocol):
    @property
    def scheme(self) -> str: ...


class Asker(Protocol):
    """What a link handed back reads of the request that asked for it (a Litestar request is one):
    the Host header and the scheme their browser used."""

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def url(self) -> _Url: ...


def public_root(settings: Settings, request: Asker | None = None) -> str:
    """The scheme and host (no trailing slash) every absolute link starts with."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = settings.host.strip()
    if host in EVERY_INTERFACE:
        asked = request.headers.get("host", "") if request is not None else ""
        if _HOST_HEADER.match(asked):
            return f"{request.url.scheme}://{asked}"  # type: ignore[union-attr]
        host = network_address()
    return f"http://{_bracketed(host)}:{settings.port}"


def uses_https(settings: Settings) -> bool:
    return public_root(settings).lower().startswith("https://")


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


@cache
def network_address() -> str:
    """This machine's address on its network: the source address of its default route (a UDP
    "connect" sends nothing), or loopback on a machine with no network."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never reached, only routed
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()
