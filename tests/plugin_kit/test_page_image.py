"""Hook API 3: preprocessing hands OCR a PageImage; the array form of API 2 still works, warned."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core import hookimpl
from core.extraction import stages
from core.extraction.model import Page
from core.hookspecs import HOOK_API_VERSION, TimetablerDeprecationWarning
from core.page_image import PageImage, as_page_image, chain, from_preprocessor, legacy_array
from core.plugins import EngineRegistry, make_plugin_manager

PAGE = np.full((40, 60), 255, np.uint8)
GREY = np.full((40, 60), 200, np.uint8)


class _OldNoted(np.ndarray):
    """How an API 2 preprocessor passed notes and its grey page: attributes of an array."""

    notes: list[str]
    shade: np.ndarray


def _old_form() -> np.ndarray:
    out = PAGE.copy().view(_OldNoted)
    out.notes = ["old note"]
    out.shade = GREY
    return out


def test_the_hook_api_is_3() -> None:
    assert HOOK_API_VERSION == 3


def test_a_page_image_passes_through_without_a_warning() -> None:
    page = PageImage(PAGE, GREY, ["note"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert from_preprocessor(page, "p") is page
        assert as_page_image(page) is page


def test_a_bare_array_from_a_preprocessor_is_accepted_and_warned() -> None:
    with pytest.warns(TimetablerDeprecationWarning, match=r"preprocessor 'old'.*PageImage.*HOOK_API = 3"):
        page = from_preprocessor(PAGE, "old")
    assert page.image is PAGE and page.grey is None and page.notes == []


def test_the_old_subclass_keeps_its_notes_and_grey_page() -> None:
    with pytest.warns(TimetablerDeprecationWarning):
        page = from_preprocessor(_old_form(), "old")
    assert type(page.image) is np.ndarray
    assert page.notes == ["old note"] and page.grey is not None and np.array_equal(page.grey, GREY)


def test_an_engine_may_be_handed_a_bare_array() -> None:
    page = as_page_image(PAGE)
    assert page.image is PAGE and page.notes == [] and page.grey is None


def test_the_legacy_array_carries_notes_and_shade_for_old_engines() -> None:
    old = legacy_array(PageImage(PAGE, GREY, ["n"]))
    assert np.array_equal(old, PAGE)
    assert old.notes == ["n"] and np.array_equal(old.shade, GREY)  # type: ignore[attr-defined]
    assert legacy_array(PageImage(PAGE)) is PAGE  # nothing to carry: the array itself


def test_a_grey_page_that_no_longer_fits_is_dropped() -> None:
    resized = PageImage(np.full((80, 120), 255, np.uint8))
    assert chain(PageImage(PAGE, GREY, ["a"]), resized).grey is None
    kept = chain(PageImage(PAGE, GREY, ["a"]), PageImage(PAGE.copy(), None, ["a", "b"]))
    assert kept.grey is GREY and kept.notes == ["a", "b"]


class _Recorder:
    """An OCR engine that keeps what the pipeline handed it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.given: list[object] = []

    def recognize(self, image: object, page_number: int) -> Page:
        self.given.append(image)
        return Page(page_number, 60.0, 40.0, [], [])


class _NewOcr:
    TIMETABLER_HOOK_API = 3

    def __init__(self) -> None:
        self.engine = _Recorder("ocr_new")

    @hookimpl
    def register_ocr_engines(self) -> list[_Recorder]:
        return [self.engine]


class _OldOcr:
    TIMETABLER_HOOK_API = 2

    def __init__(self) -> None:
        self.engine = _Recorder("ocr_old")

    @hookimpl
    def register_ocr_engines(self) -> list[_Recorder]:
        return [self.engine]


class _OldPreprocessor:
    TIMETABLER_HOOK_API = 2

    @hookimpl
    def register_preprocessors(self) -> list[object]:
        return [type("Old", (), {"name": "old_pre", "preprocess": lambda self, image: _old_form()})()]


def _document(tmp_path: Path) -> Path:
    path = tmp_path / "page.png"
    Image.fromarray(PAGE).save(path)
    return path


def test_engines_are_handed_the_form_their_api_expects(tmp_path: Path) -> None:
    new, old = _NewOcr(), _OldOcr()
    pm = make_plugin_manager(load_entry_points=False, extra_plugins=[new, old, _OldPreprocessor()])
    registry = EngineRegistry.from_plugins(pm)
    assert registry.ocr_api == {"ocr_new": 3, "ocr_old": 2}
    path = _document(tmp_path)
    with pytest.warns(TimetablerDeprecationWarning, match="old_pre"):
        stages.ocr_document(registry, path, "image", ocr_engine="ocr_new")
    (given,) = new.engine.given
    assert isinstance(given, PageImage) and given.notes == ["old note"] and given.grey is not None
    with pytest.warns(TimetablerDeprecationWarning):
        stages.ocr_document(registry, path, "image", ocr_engine="ocr_old")
    (handed,) = old.engine.given
    assert isinstance(handed, np.ndarray) and not isinstance(handed, PageImage)
    assert handed.notes == ["old note"] and np.array_equal(handed.shade, GREY)  # type: ignore[attr-defined]


def test_the_built_in_preprocessor_hands_ocr_a_page_image() -> None:
    registry = EngineRegistry.from_plugins(make_plugin_manager())
    tiny = np.full((60, 200, 3), 255, np.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TimetablerDeprecationWarning)
        page = registry.preprocessors["opencv"].preprocess(tiny)
    assert isinstance(page, PageImage)
    assert any("very small" in note for note in page.notes)  # a reviewer learns why
    assert registry.ocr_api["tesseract"] == 3


def test_an_engine_put_in_by_hand_gets_the_array_every_engine_takes() -> None:
    registry = EngineRegistry(ocr={"by_hand": _Recorder("by_hand")})
    handed = registry.ocr_input("by_hand", PageImage(PAGE, GREY, ["n"]))
    assert isinstance(handed, np.ndarray) and handed.notes == ["n"]  # type: ignore[attr-defined]
    assert as_page_image(handed).notes == ["n"]  # and an API 3 engine reads it back whole
