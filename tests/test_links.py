"""Where absolute links start (core/links.py): the configured public URL, else where the server listens."""

from __future__ import annotations

from litestar import Request

from core.links import network_address, public_root
from core.settings import load_settings


def request_with_host(host: str) -> Request:  # type: ignore[type-arg]
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", host.encode())],
        "server": ("10.0.0.5", 8105),
        "app": None,
    }
    return Request(scope)  # type: ignore[arg-type]


def test_the_public_url_wins_when_it_is_set() -> None:
    settings = load_settings(
        {"TIMETABLER_PUBLIC_URL": "https://timetables.example.org/", "TIMETABLER_PORT": "8105"}
    )
    assert public_root(settings, request_with_host("evil.example")) == "https://timetables.example.org"


def test_without_it_links_use_the_host_and_port_the_server_listens_on() -> None:
    settings = load_settings({"TIMETABLER_HOST": "192.168.1.20", "TIMETABLER_PORT": "8105"})
    assert public_root(settings) == "http://192.168.1.20:8105"
    assert public_root(settings, request_with_host("evil.example")) == "http://192.168.1.20:8105"
    assert (
        public_root(load_settings({"TIMETABLER_HOST": "::1", "TIMETABLER_PORT": "9000"}))
        == "http://[::1]:9000"
    )


def test_on_every_interface_a_requester_gets_their_host_and_emails_get_the_machines_address() -> None:
    settings = load_settings({"TIMETABLER_HOST": "0.0.0.0", "TIMETABLER_PORT": "8105"})
    assert public_root(settings, request_with_host("school-pc.local:8105")) == "http://school-pc.local:8105"
    # No request (an email, a notification), or a Host that is not a host: this machine's address.
    assert public_root(settings) == f"http://{network_address()}:8105"
    assert public_root(settings, request_with_host("evil.example/x?")) == f"http://{network_address()}:8105"
