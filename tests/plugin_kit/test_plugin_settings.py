"""The one way a plugin reads its settings: the deployment's from the environment, a school's own
where its schema allows it, each refused value named with what to do."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import msgspec
import pytest

from core.plugin_settings import (
    PluginSettingsError,
    check_school_values,
    engine_settings,
    setting,
    settings_from_env,
    settings_table,
    use_school_settings,
)

T = TypeVar("T")


class AcmeSettings(msgspec.Struct, rename="camel", kw_only=True, frozen=True):
    language: Annotated[str, setting("the language pages are read in", school=True, pattern="^[a-z]+$")] = (
        "eng"
    )
    timeout_s: Annotated[float, setting("seconds a page may take", gt=0)] = 30.0
    api_key: Annotated[
        str | None, setting("the service's key", env=("ACME_KEY", "OLD_ACME_KEY"), secret=True)
    ] = None


class AcmeOcr:
    name = "acme"
    settings_schema = AcmeSettings
    settings_prefix = "TIMETABLER_ACME"


def as_school(values: dict[str, dict[str, Any]] | None, read: Callable[[], T]) -> T:
    """``read`` as a job stage of a school with these engine settings runs it (a context of its own)."""

    def stage() -> T:
        use_school_settings(values)
        return read()

    return contextvars.copy_context().run(stage)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TIMETABLER_ACME_LANGUAGE", "TIMETABLER_ACME_TIMEOUT_S", "ACME_KEY", "OLD_ACME_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_the_deployment_sets_values_in_the_environment_read_when_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = AcmeOcr()
    assert engine_settings(engine) == AcmeSettings()
    monkeypatch.setenv("TIMETABLER_ACME_TIMEOUT_S", " 12.5 ")
    monkeypatch.setenv("OLD_ACME_KEY", "old-key")  # a field may keep the names deployments use
    assert engine_settings(engine).timeout_s == 12.5 and engine_settings(engine).api_key == "old-key"
    monkeypatch.setenv("ACME_KEY", "new-key")  # the first name set wins
    assert engine_settings(engine).api_key == "new-key"


def test_a_school_sets_only_what_its_schema_lets_a_school_set(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = AcmeOcr()
    monkeypatch.setenv("TIMETABLER_ACME_LANGUAGE", "fra")
    german = as_school({"acme": {"language": "deu", "timeoutS": 1.0}}, lambda: engine_settings(engine))
    assert (german.language, german.timeout_s) == ("deu", 30.0)  # its language, not its timeout
    assert as_school({"other": {"language": "ita"}}, lambda: engine_settings(engine)).language == "fra"
    assert engine_settings(engine).language == "fra"  # outside that school's stage: the deployment's

    check_school_values(engine, {"language": "deu"})
    with pytest.raises(
        PluginSettingsError,
        match=r"engineSettings\.acme: apiKey, timeoutS cannot be set by a school "
        r"\(a school may set: language\)",
    ):
        check_school_values(engine, {"timeoutS": 5, "apiKey": "mine"})
    with pytest.raises(PluginSettingsError, match=r"engineSettings\.acme\.language='Deutsch!' is refused"):
        check_school_values(engine, {"language": "Deutsch!"})


def test_a_refused_value_names_its_variable_and_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMETABLER_ACME_TIMEOUT_S", "soon")
    with pytest.raises(PluginSettingsError) as refused:
        engine_settings(AcmeOcr())
    assert str(refused.value) == (
        "TIMETABLER_ACME_TIMEOUT_S='soon' is refused: Expected `float`, got `str` (timeoutS: seconds a "
        "page may take). Correct the variable, or unset it for the default, 30.0."
    )
    monkeypatch.setenv("TIMETABLER_ACME_TIMEOUT_S", "0")
    with pytest.raises(
        PluginSettingsError, match=r"TIMETABLER_ACME_TIMEOUT_S='0' is refused: Expected `float` > 0"
    ):
        settings_from_env(AcmeSettings, "TIMETABLER_ACME")

    monkeypatch.delenv("TIMETABLER_ACME_TIMEOUT_S")
    stored = {"acme": {"language": "Deutsch!"}}  # saved before the schema tightened, say
    with pytest.raises(PluginSettingsError) as school:
        as_school(stored, lambda: engine_settings(AcmeOcr()))
    assert str(school.value).startswith(
        "the school's setting engineSettings.acme.language='Deutsch!' is refused"
    )
    assert str(school.value).endswith(
        "Correct it in the school's settings, or remove it for the platform's value."
    )


def test_a_secret_is_never_a_schools_and_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="cannot be a school's setting"):
        setting("a key", school=True, secret=True)
    monkeypatch.setenv("ACME_KEY", "sk-secret-1")
    table = settings_table(settings_from_env(AcmeSettings, "TIMETABLER_ACME"), "TIMETABLER_ACME")
    assert "sk-secret-1" not in table
    assert (
        "<td>apiKey</td><td>str | None</td><td>None</td><td>set (hidden)</td>"
        "<td>ACME_KEY or OLD_ACME_KEY</td>" in table
    )
    assert "<td>language</td><td>str</td><td>&#x27;eng&#x27;</td><td>&#x27;eng&#x27;</td>" in table
    assert "<td>TIMETABLER_ACME_LANGUAGE</td><td>yes</td><td>the language pages are read in</td>" in table
