"""The real pipeline stages on the rendered timetable, read by the gcv engine through the fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.engines import EngineUnavailable
from core.extraction import stages
from core.plugins import EngineRegistry, make_plugin_manager
from tests.ocr_gcv.render import Rendered, expected_blocks
from tests.support.fakes.vision_server import FakeVision


@pytest.fixture
def document(rendered: Rendered, tmp_path: Path) -> Path:
    return rendered.save(tmp_path / "timetable.png")


@pytest.mark.parametrize("preprocessors", [None, ()], ids=["installed-preprocessors", "none"])
def test_read_and_interpret_with_gcv(
    fake: FakeVision,
    document: Path,
    monkeypatch: pytest.MonkeyPatch,
    preprocessors: tuple[str, ...] | None,
) -> None:
    monkeypatch.setenv("TIMETABLER_GCV_API_KEY", "platform-key")
    monkeypatch.setenv("TIMETABLER_GCV_ENDPOINT", fake.url)
    pm = make_plugin_manager()
    registry = EngineRegistry.from_plugins(pm)
    kind = stages.classify(pm, document, "timetable.png")
    assert kind == "image"

    result = stages.read(registry, document, kind, ocr_engine="gcv", preprocessors=preprocessors)
    assert result.engine == "gcv" and len(result.pages) == 1
    assert len(fake.received) == 1
    draft = stages.interpret(result)

    assert draft.layout == "days_cols"
    assert {(b.day, b.start_time, b.end_time, b.name) for b in draft.blocks} == expected_blocks()
    assert (draft.teacher, draft.class_name) == ("Ms J. Rivera", "8B")
    assert draft.problems == []
    assert stages.score(pm, draft, result) > 0.9


def test_without_credentials_the_read_stage_reports_unavailable(fake: FakeVision, document: Path) -> None:
    registry = EngineRegistry.from_plugins(make_plugin_manager())
    with pytest.raises(EngineUnavailable, match="Google Cloud Vision is not set up"):
        stages.read(registry, document, "image", ocr_engine="gcv")
    assert fake.received == []
