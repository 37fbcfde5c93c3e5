"""Engine names are unique per kind. Outside plugins installed beside Timetabler (found through their
entry points, as pip leaves them) that claim a built-in's name (`tesseract`, `sendgrid`) take
nothing over and are reported everywhere an operator looks; two outside plugins claiming one name
are both refused until TIMETABLER_PLUGINS_PREFER picks one; a school choosing a broken or refused
plugin's engine is told why."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.plugin_kit.samples import SAMPLE_LESSONS, write_samples
from core.plugins import BUILT_IN_ENGINES, EngineRegistry, make_plugin_manager
from tests.admin.conftest import csrf_of, row
from tests.plugin_kit.install import env_with, timetabler
from tests.plugin_kit.test_loading import fake_dist
from tests.support.accounts import PASSWORD, platform_admin, register
from tests.support.stacks import Stack, running_stack

HEADER = "from core.plugin_api import Page, Word, as_page_image, hookimpl\n"
# An OCR engine that reads every page as one word: had it taken over `tesseract`, a school on the
# default engine would get "not a timetable" for its timetable.
IMPOSTOR_OCR = HEADER + (
    "class Impostor:\n"
    "    name = 'tesseract'\n"
    "    def recognize(self, image, page_number):\n"
    "        h, w = as_page_image(image).image.shape[:2]\n"
    "        return Page(page_number, float(w), float(h), [Word('IMPOSTOR', 1, 1, 9, 9)], source=self.name)\n"
    "@hookimpl\n"
    "def register_ocr_engines():\n"
    "    return [Impostor()]\n"
)
# A notifier named like the built-in mailer: invitations and password resets ask for `sendgrid`.
IMPOSTOR_MAIL = HEADER + (
    "class Impostor:\n"
    "    name = 'sendgrid'\n"
    "    def notify(self, notification):\n"
    "        pass\n"
    "    def send_invite(self, **kwargs):\n"
    "        return 'sent by the impostor'\n"
    "    def send_password_reset(self, **kwargs):\n"
    "        return 'sent by the impostor'\n"
    "@hookimpl\n"
    "def register_notifiers():\n"
    "    return [Impostor()]\n"
)


def fast(word: str) -> str:
    return HEADER + (
        "class Fast:\n"
        "    name = 'fastocr'\n"
        "    def recognize(self, image, page_number):\n"
        f"        return Page(page_number, 10.0, 10.0, [Word('{word}', 1, 1, 9, 9)], source=self.name)\n"
        "@hookimpl\n"
        "def register_ocr_engines():\n"
        "    return [Fast()]\n"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("names-site")
    fake_dist(where, "impostor_ocr", IMPOSTOR_OCR)
    fake_dist(where, "impostor_mail", IMPOSTOR_MAIL)
    fake_dist(where, "fast_one", fast("ONE"))
    fake_dist(where, "fast_two", fast("TWO"))
    fake_dist(where, "broken_ocr", "raise ImportError('needs libacme 2')\n")
    return where


@pytest.fixture(scope="module")
def stack(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        "sqlite", tmp_path_factory.mktemp("names-stack"), {"PYTHONPATH": str(site)}, worker=False
    ) as up:
        yield up


def listing(site: Path, **env: str) -> tuple[int, dict[str, dict]]:
    result = timetabler(["plugins", "--format", "json"], env_with(site, **env))
    return result.returncode, {p["name"]: p for p in json.loads(result.stdout)}


def test_timetabler_plugins_reports_every_claim_on_a_taken_name_and_fails(site: Path) -> None:
    code, listed = listing(site)
    assert code == 1
    assert listed["ocr_tesseract"]["refused"] == [] and listed["notify_sendgrid"]["refused"] == []
    (ocr,) = listed["impostor_ocr"]["refused"]
    assert "OCR engine 'tesseract' of plugin impostor_ocr" in ocr
    assert "the name of Timetabler's built-in OCR engine" in ocr
    (mail,) = listed["impostor_mail"]["refused"]
    assert "notifier 'sendgrid' of plugin impostor_mail" in mail and "built-in notifier" in mail
    for plugin in ("fast_one", "fast_two"):
        (clash,) = listed[plugin]["refused"]
        assert "plugins fast_one and fast_two both name an engine 'fastocr', so neither is used" in clash
        assert "TIMETABLER_PLUGINS_PREFER" in clash
    assert "ImportError: needs libacme 2" in listed["broken_ocr"]["error"]

    table = timetabler(["plugins"], env_with(site))
    assert table.returncode == 1
    assert all(name in table.stderr for name in ("broken_ocr", "fast_one", "impostor_mail", "impostor_ocr"))
    lines = table.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("impostor_ocr"))
    assert "engine refused: OCR engine 'tesseract' of plugin impostor_ocr" in lines[at + 1]


def test_the_allow_list_for_a_shared_name_keeps_one_and_still_reports_the_other(site: Path) -> None:
    code, listed = listing(site, TIMETABLER_PLUGINS_PREFER="fast_two")
    assert listed["fast_two"]["refused"] == []
    (kept_elsewhere,) = listed["fast_one"]["refused"]
    assert "'fastocr' is kept by plugin fast_two (TIMETABLER_PLUGINS_PREFER)" in kept_elsewhere
    # Allowing an impostor does not hand it a built-in's name.
    code, listed = listing(site, TIMETABLER_PLUGINS_PREFER="impostor_ocr")
    assert "built-in OCR engine" in listed["impostor_ocr"]["refused"][0]
    # Denying the built-in does not free its name either.
    code, listed = listing(site, TIMETABLER_PLUGINS_DENY="ocr_tesseract")
    assert "not loaded here, but still its name" in listed["impostor_ocr"]["refused"][0]


def test_a_school_on_the_default_engine_is_read_by_the_built_in_and_emails_go_through_it(
    stack: Stack, tmp_path: Path
) -> None:
    admin = register(stack, school=f"Names School {tmp_path.name}")
    upload = admin.upload(write_samples(tmp_path)["png"])
    assert upload.status_code == 202, upload.text
    job = admin.wait_for_job(upload.json()["jobId"])
    assert job["status"] == "completed" and job["engine"] == "tesseract", job
    timetable = admin.client.get(f"/timetables/{job['timetableId']}").json()
    assert {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in timetable["timeblocks"]} == (
        SAMPLE_LESSONS
    )
    invite = admin.client.post(
        f"/schools/{admin.user['tenantId']}/invites", json={"email": "new@school.test", "role": "teacher"}
    )
    assert invite.status_code == 201, invite.text
    assert invite.json()["emailStatus"] != "sent by the impostor"  # the built-in mailer (not set up here)


def test_a_school_choosing_a_refused_or_broken_plugins_engine_is_told_why(
    stack: Stack, tmp_path: Path
) -> None:
    admin = register(stack, school=f"Chooser {tmp_path.name}")
    settings = f"/schools/{admin.user['tenantId']}/settings"
    broken = admin.client.put(settings, json={"ocrEngine": "broken_ocr"})
    assert broken.status_code == 400
    assert (
        "the OCR engine 'broken_ocr' is installed but failed to load: ImportError: needs libacme 2"
        in broken.json()["message"]
    )
    clash = admin.client.put(settings, json={"secondaryOcrEngine": "fastocr"})
    assert clash.status_code == 400
    assert "'fastocr' is installed but was refused: plugins fast_one and fast_two" in clash.json()["message"]
    missing = admin.client.put(settings, json={"ocrEngine": "nonesuch"})
    assert "'nonesuch' is not installed" in missing.json()["message"]


def test_the_console_shows_the_refused_engines_with_the_reason(stack: Stack) -> None:
    root = platform_admin(stack)
    with httpx.Client(base_url=stack.base_url, timeout=60) as console:
        form = console.get("/admin/login")
        signed_in = console.post(
            "/admin/login", data={"email": root.email, "password": PASSWORD, "csrf_token": csrf_of(form)}
        )
        assert signed_in.status_code == 303, signed_in.text
        page = console.get("/admin/plugins").text
    attention = re.findall(r'data-attention="([a-z_]+)"', page)  # the list above the table, for phones
    assert attention == ["broken_ocr", "fast_one", "fast_two", "impostor_mail", "impostor_ocr"]
    impostor = row(page, 'data-plugin="impostor_ocr"')
    assert "loaded, but not used" in impostor and "the name of Timetabler's built-in OCR engine" in impostor
    assert "notifier 'sendgrid' of plugin impostor_mail" in row(page, 'data-plugin="impostor_mail"')
    assert "neither is used" in row(page, 'data-plugin="fast_one"')
    assert "broken: ImportError: needs libacme 2" in row(page, 'data-plugin="broken_ocr"')
    tesseract = row(page, 'data-plugin="ocr_tesseract"')  # its settings link follows the status
    assert tesseract.endswith(("loaded", "loaded settings")) and "not used" not in tesseract


def test_the_built_in_names_are_the_ones_the_built_ins_register() -> None:
    registry = EngineRegistry.from_plugins(make_plugin_manager())
    assert {kind: set(registry.of(kind)) for kind in BUILT_IN_ENGINES} == {
        kind: set(names) for kind, names in BUILT_IN_ENGINES.items()
    }


@pytest.mark.parametrize(
    ("name", "kind"), [("tesseract", "ocr"), ("sendgrid", "notify"), ("opencv", "preprocess")]
)
def test_new_plugin_refuses_a_built_in_name(tmp_path: Path, name: str, kind: str) -> None:
    made = timetabler(["new-plugin", name, "--kind", kind, "--dir", str(tmp_path)], env_with(tmp_path))
    assert made.returncode == 2 and "is the name of Timetabler's built-in" in made.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_generated_load_test_fails_with_the_reason(site: Path) -> None:
    check = (
        "from core.plugin_kit.loading import assert_timetabler_loads\n"
        "assert_timetabler_loads('impostor_ocr', object, kind='ocr', engine='tesseract')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", check], env=env_with(site), capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("AssertionError: The plugin 'impostor_ocr' loaded, but Timetabler does not use")
    assert "'tesseract' is the name of Timetabler's built-in OCR engine" in last
    assert len(last) < 500  # the reason, not a dump of every engine installed
    missing = subprocess.run(
        [sys.executable, "-c", check.replace("impostor_ocr", "not_installed")],
        env=env_with(site),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Timetabler has no plugin 'not_installed': install this package" in missing.stderr
