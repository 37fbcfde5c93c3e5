"""Phone timetable apps' week views (issue 16, screenshots of apps), with truth.

gen_calendar.py draws a desktop calendar's week view; the apps students screenshot differ in ways
the reader has to meet on their own: day headers of one letter and a date ("M 3", "T 4": the two
Ts told apart only by their place), an hour axis of bare numbers ("08", "09" … "12", "01"), each
box printing its start above the name and often its end at the bottom ("8:00 am" … "9:50 am"),
and dark themes (black page, saturated boxes, white text). Lessons start on any quarter hour and
need not fill whole rows, so a box's extent still comes from where it sits on the axis.

Written as PNG screenshots, one in three as a photo of the screen. Truth follows
bench/corpus/README.md (layout "calendar"). `run_bench --gen apps --n 40 --seed 1 --workers 1`.

usage: uv run python -m bench.gen_apps OUT_DIR [--n 12] [--seed 1]
"""

from __future__ import annotations

import random
from pathlib import Path

from bench import gen_calendar
from bench.gen_calendar import CalStyle
from bench.gen_cli import run_generator


def app_style(rng: random.Random) -> CalStyle:
    """One app's look: every property drawn independently."""
    style = gen_calendar.random_style(rng)
    style.clock = rng.choice(["bare", "bare", "12short", "12", "24"])
    if style.clock in ("bare", "12short") and style.row_min != 60:
        style.row_min, style.row_px = 60, 2 * style.row_px  # hour rows: labels only on the hour
    style.header = rng.choice(["letter", "letter", "date", "upper"])
    style.box_times = rng.choice(["start", "both", "both", "none"])
    style.dark = rng.random() < 0.5
    style.box = rng.choice(["filled", "strong"]) if not style.dark else "filled"
    style.shade = style.shade and not style.dark
    return style


def make_document(out: Path, index: int, rng: random.Random) -> Path:
    style = app_style(rng)
    kind = f"app_{'dark' if style.dark else 'light'}"
    return gen_calendar.make_document(
        out, index, rng, photo=index % 3 == 2, style=style, family="apps", kind=kind, properties=True
    )


def make_corpus(out: Path, n: int = 12, seed: int = 1) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    return [make_document(out, i, rng) for i in range(n)]


def main() -> None:
    run_generator(make_corpus, 12)


if __name__ == "__main__":
    main()
