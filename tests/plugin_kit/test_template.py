"""`timetabler new-plugin`: every kind's package installs, passes its own tests (the contract suites,
with the pytest plugin's fixtures) and is listed by `timetabler plugins`; so does the example."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.plugin_kit.template import KINDS
from tests.plugin_kit.install import EXAMPLE, env_with, install, timetabler

HOOK_OF_KIND = {
    "ocr": "register_ocr_engines",
    "llm": "register_llm_engines",
    "preprocess": "register_preprocessors",
    "notify": "register_notifiers",
    "reader": "register_readers",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    where = tmp_path_factory.mktemp("plugins")
    folders = []
    for kind in KINDS:
        made = timetabler(
            ["new-plugin", f"made_{kind}", "--kind", kind, "--dir", str(where)], env_with(where)
        )
        assert made.returncode == 0, made.stderr
        folders.append(where / f"timetabler-made-{kind}")
    return folders, install([*folders, EXAMPLE], where / "site")


@pytest.mark.timeout(900)  # 14 plugin tests in a subprocess of its own, with the same limit
def test_each_generated_plugin_and_the_example_pass_their_own_tests(
    generated: tuple[list[Path], Path],
) -> None:
    folders, site = generated
    assert {p.name for p in folders[0].rglob("*") if p.is_file()} == {
        "pyproject.toml",
        "README.md",
        "__init__.py",
        "plugin.py",
        "test_made_ocr.py",
    }
    tests = [str(folder / "tests") for folder in [*folders, EXAMPLE]]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=site.parent,
        env=env_with(site),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert f"{2 * len(KINDS) + 4} passed" in run.stdout


def test_timetabler_plugins_lists_them_with_their_versions_and_hooks(
    generated: tuple[list[Path], Path],
) -> None:
    _, site = generated
    listed = {
        p["name"]: p for p in json.loads(timetabler(["plugins", "--format", "json"], env_with(site)).stdout)
    }
    for kind, hook in HOOK_OF_KIND.items():
        assert listed[f"made_{kind}"]["version"] == "0.1.0" and listed[f"made_{kind}"]["hooks"] == [hook]
    assert listed["example_ocr"]["version"] == "1.0.0"
    assert listed["example_ocr"]["hooks"] == ["register_admin_routes", "register_ocr_engines"]
    table = timetabler(["plugins"], env_with(site)).stdout
    assert any(line.split()[:2] == ["made_ocr", "0.1.0"] for line in table.splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["9lives", "--kind", "ocr"], "use 2 to 40 lower-case letters"),
        (["acme", "--kind", "spreadsheet"], "invalid choice: 'spreadsheet'"),
    ],
)
def test_a_bad_name_or_kind_is_refused_with_what_to_do(tmp_path: Path, args: list[str], message: str) -> None:
    made = timetabler(["new-plugin", *args, "--dir", str(tmp_path)], env_with(tmp_path))
    assert made.returncode == 2 and message in made.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_not_overwritten(tmp_path: Path) -> None:
    assert (
        timetabler(
            ["new-plugin", "twice", "--kind", "ocr", "--dir", str(tmp_path)], env_with(tmp_path)
        ).returncode
        == 0
    )
    (tmp_path / "timetabler-twice" / "README.md").write_text("my notes")
    again = timetabler(["new-plugin", "twice", "--kind", "llm", "--dir", str(tmp_path)], env_with(tmp_path))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert (tmp_path / "timetabler-twice" / "README.md").read_text() == "my notes"
