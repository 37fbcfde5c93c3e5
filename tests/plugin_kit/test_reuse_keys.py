"""What a reading is reused by: the engine's name and version (and an LLM engine's prompt version
and model), so a changed engine reads documents anew (docs/plugins.md, "version")."""

from __future__ import annotations

from core import hookimpl
from core.extraction import stages
from core.plugins import EngineRegistry, make_plugin_manager


class Ocr:
    name = "keyed_ocr"

    def __init__(self, version: str | None) -> None:
        if version is not None:
            self.version = version

    def recognize(self, image: object, page_number: int) -> None: ...


class Llm:
    name = "keyed_llm"
    version = "2"

    def __init__(self, prompt: str, model: str) -> None:
        self.prompt_version, self.model = prompt, model

    def extract(self, path: object, hint: object) -> None: ...


def registry(*engines: object) -> EngineRegistry:
    class Plugin:
        @hookimpl
        def register_ocr_engines(self) -> list:
            return [e for e in engines if isinstance(e, Ocr)]

        @hookimpl
        def register_llm_engines(self) -> list:
            return [e for e in engines if isinstance(e, Llm)]

    return EngineRegistry.from_plugins(make_plugin_manager(extra_plugins=[Plugin()]))


def test_a_new_version_prompt_or_model_changes_the_key() -> None:
    # No version declared: the plugin's package version (none for an object registered by hand).
    assert registry(Ocr(None)).key("ocr", "keyed_ocr") == "keyed_ocr@1"
    assert registry(Ocr("1")).key("ocr", "keyed_ocr") == "keyed_ocr@1"
    assert registry(Ocr("2")).key("ocr", "keyed_ocr") == "keyed_ocr@2"
    first = registry(Llm("p1", "m1")).key("llm", "keyed_llm")
    assert first == "keyed_llm@2/prompt_version=p1/model=m1"
    assert registry(Llm("p2", "m1")).key("llm", "keyed_llm") != first
    assert registry(Llm("p1", "m2")).key("llm", "keyed_llm") != first


def test_an_engine_that_is_not_installed_has_no_key_and_nothing_is_reused_for_it() -> None:
    built_ins = EngineRegistry.from_plugins(make_plugin_manager())
    assert built_ins.key("ocr", "keyed_ocr") is None
    assert stages.reading_keys(built_ins, "image", "keyed_ocr") == set()
    # A text PDF read from its text layer is reused whatever the OCR engine; an image is not.
    assert stages.reading_keys(built_ins, "pdf_text", "keyed_ocr") == {built_ins.key("reader", "pdf_text")}


def test_the_built_in_ocr_reading_is_keyed_by_its_engine_and_preprocessors() -> None:
    built_ins = EngineRegistry.from_plugins(make_plugin_manager())
    (key,) = stages.reading_keys(built_ins, "image", "tesseract")
    assert key.startswith("tesseract@4+opencv@")
    assert stages.reading_keys(built_ins, "image", "rapidocr") != {key}
