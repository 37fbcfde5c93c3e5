"""The commands docs/plugins.md prints for a new plugin (generate it, run its tests in its own
folder, list it) run exactly as printed, from a fresh copy of the checkout, for a plugin of every
kind. Offline: `uv` takes every package from its cache, and Timetabler from the copy (the generated
plugin's `[tool.uv.sources]`); only the folder `~/src` is replaced by a temporary one."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from core.plugin_kit.template import KINDS

# Each plugin's first `uv run` builds its environment (about 120 packages, from uv's cache).
pytestmark = pytest.mark.timeout(900)
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "plugins.md"


def printed_commands() -> list[str]:
    """The indented command lines of steps 1 to 3 of "In an afternoon", comments dropped."""
    text = DOCS.read_text()
    steps = text[text.index("1. **Generate the package.**") : text.index("4. **Install it where")]
    lines = [line.strip() for line in steps.splitlines() if line.startswith("       ")]
    return [re.sub(r"\s{2,}#.*$", "", line) for line in lines if line]


def uv_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TIMETABLER_", "VIRTUAL_ENV", "UV_", "PYTHONPATH", "PYTEST"))
    }
    env["UV_OFFLINE"] = "1"  # no test reaches the internet: every package comes from uv's cache
    cache = subprocess.run(["uv", "cache", "dir"], capture_output=True, text=True, check=True).stdout
    env["UV_CACHE_DIR"] = cache.strip()
    return env


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of the checkout's files (tracked and new, as a clone of this tree would have)."""
    copy = tmp_path_factory.mktemp("clone") / "timetabler"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def test_the_docs_print_the_commands_this_test_runs() -> None:
    assert printed_commands() == [
        "uv run timetabler new-plugin ocr_acme --kind ocr --dir ~/src",
        "cd ~/src/timetabler-ocr-acme",
        "uv run pytest",
        "uv run timetabler plugins",
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_a_fresh_plugin_of_each_kind_passes_its_tests_with_the_printed_commands(
    checkout: Path, tmp_path: Path, kind: str
) -> None:
    name = f"{kind}_acme" if kind != "ocr" else "ocr_acme"
    script = [
        line.replace("~/src", str(tmp_path))
        .replace("ocr_acme --kind ocr", f"{name} --kind {kind}")
        .replace("timetabler-ocr-acme", f"timetabler-{name.replace('_', '-')}")
        for line in printed_commands()
    ]
    run = subprocess.run(
        ["bash", "-e", "-c", "\n".join(["set -o pipefail", *script])],
        cwd=checkout,
        env=uv_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "2 passed" in run.stdout, run.stdout[-3000:]
    listed = [line.split() for line in run.stdout.splitlines()]
    assert [name, "0.1.0"] in [line[:2] for line in listed], run.stdout[-2000:]
    # The generator's "Next:" line names the same commands.
    folder = tmp_path / f"timetabler-{name.replace('_', '-')}"
    assert f"Next: cd {folder} && uv run pytest && uv run timetabler plugins" in run.stdout
