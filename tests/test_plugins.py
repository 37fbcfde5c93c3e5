"""The plugin engine: loading by entry point, isolation of a broken plugin, and every hook."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import msgspec
import numpy as np

from core import hookimpl, hookspecs
from core.engines import LlmAnswer
from core.extraction import stages
from core.extraction.model import DraftBlock, DraftTimetable, Page, ReadResult
from core.plugins import EngineRegistry, list_plugins, make_plugin_manager
from core.policy import Thresholds
from tests.conftest import DOCUMENTS, ROOT

BUILT_INS = {"reader_pdf_text", "reader_docx", "ocr_tesseract", "preprocess_opencv", "policy_default"}
HOOKS = {
    name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(_, "timetabler_spec")
}


def test_every_hook_has_a_docstring_and_a_test_here() -> None:
    assert HOOKS  # the spec module really declares hooks
    for name in HOOKS:
        assert (getattr(hookspecs, name).__doc__ or "").strip(), f"hook {name} has no docstring"
    source = Path(__file__).read_text()
    untested = {name for name in HOOKS if f"def test_hook_{name}" not in source}
    assert not untested, f"hooks without a test: {sorted(untested)}"


def test_timetabler_plugins_lists_built_ins_with_versions_and_hooks() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "core.cli", "plugins", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = {p["name"]: p for p in json.loads(out)}
    assert set(listed) >= BUILT_INS
    assert listed["policy_default"]["hooks"] == ["classify_document", "route_document", "score_confidence"]
    assert listed["ocr_tesseract"]["hooks"] == ["register_ocr_engines"]
    assert all(listed[name]["version"] for name in BUILT_INS)


def test_a_broken_plugin_is_reported_and_does_not_stop_start_up(tmp_path: Path) -> None:
    dist = tmp_path / "broken_engine-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-engine\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[timetabler]\nbroken_engine = broken_engine_module\n")
    (tmp_path / "broken_engine_module.py").write_text("raise ImportError('needs libfoo 3')\n")
    result = subprocess.run(
        [sys.executable, "-m", "core.cli", "plugins"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1, result.stderr  # a deploy script or CI stops here
    assert "broken_engine" in result.stdout and "BROKEN: ImportError: needs libfoo 3" in result.stdout
    assert "reader_pdf_text" in result.stdout  # the others still load


class FakeOcr:
    name = "fake_ocr"

    def recognize(self, image: np.ndarray, page_number: int) -> Page:
        return Page(number=page_number, width=image.shape[1], height=image.shape[0], source=self.name)


class FakeReader:
    name = "fake_reader"
    kinds = ("docx",)

    def read(self, path: Path) -> list[Page]:
        return []


class FakeEngines:
    """One plugin registering one engine of every kind."""

    @hookimpl
    def register_readers(self) -> list:
        return [FakeReader()]

    @hookimpl
    def register_preprocessors(self) -> list:
        return [type("Pre", (), {"name": "fake_pre", "preprocess": lambda self, image: image})()]

    @hookimpl
    def register_ocr_engines(self) -> list:
        return [FakeOcr()]

    @hookimpl
    def register_llm_engines(self) -> list:
        answer = LlmAnswer(draft=DraftTimetable())
        return [type("Llm", (), {"name": "fake_llm", "extract": lambda self, path, hint: answer})()]

    @hookimpl
    def register_notifiers(self) -> list:
        return [type("Note", (), {"name": "fake_notifier", "notify": lambda self, n: None})()]


def _registry() -> EngineRegistry:
    return EngineRegistry.from_plugins(make_plugin_manager(extra_plugins=[FakeEngines()]))


def test_hook_register_readers() -> None:
    registry = _registry()
    assert {"pdf_text", "docx", "fake_reader"} <= set(registry.readers)
    assert registry.reader_for("docx").name == "docx"  # built-ins keep their place; schools pick by name


def test_hook_register_preprocessors() -> None:
    assert {"opencv", "fake_pre"} <= set(_registry().preprocessors)


def test_hook_register_ocr_engines() -> None:
    registry = _registry()
    assert {"tesseract", "fake_ocr"} <= set(registry.ocr)


def test_hook_register_llm_engines() -> None:
    assert "fake_llm" in _registry().llm


def test_hook_register_notifiers() -> None:
    assert "fake_notifier" in _registry().notifiers


def test_hook_classify_document(tmp_path: Path) -> None:
    pm = make_plugin_manager()
    pdf = DOCUMENTS / "003_days_cols_pdf_text.pdf"
    assert pm.hook.classify_document(path=pdf, filename=pdf.name, head=pdf.read_bytes()[:8192]) == "pdf_text"
    text = tmp_path / "letter.txt"
    text.write_text("Dear parents")
    assert pm.hook.classify_document(path=text, filename=text.name, head=text.read_bytes()) is None

    class ClassifyEverythingAsImage:
        @hookimpl
        def classify_document(self, path: Path, filename: str, head: bytes) -> str | None:
            return "image" if filename.endswith(".heic") else None

    pm.register(ClassifyEverythingAsImage())
    assert pm.hook.classify_document(path=text, filename="x.heic", head=b"") == "image"
    assert pm.hook.classify_document(path=pdf, filename=pdf.name, head=pdf.read_bytes()[:8192]) == "pdf_text"


def test_hook_score_confidence() -> None:
    pm = make_plugin_manager()
    empty = pm.hook.score_confidence(
        draft=DraftTimetable(), read=ReadResult(kind="image", engine="t", pages=[]), vocabulary=[]
    )
    assert 0.0 <= empty < 0.5  # nothing found is never confident
    block = DraftBlock(day="Monday", start_time="09:00", end_time="10:00", name="Maths")
    # A school's own subjects (learnt from its reviewers) count as known words.
    odd = DraftTimetable(blocks=[msgspec.structs.replace(block, name="Xylofonics Zeta")])
    read = ReadResult("pdf_text", "x", [])
    unknown = stages.score(pm, odd, read)
    assert stages.score(pm, odd, read, vocabulary=["Xylofonics Zeta"]) > unknown

    class Sceptic:
        @hookimpl
        def score_confidence(self, draft: DraftTimetable, read: ReadResult) -> float | None:
            return 0.5

    pm.register(Sceptic())
    assert pm.hook.score_confidence(draft=DraftTimetable(blocks=[block]), read=read, vocabulary=[]) == 0.5


def test_hook_route_document() -> None:
    pm = make_plugin_manager()
    thresholds = Thresholds(accept=0.98, secondary_ocr=0.90, llm=0.80)
    routes = [
        pm.hook.route_document(confidence=c, thresholds=thresholds) for c in (0.99, 0.98, 0.95, 0.85, 0.5)
    ]
    assert routes == ["accept", "accept", "secondary_ocr", "llm", "review"]


def test_hook_pipeline_event() -> None:
    # Exercised through the running pipeline in tests/jobs/test_pipeline_events.py; here: the hook
    # reaches every implementation (no firstresult) and returns all their answers.
    pm = make_plugin_manager(load_entry_points=False)
    seen: list[str] = []

    class Recorder:
        def __init__(self, label: str) -> None:
            self.label = label

        @hookimpl
        def pipeline_event(self, event: object) -> None:
            seen.append(self.label)

    pm.register(Recorder("a"))
    pm.register(Recorder("b"))
    pm.hook.pipeline_event(event=None)
    assert sorted(seen) == ["a", "b"]


def test_list_plugins_names_each_hook_a_plugin_implements() -> None:
    infos = {info.name: info for info in list_plugins(make_plugin_manager())}
    assert infos["reader_docx"].hooks == ["register_readers"]
    assert infos["reader_docx"].error is None


def test_hook_register_admin_routes() -> None:
    """A plugin's own page is served under /admin/plugins/<name>/ to the roles it names, behind the
    console's sign-in; a page naming no roles is refused to everyone."""
    from litestar import MediaType, get
    from litestar.testing import TestClient

    from admin.session import console
    from core.app import create_app
    from core.db.engine import migrate
    from core.runtime import Runtime
    from core.settings import get_settings
    from core.storage import make_storage
    from tests.admin.conftest import build_world, run, sign_in

    @get("/", operation_id="schoolNotesHome", opt=console("platform_admin"), media_type=MediaType.HTML)
    async def home() -> str:
        return "<p>School notes: 3 notes</p>"

    @get("/open", operation_id="schoolNotesOpen", opt={"exclude_from_auth": True}, media_type=MediaType.TEXT)
    async def no_roles() -> str:
        return "nobody should read this"

    class SchoolNotes:
        TIMETABLER_HOOK_API = 2

        @hookimpl
        def register_admin_routes(self) -> list:
            return [home, no_roles]

    pm = make_plugin_manager()
    pm.register(SchoolNotes(), name="school_notes")
    settings = get_settings()
    runtime = Runtime(settings, pm, EngineRegistry.from_plugins(pm), make_storage(settings))
    run(migrate())
    with TestClient(app=create_app(settings, runtime), base_url="http://testserver.local") as client:
        world = run(build_world())
        assert client.get("/admin/plugins/school_notes/", follow_redirects=False).status_code in (302, 303)
        sign_in(client, world.oak_admin)  # a school admin: not a role this page names
        assert client.get("/admin/plugins/school_notes/").status_code == 403
        sign_in(client, world.platform_admin)
        page = client.get("/admin/plugins/school_notes/")
        assert page.status_code == 200 and "School notes: 3 notes" in page.text
        assert "nobody should read this" not in client.get("/admin/plugins/school_notes/open").text


def test_hook_scan_upload(tmp_path: Path) -> None:
    """A scanner plugin refuses an upload with its reason; without one every file passes the scan."""
    from core.uploads.inspect import UploadRefused, inspect_upload

    pdf = DOCUMENTS / "003_days_cols_pdf_text.pdf"
    pm = make_plugin_manager()
    assert pm.hook.scan_upload(path=pdf, media_type="application/pdf") is None
    infected = tmp_path / "infected.pdf"
    infected.write_bytes(
        pdf.read_bytes() + b"\nX5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    )
    seen: list[str] = []

    class EicarScanner:
        @hookimpl
        def scan_upload(self, path: Path, media_type: str) -> str | None:
            seen.append(media_type)
            return "EICAR test signature found" if b"EICAR-STANDARD" in path.read_bytes() else None

    pm.register(EicarScanner())
    assert inspect_upload(pm, pdf, "clean.png").kind == "pdf_text"  # the bytes decide, not the name
    try:
        inspect_upload(pm, infected, "infected.pdf")
    except UploadRefused as exc:
        assert "EICAR test signature found" in str(exc) and exc.code == "upload_refused"
    else:
        raise AssertionError("the scanner's refusal was ignored")
    assert seen == ["application/pdf", "application/pdf"]
