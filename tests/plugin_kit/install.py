"""Installing a plugin package the way an outside package is installed, without touching the shared
environment: `uv pip install` into a folder of its own, then that folder on PYTHONPATH. Python reads
the installed metadata there, so the plugin's entry points are found exactly as in site-packages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "timetabler-example-ocr"


def install(packages: list[Path], site: Path) -> Path:
    uv = shutil.which("uv")
    assert uv, "the tests install plugin packages with uv (pip install uv)"
    result = subprocess.run(
        [uv, "pip", "install", "--offline", "--no-deps", "--python", sys.executable, "--target", str(site)]
        + [str(p) for p in packages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return site


def env_with(site: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMETABLER_PLUGINS_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), str(ROOT)]))
    env.update(extra)
    return env


def timetabler(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
