"""Who is calling: the address every limit and the sign-in throttle count by. X-Forwarded-For is
believed only from a trusted proxy (TIMETABLER_TRUSTED_PROXIES)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Protocol

from core.settings import Settings


class _Peer(Protocol):
    @property
    def host(self) -> str: ...


class Caller(Protocol):
    """What the address rule reads of a request (a Litestar connection is one): the peer that
    connected and the headers it sent."""

    @property
    def client(self) -> _Peer | None: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


def client_ip(connection: Caller, settings: Settings) -> str:
    """The caller's address. X-Forwarded-For is believed only when the peer is a trusted proxy,
    and then only up to the first address that is not one."""
    peer = connection.client.host if connection.client else ""
    trusted = _networks(settings.trusted_proxies)
    if not _within(peer, trusted):
        return peer
    forwarded = [part.strip() for part in connection.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([part for part in forwarded if part]):
        if not _within(hop, trusted):
            return hop[:64]
    return peer


def _networks(spec: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for part in spec.split(","):
        if part.strip():
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
    return networks


def _within(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
