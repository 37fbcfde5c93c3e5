"""The pytest plugin for plugin authors: registered under pytest11, fixtures only, cheap to load."""

from __future__ import annotations

import inspect
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from litestar import MediaType, get

from admin.session import console
from core import hookimpl
from core.plugin_kit import pytest_plugin
from core.plugin_kit.samples import SAMPLE_LESSONS
from tests.plugin_kit.install import ROOT

FIXTURES = {
    "timetabler_samples",
    "timetabler_database",
    "timetabler_broker",
    "timetabler_extra_plugins",
    "timetabler_plugins",
    "timetabler_client",
}


def test_it_is_registered_and_adds_only_fixtures_none_autouse() -> None:
    (entry,) = [ep for ep in metadata.entry_points(group="pytest11") if ep.name == "timetabler"]
    assert entry.value == "core.plugin_kit.pytest_plugin"
    found = {
        name: obj._fixture_function_marker  # pytest's record of how a fixture was declared
        for name, obj in inspect.getmembers(pytest_plugin)
        if hasattr(obj, "_fixture_function_marker")
    }
    assert set(found) == FIXTURES
    assert not [name for name, marker in found.items() if marker.autouse]
    hooks = [name for name in dir(pytest_plugin) if name.startswith("pytest_")]
    assert hooks == []  # no hook that could change someone else's session


def test_loading_it_imports_nothing_heavy() -> None:
    heavy = "{'numpy', 'litestar', 'piccolo', 'dramatiq'}"
    probe = f"import sys, core.plugin_kit.pytest_plugin; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_sample_documents_show_the_sample_lessons(timetabler_samples: dict[str, Path]) -> None:
    from core.extract import extract_file
    from core.plugins import EngineRegistry, make_plugin_manager

    pm = make_plugin_manager()
    for kind in ("pdf", "docx"):
        result = extract_file(timetabler_samples[kind], pm, EngineRegistry.from_plugins(pm))
        lessons = {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in result["timeblocks"]}
        assert lessons == SAMPLE_LESSONS, kind


def test_the_broker_fixture_is_the_in_memory_broker(timetabler_broker: object) -> None:
    from dramatiq.brokers.stub import StubBroker

    assert isinstance(timetabler_broker, StubBroker)


@get("/", operation_id="greeterHome", opt=console("platform_admin"), media_type=MediaType.HTML)
async def greeter_home() -> str:
    return "<p>Hello from greeter</p>"


class Greeter:
    """A plugin under test, given to the app without installing it."""

    @hookimpl
    def register_admin_routes(self) -> list:
        return [greeter_home]


@pytest.fixture
def timetabler_extra_plugins() -> list[object]:
    return [Greeter()]


def test_the_client_serves_the_real_app_with_the_plugins_under_test(
    timetabler_client: Any, timetabler_database: Any
) -> None:
    from core.plugin_kit.pytest_plugin import console_sign_in, platform_admin, sign_up

    teacher = sign_up(timetabler_client, school="Fixture School")
    me = timetabler_client.get("/api/v1/auth/me", headers=teacher["headers"])
    assert me.status_code == 200 and me.json()["email"] == teacher["user"]["email"]
    plugin_name = next(
        n for n, p in timetabler_client.app.state.runtime.plugins.list_name_plugin() if isinstance(p, Greeter)
    )
    console_sign_in(timetabler_client, *platform_admin(timetabler_database))
    assert "Hello from greeter" in timetabler_client.get(f"/admin/plugins/{plugin_name}/").text
