"""Where absolute links start (core/links.py): the configured public URL, else where the server listens."""

from __future__ import annotations

from pathlib import Path

from litestar import Request

from core.links import network_address, public_root
from core.settings import load_settings
from tests.support.accounts import register
from tests.support.stacks import Stack, _start, _stop, _wait_ready, base_env, free_port


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


def test_a_server_on_every_interface_links_to_the_address_the_browser_used(tmp_path: Path) -> None:
    """`serve --host 0.0.0.0`: an invite link goes back to the admin who asked, so it names the host
    their browser reached; a forged Host is never used for a link emailed to someone else."""
    port = free_port()
    env = {**base_env(tmp_path), "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "serve.log"
    server = _start(["serve", "--host", "0.0.0.0", "--port", str(port)], env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, server, log)
        stack = Stack(name="every-interface", base_url=base, data_dir=tmp_path, env=env)
        admin = register(stack)
        school = admin.user["tenantId"]
        asked_as = f"school-pc.local:{port}"
        made = admin.client.post(
            f"/schools/{school}/invites",
            json={"email": "colleague@school.test", "role": "teacher"},
            headers={"Host": asked_as},
        )
        assert made.status_code == 201, made.text
        assert made.json()["inviteUrl"].startswith(f"http://{asked_as}/t/")
        # serve says where links sent by email start: this machine's address, never a request's Host.
        assert f"start with http://{network_address()}:{port}/" in log.read_text()
    finally:
        _stop(server)
