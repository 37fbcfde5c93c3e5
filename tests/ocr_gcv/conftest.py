from __future__ import annotations

from collections.abc import Iterator

import pytest

from plugins.ocr_gcv.engine import GcvEngine
from plugins.ocr_gcv.settings import ADC_ENV, API_KEY_ENV, ENDPOINT_ENV, TIMEOUT_ENV, GcvSettings
from tests.ocr_gcv.render import Rendered, render_timetable
from tests.support.fakes.vision_server import FakeVision


@pytest.fixture(autouse=True)
def no_platform_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's own Google settings must not leak in, and nothing may reach Google."""
    for name in (API_KEY_ENV, ENDPOINT_ENV, TIMEOUT_ENV, ADC_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def rendered() -> Rendered:
    return render_timetable()


@pytest.fixture
def fake(rendered: Rendered) -> Iterator[FakeVision]:
    server = FakeVision(rendered).start()
    yield server
    server.stop()


def settings_for(fake: FakeVision, **changes: object) -> GcvSettings:
    base = {"api_key": "test-key", "endpoint": fake.url, "timeout_s": 5.0, "backoff_s": 0.01}
    return GcvSettings(**{**base, **changes})  # type: ignore[arg-type]


@pytest.fixture
def engine(fake: FakeVision) -> GcvEngine:
    return GcvEngine(settings_for(fake))
