"""A plugin's declared settings in the console: each with its value, a refused value named."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from core import hookimpl
from core.plugin_kit.pytest_plugin import console_sign_in, platform_admin


class AcmeSettings(msgspec.Struct, rename="camel", kw_only=True):
    timeout_s: float = 30.0
    endpoint: str = "https://ocr.acme.example"


class AcmeOcr:
    name = "ocr_acme_settings"
    settings_schema = AcmeSettings
    settings_prefix = "TIMETABLER_OCR_ACME"

    def recognize(self, image: object, page_number: int) -> None: ...


class AcmePlugin:
    @hookimpl
    def register_ocr_engines(self) -> list:
        return [AcmeOcr()]


@pytest.fixture
def timetabler_extra_plugins() -> list[object]:
    return [AcmePlugin()]


def settings_url(client: Any) -> str:
    plugins = client.app.state.runtime.plugins.list_name_plugin()
    return f"/admin/plugins/{next(name for name, p in plugins if isinstance(p, AcmePlugin))}/settings"


def test_the_console_shows_a_plugins_settings_to_platform_admins(
    timetabler_client: Any, timetabler_database: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = settings_url(timetabler_client)
    assert timetabler_client.get(url, follow_redirects=False).status_code in (302, 303)  # sign in first
    console_sign_in(timetabler_client, *platform_admin(timetabler_database))
    monkeypatch.setenv("TIMETABLER_OCR_ACME_TIMEOUT_S", "12.5")
    page = timetabler_client.get(url)
    assert page.status_code == 200
    assert "<td>timeoutS</td><td>float</td><td>30.0</td><td>12.5</td>" in page.text
    assert "https://ocr.acme.example" in page.text

    monkeypatch.setenv("TIMETABLER_OCR_ACME_TIMEOUT_S", "soon")
    refused = timetabler_client.get(url).text
    assert 'role="alert"' in refused and "Expected `float`" in refused and "timeoutS" in refused
