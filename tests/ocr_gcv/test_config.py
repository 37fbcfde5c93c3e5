"""Configuration from the platform's environment, and registration through the entry point."""

from __future__ import annotations

import contextvars
import json
from pathlib import Path

import numpy as np
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from core.engines import EngineUnavailable
from core.plugin_settings import settings_from_env, use_school_settings
from core.plugins import EngineRegistry, list_plugins, make_plugin_manager
from plugins.ocr_gcv.engine import GcvEngine
from plugins.ocr_gcv.settings import PREFIX, GcvSettings
from tests.ocr_gcv.render import Rendered
from tests.support.fakes.vision_server import FakeVision


def test_no_credentials_is_unavailable_before_any_request(
    fake: FakeVision, rendered: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMETABLER_GCV_ENDPOINT", fake.url)
    with pytest.raises(EngineUnavailable) as caught:
        GcvEngine().recognize(rendered.bgr(), 1)
    assert str(caught.value).startswith(
        "Google Cloud Vision is not set up: set TIMETABLER_GCV_API_KEY to an API key"
    )
    assert "GOOGLE_APPLICATION_CREDENTIALS" in str(caught.value)
    assert fake.received == []


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings_from_env(GcvSettings, PREFIX) == GcvSettings()
    assert not settings_from_env(GcvSettings, PREFIX).configured
    monkeypatch.setenv("TIMETABLER_GCV_API_KEY", " key-1 ")
    monkeypatch.setenv("TIMETABLER_GCV_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("TIMETABLER_GCV_TIMEOUT", "12.5")
    settings = settings_from_env(GcvSettings, PREFIX)
    assert (settings.api_key, settings.endpoint, settings.timeout_s) == ("key-1", "http://127.0.0.1:9", 12.5)
    assert settings.configured and settings.attempts == 3
    assert "key-1" not in repr(settings)  # never in a log line or traceback


def test_a_refused_value_is_named_before_any_request(
    fake: FakeVision, rendered: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMETABLER_GCV_API_KEY", "platform-key")
    monkeypatch.setenv("TIMETABLER_GCV_ENDPOINT", fake.url)
    for typo in ("30s", "-1", "0"):
        monkeypatch.setenv("TIMETABLER_GCV_TIMEOUT", typo)
        with pytest.raises(EngineUnavailable) as refused:
            GcvEngine().recognize(rendered.bgr(), 1)
        assert str(refused.value).startswith(f"TIMETABLER_GCV_TIMEOUT={typo!r} is refused: Expected `float`")
        assert str(refused.value).endswith("Correct the variable, or unset it for the default, 30.0.")
    assert fake.received == []


def test_a_school_that_does_not_allow_cloud_ocr_sends_nothing(
    fake: FakeVision, rendered: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMETABLER_GCV_API_KEY", "platform-key")
    monkeypatch.setenv("TIMETABLER_GCV_ENDPOINT", fake.url)
    engine = GcvEngine()

    def as_school(allowed: bool) -> object:
        use_school_settings({"gcv": {"allowed": allowed}})  # as a job stage of that school starts
        return engine.recognize(rendered.bgr(), 1)

    with pytest.raises(EngineUnavailable, match="does not allow its pages to be sent to Google Cloud Vision"):
        contextvars.copy_context().run(as_school, False)
    assert fake.received == []
    contextvars.copy_context().run(as_school, True)
    assert len(fake.received) == 1


def test_a_key_set_after_start_up_is_used(
    fake: FakeVision, rendered: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = GcvEngine()  # as the plugin registers it, before any configuration
    monkeypatch.setenv("TIMETABLER_GCV_ENDPOINT", fake.url)
    with pytest.raises(EngineUnavailable):
        engine.recognize(rendered.bgr(), 1)
    monkeypatch.setenv("TIMETABLER_GCV_API_KEY", "platform-key")
    page = engine.recognize(rendered.bgr(), 1)
    assert len(page.words) == len(rendered.tokens)
    assert fake.received[0].headers["x-goog-api-key"] == "platform-key"


def test_a_broken_credentials_file_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "key.json"
    bad.write_text("{not json")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(bad))
    with pytest.raises(
        EngineUnavailable, match=f"could not be loaded from GOOGLE_APPLICATION_CREDENTIALS={bad}"
    ):
        GcvEngine().recognize(np.full((20, 20, 3), 255, np.uint8), 1)


def test_service_account_credentials(
    fake: FakeVision, rendered: Rendered, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "school-project",
        "private_key_id": "k1",
        "private_key": pem,
        "client_email": "ocr@school-project.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": f"{fake.url}/token",  # never Google's, should a token be fetched
    }
    path = tmp_path / "sa.json"
    path.write_text(json.dumps(info))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(path))
    monkeypatch.setenv("TIMETABLER_GCV_ENDPOINT", fake.url)
    page = GcvEngine().recognize(rendered.bgr(), 1)
    assert len(page.words) == len(rendered.tokens)
    headers = fake.received[-1].headers
    assert headers["authorization"].startswith("Bearer ")
    assert "x-goog-api-key" not in headers


def test_registered_through_the_entry_point() -> None:
    pm = make_plugin_manager()
    assert "ocr_gcv" not in pm.broken
    info = next(p for p in list_plugins(pm) if p.name == "ocr_gcv")
    assert info.hooks == ["register_ocr_engines"]
    registry = EngineRegistry.from_plugins(pm)
    assert isinstance(registry.ocr["gcv"], GcvEngine)
    assert registry.ocr["gcv"].cost_per_page_usd == pytest.approx(0.0015)
