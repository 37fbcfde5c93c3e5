"""Fairness on the production stack: a school with many queued documents does not make a school with
a few wait for its whole backlog (bench/fairness.py measures the same with and without the limit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scale.fairness import measure
from tests.support.shared import SharedServers

pytestmark = pytest.mark.timeout(600)


def test_a_small_school_finishes_before_a_big_schools_backlog(tmp_path: Path, shared: SharedServers) -> None:
    # Queued first, the big school's 20 documents stand before the small school's 3 in every queue.
    # With one running stage per school per queue group, the worker's threads alternate between them.
    out = measure(tmp_path, big=20, small=3, limit=1, threads=4, shared=shared)

    assert out.statuses == {"completed"}
    # Without the limit the small school finishes with the backlog's last documents (bench: 29.0 s
    # against a median of 27.8 s); with it, before half of the backlog is done.
    assert out.small_done_s < out.big_median_s, out
    assert out.small_done_s < out.big_done_s, out
