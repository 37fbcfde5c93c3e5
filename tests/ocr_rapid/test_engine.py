"""The rapidocr engine on a timetable drawn with PIL: words, boxes, confidences, timeblocks."""

from __future__ import annotations

import pytest

from core.engines import EngineUnavailable, OcrEngine
from core.extraction import stages
from core.extraction.model import Page, ReadResult
from core.plugins import EngineRegistry, make_plugin_manager
from plugins.ocr_rapid import model
from plugins.ocr_rapid.plugin import RapidOcrEngine
from tests.ocr_rapid import render


@pytest.fixture(scope="module")
def registry() -> EngineRegistry:
    return EngineRegistry.from_plugins(make_plugin_manager())


@pytest.fixture(scope="module")
def read(registry: EngineRegistry, tmp_path_factory: pytest.TempPathFactory) -> ReadResult:
    # One OCR run for the whole module (a page takes seconds): the file goes through the read
    # stage as in the pipeline, preprocessing included.
    path = render.save(tmp_path_factory.mktemp("rapid") / "timetable.png")
    return stages.read(registry, path, "image", ocr_engine="rapidocr")


@pytest.fixture(scope="module")
def page(read: ReadResult) -> Page:
    return read.pages[0]


def test_registered_through_its_entry_point(registry: EngineRegistry) -> None:
    pm = make_plugin_manager()
    assert "ocr_rapid" in dict(pm.list_name_plugin()) and "ocr_rapid" not in pm.broken
    engine = registry.ocr["rapidocr"]
    assert isinstance(engine, OcrEngine) and engine.name == "rapidocr"


def test_words_with_boxes_inside_the_page_and_confidences_in_range(page: Page) -> None:
    im = render.render()
    # Preprocessing may scale the page to a good letter size; the page keeps the image's shape.
    assert abs(page.width / page.height - im.width / im.height) < 0.01 and page.source == "rapidocr"
    assert page.words
    for w in page.words:
        assert 0 <= w.x0 < w.x1 <= page.width and 0 <= w.y0 < w.y1 <= page.height
        assert 0.0 <= w.confidence <= 1.0
    texts = {w.text for w in page.words}
    missing = render.words() - texts
    assert len(missing) <= 1, missing  # one slip of the recogniser at most
    assert sum(w.confidence for w in page.words) / len(page.words) > 0.9


def test_word_boxes_sit_on_the_drawn_words(page: Page) -> None:
    # "Wednesday" is centred in the third day column, in the header row.
    k = page.width / render.render().width
    (wed,) = [w for w in page.words if w.text == "Wednesday"]
    cx, cy = (wed.x0 + wed.x1) / 2 / k, (wed.y0 + wed.y1) / 2 / k
    assert abs(cx - (render.LEFT + 2.5 * render.COL_W)) < 15
    assert abs(cy - (render.TOP + render.ROW_H / 2)) < 10
    # Words on one line are cut apart: the title gives four words, in order, left to right.
    title = sorted((w for w in page.words if w.y1 < render.TOP * k), key=lambda w: w.x0)
    assert [w.text for w in title] == render.TITLE.split()


def test_ruling_lines_are_found(page: Page) -> None:
    horizontal = [r for r in page.rules if r.y0 == r.y1]
    vertical = [r for r in page.rules if r.x0 == r.x1]
    assert len(horizontal) >= len(render.PERIODS) + 2 and len(vertical) >= len(render.DAYS) + 1


def test_timeblocks_come_out_through_the_stages(read: ReadResult) -> None:
    assert read.engine == "rapidocr" and read.kind == "image" and len(read.pages) == 1
    draft = stages.interpret(read)
    found = {(b.day, b.start_time, b.end_time, b.name) for b in draft.blocks}
    expected = render.expected_blocks()
    assert len(found & expected) >= len(expected) - 1, expected - found


def test_the_model_is_loaded_once() -> None:
    assert model.get_model() is model.get_model()


def test_a_page_past_its_time_limit_is_stopped_and_reported_unavailable() -> None:
    engine = RapidOcrEngine(timeout_s=0.05)
    with pytest.raises(EngineUnavailable, match="longer than"):
        engine.recognize(render.bgr(render.render()), 3)
    # The model still works afterwards (the terminate flag belonged to that page only): the
    # title strip alone reads in a moment.
    title = RapidOcrEngine().recognize(render.bgr(render.render())[:60], 1)
    assert [w.text for w in title.words] == render.TITLE.split()
