"""Loading guides a plugin's author: misnamed hooks, missing attributes, allow/deny lists, trace mode,
hook API versions and deprecated hooks."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pluggy
import pytest

from core import hookimpl, hookspecs
from core.plugins import EngineRegistry, list_plugins, make_plugin_manager, register_plugin
from core.policy import Thresholds
from tests.plugin_kit.install import env_with, timetabler


def fake_dist(site: Path, name: str, source: str) -> None:
    """An installed distribution with one `timetabler` entry point, as pip leaves it."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[timetabler]\n{name} = {name}_module\n")
    (site / f"{name}_module.py").write_text(source)


def test_an_author_is_told_what_is_wrong_and_the_other_plugins_still_load(tmp_path: Path) -> None:
    header = "from core import hookimpl\n"
    fake_dist(tmp_path, "misnamed", header + "@hookimpl\ndef register_ocr_engine():\n    return []\n")
    fake_dist(
        tmp_path,
        "from_the_future",
        header + "TIMETABLER_HOOK_API = 99\n@hookimpl\ndef register_ocr_engines():\n    return []\n",
    )
    fake_dist(
        tmp_path, "extra_arg", header + "@hookimpl\ndef route_document(confidence, school):\n    pass\n"
    )
    result = timetabler(["plugins", "--format", "json"], env_with(tmp_path))
    assert result.returncode == 1, result.stderr  # broken plugins fail the listing, loudly
    assert "misnamed" in result.stderr and "from_the_future" in result.stderr
    listed = {p["name"]: p for p in json.loads(result.stdout)}
    assert "did you mean 'register_ocr_engines'?" in listed["misnamed"]["error"]
    offered = f"targets hook API 99 but this Timetabler offers {hookspecs.HOOK_API_VERSION}"
    assert offered in listed["from_the_future"]["error"]
    assert "school" in listed["extra_arg"]["error"]  # pluggy names the argument no hook passes
    assert listed["reader_pdf_text"]["error"] is None and listed["reader_pdf_text"]["hooks"]


def test_timetabler_plugins_names_a_refused_engine_and_a_skipped_plugin(tmp_path: Path) -> None:
    engine = "class Half:\n    name = 'half'\n@hookimpl\ndef register_ocr_engines():\n    return [Half()]\n"
    fake_dist(tmp_path, "half_done", "from core import hookimpl\n" + engine)
    table = timetabler(["plugins"], env_with(tmp_path, TIMETABLER_PLUGINS_DENY="ocr_gcv")).stdout
    assert "engine refused" in table and "half_done_module.Half has no method 'recognize'" in table
    assert any(
        line.split()[0] == "ocr_gcv" and "SKIPPED: not loaded: listed in" in line
        for line in table.splitlines()
    )


def test_a_misnamed_hook_on_a_plugin_object_names_the_nearest_hook() -> None:
    class Typo:
        @hookimpl
        def pipline_event(self, event: object) -> None: ...

    with pytest.raises(pluggy.PluginValidationError, match="did you mean 'pipeline_event'"):
        make_plugin_manager(load_entry_points=False, extra_plugins=[Typo()])


def test_an_engine_missing_a_method_is_named_and_left_out() -> None:
    class NoRecognize:
        name = "half_done"

    class Nameless:
        def recognize(self, image: object, page_number: int) -> None: ...

    class Plugin:
        @hookimpl
        def register_ocr_engines(self) -> list:
            return [NoRecognize(), Nameless()]

    registry = EngineRegistry.from_plugins(make_plugin_manager(extra_plugins=[Plugin()]))
    assert "half_done" not in registry.ocr and "tesseract" in registry.ocr
    assert any("NoRecognize has no method 'recognize'" in p for p in registry.rejected)
    assert any("Nameless has no attribute 'name'" in p for p in registry.rejected)


def test_allow_and_deny_lists_choose_which_plugins_load(tmp_path: Path) -> None:
    denied = timetabler(
        ["plugins", "--format", "json"], env_with(tmp_path, TIMETABLER_PLUGINS_DENY="ocr_gcv")
    )
    names = {p["name"] for p in json.loads(denied.stdout)}
    assert "ocr_gcv" not in names and {"ocr_tesseract", "reader_pdf_text"} <= names
    allowed = timetabler(
        ["plugins", "--format", "json"],
        env_with(tmp_path, TIMETABLER_PLUGINS_ALLOW="reader_pdf_text, policy_default"),
    )
    assert {p["name"] for p in json.loads(allowed.stdout)} == {"reader_pdf_text", "policy_default"}


def test_trace_mode_logs_every_hook_call(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TIMETABLER_PLUGINS_TRACE", "1")
    pm = make_plugin_manager()
    with caplog.at_level(logging.INFO, logger="timetabler.plugins.trace"):
        assert pm.hook.route_document(confidence=0.5, thresholds=Thresholds()) == "review"
    lines = [r.getMessage() for r in caplog.records if r.name == "timetabler.plugins.trace"]
    assert any(
        line.startswith("hook route_document(confidence=0.5") and "policy_default" in line for line in lines
    )
    assert "hook route_document returned 'review'" in lines


def test_without_trace_mode_nothing_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    pm = make_plugin_manager()
    with caplog.at_level(logging.INFO, logger="timetabler.plugins.trace"):
        pm.hook.route_document(confidence=0.5, thresholds=Thresholds())
    assert not [r for r in caplog.records if r.name == "timetabler.plugins.trace"]


def test_a_deprecated_hook_still_works_and_warns_its_implementer() -> None:
    from core.hookspecs import TimetablerDeprecationWarning, hookspec

    class OldSpecs:
        @hookspec(
            warn_on_impl=TimetablerDeprecationWarning("register_engines is going: use register_ocr_engines")
        )
        def register_engines(self) -> list:
            """An old hook kept for a while."""

    class OldPlugin:
        @hookimpl
        def register_engines(self) -> list:
            return ["old engine"]

    pm = make_plugin_manager(load_entry_points=False)
    pm.add_hookspecs(OldSpecs)
    register_plugin(pm, OldPlugin(), "old_plugin")
    assert pm.hook.register_engines() == [["old engine"]]
    info = next(i for i in list_plugins(pm) if i.name == "old_plugin")
    assert info.warnings == ["register_engines is going: use register_ocr_engines"]


def test_a_hook_named_function_without_hookimpl_warns_and_strict_fails(tmp_path: Path) -> None:
    source = (
        "from core import hookimpl\n"
        "def register_ocr_engines():\n    return []\n"  # forgot @hookimpl: pluggy would ignore it
        "@hookimpl\ndef pipeline_event(event):\n    pass\n"
    )
    fake_dist(tmp_path, "unmarked", source)
    plain = timetabler(["plugins"], env_with(tmp_path))
    assert plain.returncode == 0, plain.stderr  # it loads; the warning says what it misses
    lines = plain.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("unmarked"))
    assert lines[at].split()[2:] == ["pipeline_event"]
    assert "WARNING: 'register_ocr_engines' is named like a hook but is not marked @hookimpl" in lines[at + 1]
    strict = timetabler(["plugins", "--strict"], env_with(tmp_path))
    assert strict.returncode == 1 and "unmarked loaded with warnings" in strict.stderr
