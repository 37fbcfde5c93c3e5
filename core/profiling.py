"""Stage times for `timetabler extract --profile`: where a document's seconds go.

`stage(name)` is a no-op unless a `recording()` block is open in this thread (or task), so the
pipeline and the engines can mark their stages at no cost when nobody is looking. Times of a stage
entered more than once (one per page, or a program run several times) add up, with a count.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# stage -> [seconds, count, depth], in the order stages were first entered (depth: how many
# stages it runs inside, for the report's indent)
Times = dict[str, list[float]]
_current: ContextVar[Times | None] = ContextVar("timetabler_profile", default=None)
_depth: ContextVar[int] = ContextVar("timetabler_profile_depth", default=0)


@contextmanager
def recording() -> Iterator[Times]:
    times: Times = {}
    token = _current.set(times)
    try:
        yield times
    finally:
        _current.reset(token)


@contextmanager
def stage(name: str) -> Iterator[None]:
    times = _current.get()
    if times is None:
        yield
        return
    depth = _depth.get()
    entry = times.setdefault(name, [0.0, 0, depth])  # entered now: listed before the stages inside it
    token = _depth.set(depth + 1)
    started = time.perf_counter()
    try:
        yield
    finally:
        entry[0] += time.perf_counter() - started
        entry[1] += 1
        _depth.reset(token)


def report(label: str, times: Times) -> str:
    lines = [f"profile {label}:"]
    for name, (seconds, count, depth) in times.items():
        label = "  " * int(depth) + name
        times_run = f" ({int(count)} runs)" if count > 1 else ""
        lines.append(f"  {label:<32} {seconds:7.3f} s{times_run}")
    return "\n".join(lines)
